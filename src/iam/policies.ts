/**
 * Managed policies: CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, TagPolicy, UntagPolicy. A policy owns immutable
 * versions (src/iam/policy-versions.ts); exactly one is the default, the one that takes effect.
 * Customer managed policies belong to one account; built-in policies (`arn:aws:iam::aws:policy/…`,
 * `account_id` null) are readable and attachable by every account but changed only by seeding.
 */
import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { groups, managedPolicies, policyAttachments, policyVersions, roles, users, type Tag } from '../db/schema/index.ts';
import type { Finding } from '../policy/index.ts';
import { runWrite, type WriteActor as Actor, type WriteResult as Written } from '../changes/outbox.ts';
import type { Queryable } from './affected-principals.ts';
import { DeleteConflictError, EntityAlreadyExistsError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { newUniqueId } from './ids.ts';
import { afterFilter, decodeCursor, pageSize, pathPrefixFilter, toPage, type Page, type PageRequest } from './pagination.ts';
import { catalogForDocument } from './services/catalog-view.ts';
import { checkPolicyDocument } from './policy-documents.ts';
import { rethrowUniqueViolation } from './unique-violation.ts';
import { enforceAccountQuota } from './account-quotas.ts';
import { mergeTags, removeTags } from './tag-set.ts';
import { validateDescription, validateName, validatePath, validatePathPrefix, validateRequired, validateTagKeys, validateTags } from './validation.ts';

/** A managed policy row as stored. */
export type ManagedPolicy = typeof managedPolicies.$inferSelect;

/** A policy version row as stored. */
export type PolicyVersion = typeof policyVersions.$inferSelect;

/** The account id built-in policies carry in their ARNs. */
export const BUILT_IN_ACCOUNT = 'aws';

/** Policy ARNs: `arn:aws:iam::<account or aws>:policy<path><name>`. */
const POLICY_ARN = /^arn:aws:iam::([0-9]{12}|aws):policy(\/|\/[!-~]+\/)([A-Za-z0-9_+=,.@-]{1,128})$/;

/** The parts of a policy ARN; a malformed ARN is a ValidationError on `field`. */
export function parsePolicyArn(arn: string, field = 'input.policyArn'): { account: string; path: string; name: string } {
  const match = POLICY_ARN.exec(arn);
  if (match === null) {
    throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(arn.slice(0, 200))} is not a policy ARN (arn:aws:iam::<account>:policy/<path><name>)`);
  }
  return { account: match[1]!, path: match[2]!, name: match[3]! };
}

/** The ARN of a policy named `name` at `path` in `account` (`aws` for built-ins). */
export function policyArnOf(account: string, path: string, name: string): string {
  return `arn:aws:iam::${account}:policy${path}${name}`;
}

/** Rows the caller's account may see: its own policies and the built-ins. */
function visibleTo(accountId: string): SQL {
  return or(eq(managedPolicies.accountId, accountId), isNull(managedPolicies.accountId))!;
}

/** How a write finds its policy: optionally by the unique id a guard already found for the ARN. */
export interface FindPolicyOptions {
  /**
   * The unique id of the policy a guard found by its ARN before the transaction: the row is read by
   * this id instead of by ARN again. A policy deleted since, or deleted and re-created under the
   * same ARN, is NoSuchEntityError, so the write never acts on a policy the guard did not authorize.
   */
  readonly foundId?: string;
}

/**
 * The policy with ARN `policyArn` visible to `accountId` (its own, or built-in), or the one with
 * `options.foundId` when a guard already found it by that ARN; NoSuchEntityError otherwise,
 * including for another account's policy, which is indistinguishable from a missing one.
 */
export async function getPolicy(tx: Queryable, accountId: string, policyArn: string, field = 'input.policyArn', options: FindPolicyOptions = {}): Promise<ManagedPolicy> {
  parsePolicyArn(policyArn, field);
  const which = options.foundId === undefined ? eq(managedPolicies.arn, policyArn) : eq(managedPolicies.id, options.foundId);
  const [row] = await tx.select().from(managedPolicies).where(and(which, visibleTo(accountId)));
  if (row === undefined) throw new NoSuchEntityError('Policy', policyArn);
  return row;
}

/** The policies among `arns` visible to `accountId` (its own and built-ins; any order, missing ones left out): one statement. */
export async function policiesByArns(tx: Queryable, accountId: string, arns: readonly string[]): Promise<ManagedPolicy[]> {
  return tx.select().from(managedPolicies).where(and(inArray(managedPolicies.arn, [...arns]), visibleTo(accountId)));
}

/** The policies among `ids` visible to `accountId` (its own and built-ins; any order, missing ones left out): one statement. */
export async function policiesByIds(tx: Queryable, accountId: string, ids: readonly string[]): Promise<ManagedPolicy[]> {
  if (ids.length === 0) return [];
  return tx.select().from(managedPolicies).where(and(inArray(managedPolicies.id, [...ids]), visibleTo(accountId)));
}

/** Like `getPolicy`, but refuses built-in policies: only the owning account changes a policy. */
export async function getOwnPolicy(tx: Queryable, accountId: string, policyArn: string, field = 'input.policyArn', options: FindPolicyOptions = {}): Promise<ManagedPolicy> {
  const policy = await getPolicy(tx, accountId, policyArn, field, options);
  if (policy.accountId === null) {
    throw new ValidationError(field, 'built-in', `${field} ${JSON.stringify(policyArn)} is a built-in policy and cannot be changed`);
  }
  return policy;
}

/** CreatePolicy parameters. */
export interface CreatePolicyInput {
  readonly policyName: string;
  readonly path?: string | null;
  readonly policyDocument: string;
  readonly description?: string | null;
  readonly tags?: readonly Tag[] | null;
}

/** A created policy with its first (default) version and the document's non-error findings. */
export interface CreatedPolicy {
  readonly policy: ManagedPolicy;
  readonly version: PolicyVersion;
  readonly findings: readonly Finding[];
}

/**
 * CreatePolicy: a new customer managed policy in the actor's account with version `v1` as its
 * default. Built-in policies are created by seeding, with `owner` null.
 */
export async function createPolicy(
  database: Database,
  actor: Actor,
  input: CreatePolicyInput,
  owner: string | null = actor.accountId,
): Promise<Written<CreatedPolicy>> {
  const name = validateName('policyName', input.policyName);
  const path = validatePath(input.path);
  const description = validateDescription(input.description);
  const tags = validateTags(input.tags);
  validateRequired(input.policyDocument, 'input.policyDocument');
  const catalog = await catalogForDocument(database, actor.accountId, input.policyDocument);
  const findings = checkPolicyDocument(input.policyDocument, 'managed', 'input.policyDocument', { catalog });
  return runWrite(database, actor, async (tx, record) => {
    const ownerFilter = owner === null ? isNull(managedPolicies.accountId) : eq(managedPolicies.accountId, owner);
    const [existing] = await tx
      .select({ id: managedPolicies.id })
      .from(managedPolicies)
      .where(and(ownerFilter, eq(sql`lower(${managedPolicies.name})`, name.toLowerCase())));
    if (existing !== undefined) throw new EntityAlreadyExistsError('Policy', name);
    if (owner !== null) {
      await enforceAccountQuota(tx, 'Policies', owner, async () => {
        const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(managedPolicies).where(ownerFilter);
        return count?.n ?? 0;
      });
    }
    const [policy] = await tx
      .insert(managedPolicies)
      .values({ id: newUniqueId('policy'), accountId: owner, path, name, description, tags, lastVersionNumber: 1 })
      .returning()
      // Two writers can both pass the name check above; the unique index decides.
      .catch(rethrowUniqueViolation(() => new EntityAlreadyExistsError('Policy', name)));
    const [version] = await tx
      .insert(policyVersions)
      .values({ policyId: policy!.id, versionNumber: 1, document: input.policyDocument, isDefault: true })
      .returning();
    record({
      kind: 'PolicyCreated',
      entityType: 'policy',
      entityArn: policy!.arn,
      affectedPrincipalIds: [],
      payload: { policyName: name, path, defaultVersionId: 'v1' },
      // Built-in policies belong to no account: their change rows are global.
      ...(owner === null ? { accountId: null } : {}),
    });
    return { policy: policy!, version: version!, findings };
  });
}

/** Which policies ListPolicies returns: all, built-in only (AWS) or the account's own (LOCAL). */
export type PolicyScope = 'ALL' | 'AWS' | 'LOCAL';

/** ListPolicies parameters. */
export interface ListPoliciesInput extends PageRequest {
  readonly scope?: PolicyScope | null;
  /** Only policies attached to at least one user, group or role of the account. */
  readonly onlyAttached?: boolean | null;
  readonly pathPrefix?: string | null;
}

/** SQL: the policy is attached to some principal of `accountId` (built-ins are shared across accounts). */
export function attachedInAccount(accountId: string): SQL {
  return sql`exists (
    select 1 from ${policyAttachments}
    left join ${users} on ${users.id} = ${policyAttachments.userId}
    left join ${groups} on ${groups.id} = ${policyAttachments.groupId}
    left join ${roles} on ${roles.id} = ${policyAttachments.roleId}
    where ${policyAttachments.policyId} = ${managedPolicies.id}
      and coalesce(${users.accountId}, ${groups.accountId}, ${roles.accountId}) = ${accountId})`;
}

/** Sort keys of policy lists: name (case-insensitive), then ARN (a built-in and a local policy may share a name). */
const POLICY_SORT: readonly SQL[] = [sql`lower(${managedPolicies.name})`, sql`${managedPolicies.arn}`];

/** ListPolicies: the policies visible to `accountId`, by name, one page at a time. */
export async function listPolicies(tx: Queryable, accountId: string, input: ListPoliciesInput = {}): Promise<Page<ManagedPolicy>> {
  const limit = pageSize(input.first);
  const after = decodeCursor(input.after, 2);
  const prefix = validatePathPrefix(input.pathPrefix);
  const scope = input.scope ?? 'ALL';
  const scopeFilter =
    scope === 'AWS' ? isNull(managedPolicies.accountId) : scope === 'LOCAL' ? eq(managedPolicies.accountId, accountId) : visibleTo(accountId);
  const rows = await tx
    .select()
    .from(managedPolicies)
    .where(
      and(
        scopeFilter,
        pathPrefixFilter(managedPolicies.path, prefix),
        input.onlyAttached === true ? attachedInAccount(accountId) : undefined,
        afterFilter(POLICY_SORT, after),
      ),
    )
    .orderBy(asc(sql`lower(${managedPolicies.name})`), asc(managedPolicies.arn))
    .limit(limit + 1);
  return toPage(rows, limit, (p) => [p.name.toLowerCase(), p.arn]);
}

/**
 * DeletePolicy: deletes a customer managed policy and all its versions. A policy still attached
 * to a principal or used as a permissions boundary is a DeleteConflict, as in AWS. `foundId`: see
 * FindPolicyOptions.
 */
export async function deletePolicy(database: Database, actor: Actor, policyArn: string, foundId?: string): Promise<Written<ManagedPolicy>> {
  return runWrite(database, actor, async (tx, record) => {
    const policy = await getOwnPolicy(tx, actor.accountId, policyArn, 'input.policyArn', { foundId });
    const count = sql<number>`count(*)::int`;
    const [attached] = await tx.select({ n: count }).from(policyAttachments).where(eq(policyAttachments.policyId, policy.id));
    if ((attached?.n ?? 0) > 0) {
      throw new DeleteConflictError('Policy', policy.name, `${attached!.n} attachment(s); detach it first`);
    }
    const [userBoundaries] = await tx.select({ n: count }).from(users).where(eq(users.permissionsBoundaryArn, policy.arn));
    const [roleBoundaries] = await tx.select({ n: count }).from(roles).where(eq(roles.permissionsBoundaryArn, policy.arn));
    const boundaries = (userBoundaries?.n ?? 0) + (roleBoundaries?.n ?? 0);
    if (boundaries > 0) {
      throw new DeleteConflictError('Policy', policy.name, `${boundaries} permissions boundary use(s); remove them first`);
    }
    // Versions go with the policy (ON DELETE CASCADE); the change row keeps the audit trail.
    await tx.delete(managedPolicies).where(eq(managedPolicies.id, policy.id));
    record({
      kind: 'PolicyDeleted',
      entityType: 'policy',
      entityArn: policy.arn,
      affectedPrincipalIds: [],
      payload: { policyName: policy.name },
    });
    return policy;
  });
}

/** TagPolicy: add or overwrite tags (keys compared case-insensitively) on a customer managed policy. `foundId`: see FindPolicyOptions. */
export async function tagPolicy(
  database: Database,
  actor: Actor,
  input: { readonly policyArn: string; readonly tags: readonly Tag[] },
  foundId?: string,
): Promise<Written<ManagedPolicy>> {
  const tags = validateTags(input.tags);
  return runWrite(database, actor, async (tx, record) => {
    const policy = await getOwnPolicy(tx, actor.accountId, input.policyArn, 'input.policyArn', { foundId });
    const [updated] = await tx.update(managedPolicies).set({ tags: mergeTags(policy.tags, tags) }).where(eq(managedPolicies.id, policy.id)).returning();
    // Tags on a policy change no principal's permissions.
    record({ kind: 'PolicyTagged', entityType: 'policy', entityArn: policy.arn, affectedPrincipalIds: [], payload: { tagKeys: tags.map((t) => t.key) } });
    return updated!;
  });
}

/** UntagPolicy: remove tags by key (any case) from a customer managed policy; absent keys are ignored. `foundId` as for tagPolicy. */
export async function untagPolicy(
  database: Database,
  actor: Actor,
  input: { readonly policyArn: string; readonly tagKeys: readonly string[] },
  foundId?: string,
): Promise<Written<ManagedPolicy>> {
  const keys = validateTagKeys(input.tagKeys);
  return runWrite(database, actor, async (tx, record) => {
    const policy = await getOwnPolicy(tx, actor.accountId, input.policyArn, 'input.policyArn', { foundId });
    const [updated] = await tx.update(managedPolicies).set({ tags: removeTags(policy.tags, keys) }).where(eq(managedPolicies.id, policy.id)).returning();
    record({ kind: 'PolicyUntagged', entityType: 'policy', entityArn: policy.arn, affectedPrincipalIds: [], payload: { tagKeys: keys } });
    return updated!;
  });
}
