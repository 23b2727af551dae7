/**
 * Inline policies: Put/Get/Delete/List{User,Group,Role}Policy. An inline policy lives and dies
 * with its principal. Its size counts against the principal's aggregate inline quota (users 2,048,
 * groups 5,120, roles 10,240 characters without white space), as in AWS.
 */
import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { inlinePolicies } from '../db/schema/index.ts';
import type { Finding } from '../policy/index.ts';
import type { Queryable } from './affected-principals.ts';
import { principalPolicyChange } from './attachments.ts';
import { NoSuchEntityError } from '../errors.ts';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './pagination.ts';
import { catalogForDocument } from './services/catalog-view.ts';
import { checkPolicyDocument, documentSize } from './policy-documents.ts';
import { findPrincipal, type PrincipalKind, type PrincipalRef } from './principal-refs.ts';
import type { PolicySizeUse } from './quotas.ts';
import { validateName, validateRequired } from './validation.ts';
import { runWrite, type WriteActor as Actor, type WriteResult as Written } from '../changes/outbox.ts';

/** An inline policy row as stored. */
export type InlinePolicy = typeof inlinePolicies.$inferSelect;

const SIZE_USE: Readonly<Record<PrincipalKind, PolicySizeUse>> = { user: 'userInline', group: 'groupInline', role: 'roleInline' };

/** Put{User,Group,Role}Policy parameters. */
export interface PutInlinePolicyInput {
  readonly principalName: string;
  readonly policyName: string;
  readonly policyDocument: string;
}

/** The stored inline policy, its principal, and the document's non-error findings. */
export interface PutInlinePolicyResult {
  readonly principal: PrincipalRef;
  readonly inlinePolicy: InlinePolicy;
  readonly findings: readonly Finding[];
}

/** Put{User,Group,Role}Policy: create or replace the named inline policy. `foundId`: see FindPrincipalOptions. */
export async function putInlinePolicy(
  database: Database,
  actor: Actor,
  kind: PrincipalKind,
  input: PutInlinePolicyInput,
  foundId?: string,
): Promise<Written<PutInlinePolicyResult>> {
  const policyName = validateName('policyName', input.policyName);
  validateRequired(input.policyDocument, 'input.policyDocument');
  const catalog = await catalogForDocument(database, actor.accountId, input.policyDocument);
  return runWrite(database, actor, async (tx, record) => {
    const principal = await findPrincipal(tx, actor.accountId, kind, input.principalName, { lock: true, foundId });
    const others = await tx
      .select({ document: inlinePolicies.document })
      .from(inlinePolicies)
      .where(and(eq(inlinePolicies.principalId, principal.id), ne(inlinePolicies.name, policyName)));
    const otherInlineSize = others.reduce((sum, o) => sum + documentSize(o.document), 0);
    const findings = checkPolicyDocument(input.policyDocument, SIZE_USE[kind], 'input.policyDocument', { otherInlineSize, catalog });
    const now = new Date();
    const column = kind === 'user' ? 'userId' : kind === 'group' ? 'groupId' : 'roleId';
    const [row] = await tx
      .insert(inlinePolicies)
      .values({ principalKind: kind, [column]: principal.id, name: policyName, document: input.policyDocument })
      .onConflictDoUpdate({
        target: [inlinePolicies.principalId, inlinePolicies.name],
        set: { document: input.policyDocument, updatedAt: now },
      })
      .returning();
    record(await principalPolicyChange(tx, principal, 'InlinePolicyPut', { policyName }));
    return { principal, inlinePolicy: row!, findings };
  });
}

/** The named inline policy of a principal; NoSuchEntity when absent. */
async function findInline(tx: Queryable, principal: Pick<PrincipalRef, 'id' | 'name'>, policyName: string): Promise<InlinePolicy> {
  validateName('policyName', policyName);
  const [row] = await tx
    .select()
    .from(inlinePolicies)
    .where(and(eq(inlinePolicies.principalId, principal.id), eq(inlinePolicies.name, policyName)));
  if (row === undefined) throw new NoSuchEntityError('InlinePolicy', `${principal.name}/${policyName}`);
  return row;
}

/**
 * Get{User,Group,Role}Policy. `found`: the principal a guard already found by `principalName`,
 * whose inline policy is read without looking the name up again.
 */
export async function getInlinePolicy(
  tx: Queryable,
  accountId: string,
  kind: PrincipalKind,
  input: { readonly principalName: string; readonly policyName: string },
  found?: Pick<PrincipalRef, 'id' | 'name'>,
): Promise<InlinePolicy> {
  const principal = found ?? (await findPrincipal(tx, accountId, kind, input.principalName));
  return findInline(tx, principal, input.policyName);
}

/** Delete{User,Group,Role}Policy. `foundId`: see FindPrincipalOptions. */
export async function deleteInlinePolicy(
  database: Database,
  actor: Actor,
  kind: PrincipalKind,
  input: { readonly principalName: string; readonly policyName: string },
  foundId?: string,
): Promise<Written<{ principal: PrincipalRef; inlinePolicy: InlinePolicy }>> {
  return runWrite(database, actor, async (tx, record) => {
    const principal = await findPrincipal(tx, actor.accountId, kind, input.principalName, { foundId });
    const inlinePolicy = await findInline(tx, principal, input.policyName);
    await tx.delete(inlinePolicies).where(and(eq(inlinePolicies.principalId, principal.id), eq(inlinePolicies.name, inlinePolicy.name)));
    record(await principalPolicyChange(tx, principal, 'InlinePolicyDeleted', { policyName: inlinePolicy.name }));
    return { principal, inlinePolicy };
  });
}

/** List{User,Group,Role}Policies: the principal's inline policies by name, a page at a time. */
export async function listInlinePolicies(
  tx: Queryable,
  accountId: string,
  kind: PrincipalKind,
  input: PageRequest & { readonly principalName: string },
): Promise<Page<InlinePolicy>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after, 1);
  const principal = await findPrincipal(tx, accountId, kind, input.principalName);
  const rows = await tx
    .select()
    .from(inlinePolicies)
    .where(and(eq(inlinePolicies.principalId, principal.id), after === undefined ? undefined : gt(inlinePolicies.name, after[0]!)))
    .orderBy(asc(inlinePolicies.name))
    .limit(limit + 1);
  return toPage(rows, limit, (p) => [p.name]);
}

/** Inline policies of many principals in one statement (for the GraphQL loaders), by name. */
export async function inlinePoliciesByPrincipal(tx: Queryable, principalIds: readonly string[]): Promise<Map<string, InlinePolicy[]>> {
  const result = new Map<string, InlinePolicy[]>(principalIds.map((id) => [id, []]));
  if (principalIds.length === 0) return result;
  const rows = await tx
    .select()
    .from(inlinePolicies)
    .where(inArray(inlinePolicies.principalId, [...principalIds]))
    .orderBy(asc(inlinePolicies.name));
  for (const row of rows) result.get(row.principalId)?.push(row);
  return result;
}
