/**
 * GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy: the condition keys and
 * policy variables that policies refer to, so a caller knows which context entries a simulation
 * needs. For a principal: its inline and attached managed (default version) policies, and for a
 * user those of its groups too, then any extra documents given, as AWS documents.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { groupMemberships, groups, inlinePolicies, policyAttachments, policyVersions, roles, users } from '../db/schema/index.ts';
import { ContextKeyList } from '../policy/context-keys.ts';
import { parsePolicy } from '../policy/validate/index.ts';
import { MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../errors.ts';
import type { Queryable } from './affected-principals.ts';

/** How many documents one call may name, as AWS's simulation inputs are bounded. */
export const MAX_CONTEXT_KEY_DOCUMENTS = 100;

/** Adds the keys of `texts` (refusing a malformed one, naming `field[i]`). */
function addInputs(list: ContextKeyList, texts: readonly string[], field: string): void {
  if (texts.length > MAX_CONTEXT_KEY_DOCUMENTS) {
    throw new ValidationError(field, 'count', `${field} may hold at most ${MAX_CONTEXT_KEY_DOCUMENTS} documents; got ${texts.length}`);
  }
  texts.forEach((text, i) => {
    const { document, findings } = parsePolicy(text, 'identity', { sizeQuota: Infinity });
    if (document === undefined) throw new MalformedPolicyDocumentError(`${field}[${i}]`, findings);
    list.addDocument(document);
  });
}

/** GetContextKeysForCustomPolicy: the keys the given policy documents refer to. */
export function contextKeysForCustomPolicy(policyInputList: readonly string[]): string[] {
  if (policyInputList.length === 0) throw new ValidationError('input.policyInputList', 'required', 'input.policyInputList must hold at least one policy document');
  const list = new ContextKeyList();
  addInputs(list, policyInputList, 'input.policyInputList');
  return list.keys;
}

const PRINCIPAL_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/.*)?$/;

/** The unique ids whose identity policies apply to `arn` (a user and its groups, a group, a role) in `accountId`. */
async function policyHolderIds(tx: Queryable, accountId: string, arn: string, field: string): Promise<string[]> {
  const match = PRINCIPAL_ARN.exec(arn);
  if (match === null) throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(arn.slice(0, 200))} is not the ARN of a user, group or role`);
  const kind = match[2] as 'user' | 'group' | 'role';
  const table = kind === 'user' ? users : kind === 'group' ? groups : roles;
  const [row] = match[1] !== accountId ? [] : await tx.select({ id: table.id }).from(table).where(and(eq(table.accountId, accountId), eq(table.arn, arn)));
  if (row === undefined) throw new NoSuchEntityError(kind === 'user' ? 'User' : kind === 'group' ? 'Group' : 'Role', arn);
  if (kind !== 'user') return [row.id];
  const memberOf = await tx.select({ id: groupMemberships.groupId }).from(groupMemberships).where(eq(groupMemberships.userId, row.id));
  return [row.id, ...memberOf.map((m) => m.id)];
}

/** GetContextKeysForPrincipalPolicy: the keys of the principal's identity policies, then of `policyInputList`. */
export async function contextKeysForPrincipalPolicy(tx: Queryable, accountId: string, policySourceArn: string, policyInputList: readonly string[] = []): Promise<string[]> {
  const ids = await policyHolderIds(tx, accountId, policySourceArn, 'input.policySourceArn');
  const inline = await tx.select({ document: inlinePolicies.document }).from(inlinePolicies).where(inArray(inlinePolicies.principalId, ids)).orderBy(inlinePolicies.principalId, inlinePolicies.name);
  const attached = await tx
    .select({ document: policyVersions.document })
    .from(policyAttachments)
    .innerJoin(policyVersions, and(eq(policyVersions.policyId, policyAttachments.policyId), sql`${policyVersions.isDefault}`))
    .where(inArray(policyAttachments.principalId, ids))
    .orderBy(policyAttachments.principalId, policyAttachments.policyId);
  const list = new ContextKeyList();
  for (const { document: text } of [...inline, ...attached]) {
    // Stored documents passed validation when written; one that no longer parses adds nothing.
    const { document } = parsePolicy(text, 'identity', { sizeQuota: Infinity });
    if (document !== undefined) list.addDocument(document);
  }
  addInputs(list, policyInputList, 'input.policyInputList');
  return list.keys;
}
