/**
 * Policy versions: CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions,
 * SetDefaultPolicyVersion, DeletePolicyVersion. Versions are immutable: a document is written once
 * and never updated, and a version id is never reused (the policy's `last_version_number` only
 * grows), so anything compiled or cached for `(policy, versionId)` stays valid forever.
 * Only `is_default` moves, and moving it changes the permissions of everyone the policy touches.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { nameRules, satisfiesRule } from '../db/schema/rules.ts';
import { managedPolicies, policyVersions } from '../db/schema/index.ts';
import type { Finding } from '../policy/index.ts';
import { principalsAffectedByPolicy, type Queryable } from './affected-principals.ts';
import { DeleteConflictError, NoSuchEntityError, ValidationError } from '../errors.ts';
import { getOwnPolicy, getPolicy, type FindPolicyOptions, type ManagedPolicy, type PolicyVersion } from './policies.ts';
import { catalogForDocument } from './services/catalog-view.ts';
import { checkPolicyDocument } from './policy-documents.ts';
import { enforceQuota } from './quotas.ts';
import { validateRequired } from './validation.ts';
import { runWrite, type WriteActor as Actor, type WriteResult as Written } from '../changes/outbox.ts';

/** The version number inside a version id (`v3` -> 3); a malformed id is a ValidationError on `field`. */
export function parseVersionId(versionId: string, field = 'input.versionId'): number {
  if (!satisfiesRule(nameRules.policyVersionId, versionId)) {
    throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(versionId.slice(0, 40))} is not a version id (v1, v2, …)`);
  }
  return Number(versionId.slice(1));
}

/** How a version write finds its policy: `foundId` (see FindPolicyOptions), and whether seeding may change a built-in one. */
export interface PolicyVersionWriteOptions extends FindPolicyOptions {
  readonly allowBuiltIn?: boolean;
}

/** The policy a version write changes: the account's own, or with `allowBuiltIn` any visible one. */
function writablePolicy(tx: Queryable, accountId: string, policyArn: string, options: PolicyVersionWriteOptions): Promise<ManagedPolicy> {
  const find = options.allowBuiltIn === true ? getPolicy : getOwnPolicy;
  return find(tx, accountId, policyArn, 'input.policyArn', { foundId: options.foundId });
}

/** Locks the policy row until the transaction ends, so version writes to one policy run one at a time. */
async function lockPolicy(tx: Queryable, policyId: string): Promise<void> {
  await tx.select({ id: managedPolicies.id }).from(managedPolicies).where(eq(managedPolicies.id, policyId)).for('update');
}

/** The version `versionId` of `policy`; NoSuchEntityError when there is none. */
async function findVersion(tx: Queryable, policy: ManagedPolicy, versionId: string): Promise<PolicyVersion> {
  const number = parseVersionId(versionId);
  const [row] = await tx
    .select()
    .from(policyVersions)
    .where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.versionNumber, number)));
  if (row === undefined) throw new NoSuchEntityError('PolicyVersion', `${policy.arn}:${versionId}`);
  return row;
}

/** GetPolicyVersion: one version of a policy visible to `accountId`. */
export async function getPolicyVersion(tx: Queryable, accountId: string, policyArn: string, versionId: string): Promise<PolicyVersion> {
  return findVersion(tx, await getPolicy(tx, accountId, policyArn), versionId);
}

/** ListPolicyVersions: every stored version (at most five), newest first, as AWS lists them. */
export async function listPolicyVersions(tx: Queryable, accountId: string, policyArn: string): Promise<PolicyVersion[]> {
  const policy = await getPolicy(tx, accountId, policyArn);
  return tx.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id)).orderBy(desc(policyVersions.versionNumber));
}

/** The default versions of the policies `policyIds` (any order): one statement. */
export async function defaultVersionsOf(tx: Queryable, policyIds: readonly string[]): Promise<PolicyVersion[]> {
  return tx
    .select()
    .from(policyVersions)
    .where(and(inArray(policyVersions.policyId, [...policyIds]), eq(policyVersions.isDefault, true)));
}

/** Every version of the policies `policyIds`, newest first: one statement. */
export async function versionsOf(tx: Queryable, policyIds: readonly string[]): Promise<PolicyVersion[]> {
  return tx
    .select()
    .from(policyVersions)
    .where(inArray(policyVersions.policyId, [...policyIds]))
    .orderBy(desc(policyVersions.versionNumber));
}

/** Makes `versionNumber` the default of `policyId` (the partial unique index wants the old one unset first). */
async function switchDefault(tx: Queryable, policyId: string, versionNumber: number): Promise<void> {
  await tx.update(policyVersions).set({ isDefault: false }).where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.isDefault, true)));
  await tx
    .update(policyVersions)
    .set({ isDefault: true })
    .where(and(eq(policyVersions.policyId, policyId), eq(policyVersions.versionNumber, versionNumber)));
}

/** CreatePolicyVersion parameters. */
export interface CreatePolicyVersionInput {
  readonly policyArn: string;
  readonly policyDocument: string;
  readonly setAsDefault?: boolean | null;
}

/** A new version with the document's non-error findings. */
export interface CreatedPolicyVersion {
  readonly policy: ManagedPolicy;
  readonly version: PolicyVersion;
  readonly findings: readonly Finding[];
}

/**
 * CreatePolicyVersion: store a new immutable version (at most five per policy: LimitExceeded, as
 * AWS asks you to delete one first), optionally making it the default. Built-in policies are
 * versioned by seeding, which passes `allowBuiltIn`.
 */
export async function createPolicyVersion(
  database: Database,
  actor: Actor,
  input: CreatePolicyVersionInput,
  options: PolicyVersionWriteOptions = {},
): Promise<Written<CreatedPolicyVersion>> {
  validateRequired(input.policyDocument, 'input.policyDocument');
  const catalog = await catalogForDocument(database, actor.accountId, input.policyDocument);
  const findings = checkPolicyDocument(input.policyDocument, 'managed', 'input.policyDocument', { catalog });
  return runWrite(database, actor, async (tx, record) => {
    const policy = await writablePolicy(tx, actor.accountId, input.policyArn, options);
    // Taking the next number locks the policy row: concurrent version writes run one at a time.
    const [updated] = await tx
      .update(managedPolicies)
      .set({ lastVersionNumber: sql`${managedPolicies.lastVersionNumber} + 1`, updatedAt: new Date() })
      .where(eq(managedPolicies.id, policy.id))
      .returning();
    const versionNumber = updated!.lastVersionNumber;
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(policyVersions).where(eq(policyVersions.policyId, policy.id));
    enforceQuota('VersionsPerPolicy', count?.n ?? 0);
    await tx.insert(policyVersions).values({ policyId: policy.id, versionNumber, document: input.policyDocument, isDefault: false });
    if (input.setAsDefault === true) await switchDefault(tx, policy.id, versionNumber);
    const [version] = await tx
      .select()
      .from(policyVersions)
      .where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.versionNumber, versionNumber)));
    record({
      kind: 'PolicyVersionCreated',
      entityType: 'policy',
      entityArn: policy.arn,
      // A version that is not the default changes nobody's permissions.
      affectedPrincipalIds: input.setAsDefault === true ? await principalsAffectedByPolicy(tx, policy.id, policy.arn) : [],
      payload: { versionId: version!.versionId, setAsDefault: input.setAsDefault === true },
      ...(policy.accountId === null ? { accountId: null } : {}),
    });
    return { policy: updated!, version: version!, findings };
  });
}

/** SetDefaultPolicyVersion: make an existing version the one in effect. */
export async function setDefaultPolicyVersion(
  database: Database,
  actor: Actor,
  input: { readonly policyArn: string; readonly versionId: string },
  options: FindPolicyOptions = {},
): Promise<Written<{ policy: ManagedPolicy; version: PolicyVersion }>> {
  return runWrite(database, actor, async (tx, record) => {
    const policy = await getOwnPolicy(tx, actor.accountId, input.policyArn, 'input.policyArn', options);
    await lockPolicy(tx, policy.id);
    const version = await findVersion(tx, policy, input.versionId);
    let affected: string[] = [];
    if (!version.isDefault) {
      await switchDefault(tx, policy.id, version.versionNumber);
      affected = await principalsAffectedByPolicy(tx, policy.id, policy.arn);
    }
    const [updated] = await tx.update(managedPolicies).set({ updatedAt: new Date() }).where(eq(managedPolicies.id, policy.id)).returning();
    record({
      kind: 'PolicyDefaultVersionSet',
      entityType: 'policy',
      entityArn: policy.arn,
      affectedPrincipalIds: affected,
      payload: { versionId: version.versionId },
    });
    return { policy: updated!, version: { ...version, isDefault: true } };
  });
}

/**
 * DeletePolicyVersion: delete a non-default version (the default is a DeleteConflict). Seeding
 * prunes built-in policies' old versions with `allowBuiltIn`.
 */
export async function deletePolicyVersion(
  database: Database,
  actor: Actor,
  input: { readonly policyArn: string; readonly versionId: string },
  options: PolicyVersionWriteOptions = {},
): Promise<Written<{ policy: ManagedPolicy; version: PolicyVersion }>> {
  return runWrite(database, actor, async (tx, record) => {
    const policy = await writablePolicy(tx, actor.accountId, input.policyArn, options);
    await lockPolicy(tx, policy.id);
    const version = await findVersion(tx, policy, input.versionId);
    if (version.isDefault) {
      throw new DeleteConflictError('PolicyVersion', `${policy.arn}:${version.versionId}`, 'the default version; set another version as default first');
    }
    await tx
      .delete(policyVersions)
      .where(and(eq(policyVersions.policyId, policy.id), eq(policyVersions.versionNumber, version.versionNumber)));
    record({
      kind: 'PolicyVersionDeleted',
      entityType: 'policy',
      entityArn: policy.arn,
      // Only a non-default version can go, and it was in effect for no one.
      affectedPrincipalIds: [],
      payload: { versionId: version.versionId },
      ...(policy.accountId === null ? { accountId: null } : {}),
    });
    return { policy, version };
  });
}
