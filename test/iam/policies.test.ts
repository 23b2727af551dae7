/**
 * Managed policies and versions at the service level: create/get/list/delete, the version
 * lifecycle, typed errors, quotas, DeleteConflict rules, account scoping and the change rows
 * (with affected principals) each write leaves. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { and, eq, desc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema/index.ts';
import { attachPolicy, detachPolicy } from '../../src/iam/attachments.ts';
import { putPermissionsBoundary, deletePermissionsBoundary } from '../../src/iam/boundaries.ts';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
  ValidationError,
} from '../../src/errors.ts';
import { addUserToGroup } from '../../src/iam/group-membership.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { createPolicy, deletePolicy, getPolicy, listPolicies, tagPolicy, untagPolicy } from '../../src/iam/policies.ts';
import {
  createPolicyVersion,
  deletePolicyVersion,
  getPolicyVersion,
  listPolicyVersions,
  setDefaultPolicyVersion,
} from '../../src/iam/policy-versions.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT, OTHER_ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

/** A valid identity policy allowing `action` on everything. */
function allow(action: string, resource = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
}

let fx: PrincipalsFixture;
beforeAll(async () => {
  fx = await openPrincipalsFixture();
});
afterAll(async () => {
  await fx.close();
});

/** The newest change row for an entity ARN. */
async function lastChange(entityArn: string) {
  const [row] = await fx.database.db
    .select()
    .from(changeLog)
    .where(eq(changeLog.entityArn, entityArn))
    .orderBy(desc(changeLog.revision))
    .limit(1);
  return row!;
}

describe('createPolicy / getPolicy', () => {
  it('creates a policy with v1 as default, an ANPA id and a change row', async () => {
    const { result, revision } = await createPolicy(fx.database, fx.actor, {
      policyName: 'ReadBuckets',
      path: '/team/',
      policyDocument: allow('s3:GetObject'),
      description: 'read',
      tags: [{ key: 'team', value: 'data' }],
    });
    expect(result.policy.arn).toBe(`arn:aws:iam::${ACCOUNT}:policy/team/ReadBuckets`);
    expect(result.policy.id).toMatch(/^ANPA[A-Z2-7]{17}$/);
    expect(result.version).toMatchObject({ versionId: 'v1', isDefault: true });
    expect(result.policy.tags).toEqual([{ key: 'team', value: 'data' }]);
    expect(revision).toMatch(/^[0-9]+$/);
    const change = await lastChange(result.policy.arn);
    expect(change).toMatchObject({ kind: 'PolicyCreated', accountId: ACCOUNT, revision: BigInt(revision) });
    const fetched = await getPolicy(fx.database.db, ACCOUNT, result.policy.arn);
    expect(fetched.name).toBe('ReadBuckets');
  });

  it('returns the non-error findings of the document', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }] });
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'NotS3', policyDocument: doc });
    expect(result.findings.map((f) => f.issueCode)).toContain('ALLOW_WITH_NOT_ACTION');
  });

  it('refuses a duplicate name case-insensitively', async () => {
    await expect(createPolicy(fx.database, fx.actor, { policyName: 'readbuckets', policyDocument: allow('s3:*') })).rejects.toBeInstanceOf(
      EntityAlreadyExistsError,
    );
  });

  it('refuses a malformed document with located findings', async () => {
    const error = await createPolicy(fx.database, fx.actor, {
      policyName: 'Broken',
      policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedPolicyDocumentError);
    const malformed = error as MalformedPolicyDocumentError;
    expect(malformed.field).toBe('input.policyDocument');
    expect(malformed.findings.some((f) => f.findingType === 'ERROR' && f.issueCode === 'MISSING_ACTION')).toBe(true);
  });

  it('refuses a document over the managed size quota as LimitExceeded', async () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:GetObjectNumber${i}`);
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
    const error = await createPolicy(fx.database, fx.actor, { policyName: 'Huge', policyDocument: doc }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).quota).toBe('PolicySize');
  });

  it('validates names and paths with field and rule', async () => {
    const bad = await createPolicy(fx.database, fx.actor, { policyName: 'bad name', policyDocument: allow('s3:*') }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ field: 'input.policyName', rule: 'pattern' });
    const badPath = await createPolicy(fx.database, fx.actor, { policyName: 'Ok', path: 'nope', policyDocument: allow('s3:*') }).catch((e: unknown) => e);
    expect(badPath).toBeInstanceOf(ValidationError);
    expect(badPath).toMatchObject({ field: 'input.path' });
  });

  it("never shows another account's policy", async () => {
    const { result } = await createPolicy(fx.database, fx.otherActor, { policyName: 'Secret', policyDocument: allow('s3:*') });
    await expect(getPolicy(fx.database.db, ACCOUNT, result.policy.arn)).rejects.toBeInstanceOf(NoSuchEntityError);
    const page = await listPolicies(fx.database.db, ACCOUNT, { scope: 'ALL' });
    expect(page.items.map((p) => p.arn)).not.toContain(result.policy.arn);
  });

  it('rejects a malformed ARN as a ValidationError', async () => {
    await expect(getPolicy(fx.database.db, ACCOUNT, 'arn:aws:s3:::bucket')).rejects.toMatchObject({ field: 'input.policyArn', rule: 'pattern' });
  });
});

describe('listPolicies', () => {
  it('pages by name with cursors, filters by scope, path prefix and attachment', async () => {
    for (const name of ['PageA', 'PageB', 'PageC', 'PageD', 'PageE']) {
      await createPolicy(fx.database, fx.actor, { policyName: name, path: '/paged/', policyDocument: allow('s3:ListBucket') });
    }
    const first = await listPolicies(fx.database.db, ACCOUNT, { pathPrefix: '/paged/', first: 2 });
    expect(first.items.map((p) => p.name)).toEqual(['PageA', 'PageB']);
    expect(first.hasNextPage).toBe(true);
    const second = await listPolicies(fx.database.db, ACCOUNT, { pathPrefix: '/paged/', first: 2, after: first.cursors[1] });
    expect(second.items.map((p) => p.name)).toEqual(['PageC', 'PageD']);
    const third = await listPolicies(fx.database.db, ACCOUNT, { pathPrefix: '/paged/', first: 2, after: second.cursors[1] });
    expect(third.items.map((p) => p.name)).toEqual(['PageE']);
    expect(third.hasNextPage).toBe(false);

    expect((await listPolicies(fx.database.db, ACCOUNT, { scope: 'AWS' })).items).toEqual([]);
    const local = await listPolicies(fx.database.db, ACCOUNT, { scope: 'LOCAL', first: 1000 });
    expect(local.items.every((p) => p.accountId === ACCOUNT)).toBe(true);

    await createUser(fx.database, fx.actor, { userName: 'lister' });
    const arn = `arn:aws:iam::${ACCOUNT}:policy/paged/PageC`;
    await attachPolicy(fx.database, fx.actor, 'user', { principalName: 'lister', policyArn: arn });
    const attached = await listPolicies(fx.database.db, ACCOUNT, { onlyAttached: true, pathPrefix: '/paged/' });
    expect(attached.items.map((p) => p.name)).toEqual(['PageC']);
  });

  it('rejects a forged cursor and an out-of-range page size', async () => {
    await expect(listPolicies(fx.database.db, ACCOUNT, { after: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(ValidationError);
    await expect(listPolicies(fx.database.db, ACCOUNT, { first: 0 })).rejects.toMatchObject({ field: 'first', rule: 'range' });
  });
});

describe('policy versions', () => {
  it('creates, lists, switches default and deletes versions; ids are never reused', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'Versioned', policyDocument: allow('s3:GetObject') });
    const arn = result.policy.arn;
    const v2 = await createPolicyVersion(fx.database, fx.actor, { policyArn: arn, policyDocument: allow('s3:PutObject') });
    expect(v2.result.version).toMatchObject({ versionId: 'v2', isDefault: false });
    const v3 = await createPolicyVersion(fx.database, fx.actor, { policyArn: arn, policyDocument: allow('s3:DeleteObject'), setAsDefault: true });
    expect(v3.result.version).toMatchObject({ versionId: 'v3', isDefault: true });
    expect((await listPolicyVersions(fx.database.db, ACCOUNT, arn)).map((v) => [v.versionId, v.isDefault])).toEqual([
      ['v3', true],
      ['v2', false],
      ['v1', false],
    ]);
    await setDefaultPolicyVersion(fx.database, fx.actor, { policyArn: arn, versionId: 'v1' });
    expect((await getPolicyVersion(fx.database.db, ACCOUNT, arn, 'v1')).isDefault).toBe(true);
    await deletePolicyVersion(fx.database, fx.actor, { policyArn: arn, versionId: 'v3' });
    const v4 = await createPolicyVersion(fx.database, fx.actor, { policyArn: arn, policyDocument: allow('s3:ListBucket') });
    expect(v4.result.version.versionId).toBe('v4');
    // Versions are immutable: v2 still holds its original text.
    expect((await getPolicyVersion(fx.database.db, ACCOUNT, arn, 'v2')).document).toBe(allow('s3:PutObject'));
  });

  it('allows five versions and refuses the sixth with LimitExceeded', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'FiveMax', policyDocument: allow('s3:GetObject') });
    for (let i = 2; i <= 5; i++) {
      await createPolicyVersion(fx.database, fx.actor, { policyArn: result.policy.arn, policyDocument: allow(`s3:Get${i}`) });
    }
    const error = await createPolicyVersion(fx.database, fx.actor, { policyArn: result.policy.arn, policyDocument: allow('s3:Get6') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ quota: 'VersionsPerPolicy', limit: 5 });
  });

  it('numbers concurrent versions uniquely and keeps the five-version quota', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'Concurrent', policyDocument: allow('s3:GetObject') });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 7 }, (_, i) =>
        createPolicyVersion(fx.database, fx.actor, { policyArn: result.policy.arn, policyDocument: allow(`s3:Get${i}`), setAsDefault: i % 2 === 0 }),
      ),
    );
    const created = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.result.version.versionId] : []));
    expect(created.sort()).toEqual(['v2', 'v3', 'v4', 'v5']);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected.every((o) => o.reason instanceof LimitExceededError)).toBe(true);
    const versions = await listPolicyVersions(fx.database.db, ACCOUNT, result.policy.arn);
    expect(versions.filter((v) => v.isDefault)).toHaveLength(1);
  });

  it('refuses to delete the default version, and reports unknown versions', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'KeepDefault', policyDocument: allow('s3:GetObject') });
    await expect(deletePolicyVersion(fx.database, fx.actor, { policyArn: result.policy.arn, versionId: 'v1' })).rejects.toBeInstanceOf(DeleteConflictError);
    await expect(getPolicyVersion(fx.database.db, ACCOUNT, result.policy.arn, 'v9')).rejects.toBeInstanceOf(NoSuchEntityError);
    await expect(getPolicyVersion(fx.database.db, ACCOUNT, result.policy.arn, 'version1')).rejects.toMatchObject({ rule: 'pattern' });
  });

  it('records every principal the default switch affects: attached users, groups with members, boundaries', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'Shared', policyDocument: allow('s3:GetObject') });
    const arn = result.policy.arn;
    const direct = (await createUser(fx.database, fx.actor, { userName: 'direct' })).result;
    const member = (await createUser(fx.database, fx.actor, { userName: 'member' })).result;
    const bounded = (await createUser(fx.database, fx.actor, { userName: 'bounded' })).result;
    const group = (await createGroup(fx.database, fx.actor, { groupName: 'SharedGroup' })).result;
    await addUserToGroup(fx.database, fx.actor, { groupName: 'SharedGroup', userName: 'member' });
    await attachPolicy(fx.database, fx.actor, 'user', { principalName: 'direct', policyArn: arn });
    await attachPolicy(fx.database, fx.actor, 'group', { principalName: 'SharedGroup', policyArn: arn });
    await putPermissionsBoundary(fx.database, fx.actor, 'user', { principalName: 'bounded', permissionsBoundary: arn });

    const hidden = await createPolicyVersion(fx.database, fx.actor, { policyArn: arn, policyDocument: allow('s3:PutObject') });
    expect((await lastChange(arn)).affectedPrincipalIds).toEqual([]);
    await setDefaultPolicyVersion(fx.database, fx.actor, { policyArn: arn, versionId: hidden.result.version.versionId });
    const change = await lastChange(arn);
    expect(change.kind).toBe('PolicyDefaultVersionSet');
    expect(change.affectedPrincipalIds).toEqual([direct.id, member.id, bounded.id, group.id].sort());

    // Attached or used as a boundary: DeletePolicy is a conflict until both are gone.
    await expect(deletePolicy(fx.database, fx.actor, arn)).rejects.toBeInstanceOf(DeleteConflictError);
    await detachPolicy(fx.database, fx.actor, 'user', { principalName: 'direct', policyArn: arn });
    await detachPolicy(fx.database, fx.actor, 'group', { principalName: 'SharedGroup', policyArn: arn });
    await expect(deletePolicy(fx.database, fx.actor, arn)).rejects.toMatchObject({ dependents: expect.stringContaining('boundary') });
    await deletePermissionsBoundary(fx.database, fx.actor, 'user', { principalName: 'bounded' });
    await deletePolicy(fx.database, fx.actor, arn);
    await expect(getPolicy(fx.database.db, ACCOUNT, arn)).rejects.toBeInstanceOf(NoSuchEntityError);
    const versionsLeft = await fx.database.db.select().from(changeLog).where(and(eq(changeLog.entityArn, arn), eq(changeLog.kind, 'PolicyDeleted')));
    expect(versionsLeft).toHaveLength(1);
  });

  it("cannot version or delete another account's policy", async () => {
    const { result } = await createPolicy(fx.database, fx.otherActor, { policyName: 'TheirsOnly', policyDocument: allow('s3:*') });
    await expect(createPolicyVersion(fx.database, fx.actor, { policyArn: result.policy.arn, policyDocument: allow('s3:Get') })).rejects.toBeInstanceOf(
      NoSuchEntityError,
    );
    await expect(deletePolicy(fx.database, fx.actor, result.policy.arn)).rejects.toBeInstanceOf(NoSuchEntityError);
    expect((await getPolicy(fx.database.db, OTHER_ACCOUNT, result.policy.arn)).name).toBe('TheirsOnly');
  });
});

describe('policy tags', () => {
  it('adds, overwrites (any case) and removes tags; refuses built-ins and the 51st tag', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'Tagged', policyDocument: allow('s3:GetObject'), tags: [{ key: 'team', value: 'a' }] });
    const arn = result.policy.arn;
    const tagged = await tagPolicy(fx.database, fx.actor, { policyArn: arn, tags: [{ key: 'Team', value: 'b' }, { key: 'env', value: 'prod' }] });
    expect(tagged.result.tags).toEqual([{ key: 'Team', value: 'b' }, { key: 'env', value: 'prod' }]);
    expect((await lastChange(arn)).kind).toBe('PolicyTagged');
    const untagged = await untagPolicy(fx.database, fx.actor, { policyArn: arn, tagKeys: ['TEAM', 'absent'] });
    expect(untagged.result.tags).toEqual([{ key: 'env', value: 'prod' }]);
    const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expect(tagPolicy(fx.database, fx.actor, { policyArn: arn, tags: many })).rejects.toMatchObject({ quota: 'TagsPerEntity' });
    await expect(tagPolicy(fx.database, fx.actor, { policyArn: arn, tags: [{ key: 'aws:x', value: 'v' }] })).rejects.toMatchObject({ rule: 'reserved' });
    const builtIn = await createPolicy(fx.database, fx.actor, { policyName: 'BuiltInTagTarget', policyDocument: allow('s3:Get*') }, null);
    await expect(tagPolicy(fx.database, fx.actor, { policyArn: builtIn.result.policy.arn, tags: [{ key: 'a', value: 'b' }] })).rejects.toMatchObject({
      field: 'input.policyArn',
      rule: 'built-in',
    });
  });
});
