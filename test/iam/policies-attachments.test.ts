/**
 * Attachments, inline policies, permissions boundaries and trust policies at the service level:
 * success paths, typed errors, the ten-policy and inline-size quotas, built-in policies attachable
 * in every account, and affected principals on each change row.
 */
import { desc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog, roles } from '../../src/db/schema/index.ts';
import {
  attachPolicy,
  attachedPoliciesByPrincipal,
  detachPolicy,
  listAttachedPolicies,
  listEntitiesForPolicy,
  policyUsageCounts,
} from '../../src/iam/attachments.ts';
import { deletePermissionsBoundary, putPermissionsBoundary } from '../../src/iam/boundaries.ts';
import { LimitExceededError, MalformedPolicyDocumentError, NoSuchEntityError, ValidationError } from '../../src/errors.ts';
import { addUserToGroup } from '../../src/iam/group-membership.ts';
import { createGroup } from '../../src/iam/groups.ts';
import { deleteInlinePolicy, getInlinePolicy, listInlinePolicies, putInlinePolicy } from '../../src/iam/inline-policies.ts';
import { createPolicy, getPolicy } from '../../src/iam/policies.ts';
import { createRole } from '../../src/iam/roles.ts';
import { updateAssumeRolePolicy } from '../../src/iam/trust-policy.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT, OTHER_ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

/** A valid identity policy allowing `action` on everything. */
function allow(action: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
}

let fx: PrincipalsFixture;
const trust = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });

beforeAll(async () => {
  fx = await openPrincipalsFixture();
  await createUser(fx.database, fx.actor, { userName: 'ana' });
  await createUser(fx.database, fx.actor, { userName: 'ben' });
  await createGroup(fx.database, fx.actor, { groupName: 'Team' });
  await addUserToGroup(fx.database, fx.actor, { groupName: 'Team', userName: 'ben' });
  await createRole(fx.database, fx.actor, { roleName: 'Worker', assumeRolePolicyDocument: trust('ec2.amazonaws.com') });
  await createUser(fx.database, fx.otherActor, { userName: 'ana' });
});
afterAll(async () => {
  await fx.close();
});

async function lastChange() {
  const [row] = await fx.database.db.select().from(changeLog).orderBy(desc(changeLog.revision)).limit(1);
  return row!;
}

describe('attach and detach', () => {
  it('attaches to users, groups and roles; group changes affect the members too', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'Attach1', policyDocument: allow('s3:GetObject') });
    const arn = result.policy.arn;
    const toUser = await attachPolicy(fx.database, fx.actor, 'user', { principalName: 'ANA', policyArn: arn });
    expect(toUser.result.principal.name).toBe('ana');
    expect((await lastChange()).affectedPrincipalIds).toEqual([toUser.result.principal.id]);
    const toGroup = await attachPolicy(fx.database, fx.actor, 'group', { principalName: 'Team', policyArn: arn });
    const change = await lastChange();
    expect(change).toMatchObject({ kind: 'PolicyAttached', entityType: 'group', payload: { policyArn: arn } });
    expect(change.affectedPrincipalIds).toContain(toGroup.result.principal.id);
    expect(change.affectedPrincipalIds).toHaveLength(2);
    await attachPolicy(fx.database, fx.actor, 'role', { principalName: 'Worker', policyArn: arn });

    const entities = (await listEntitiesForPolicy(fx.database.db, ACCOUNT, { policyArn: arn })).items;
    expect(entities.map((e) => `${e.kind}:${e.name}`)).toEqual(['group:Team', 'role:Worker', 'user:ana']);
    const onlyUsers = (await listEntitiesForPolicy(fx.database.db, ACCOUNT, { policyArn: arn, entityFilter: 'user' })).items;
    expect(onlyUsers.map((e) => e.name)).toEqual(['ana']);
    const usage = await policyUsageCounts(fx.database.db, ACCOUNT, [result.policy]);
    expect(usage.get(result.policy.id)).toEqual({ attachmentCount: 3, permissionsBoundaryUsageCount: 0 });

    // Attaching again changes nothing and records nothing.
    const before = (await lastChange()).revision;
    await attachPolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyArn: arn });
    expect((await lastChange()).revision).toBe(before);

    await detachPolicy(fx.database, fx.actor, 'role', { principalName: 'Worker', policyArn: arn });
    await expect(detachPolicy(fx.database, fx.actor, 'role', { principalName: 'Worker', policyArn: arn })).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('refuses the eleventh attached policy with LimitExceeded', async () => {
    await createUser(fx.database, fx.actor, { userName: 'collector' });
    for (let i = 1; i <= 11; i++) {
      const { result } = await createPolicy(fx.database, fx.actor, { policyName: `Many${i}`, policyDocument: allow(`s3:Get${i}`) });
      const attempt = attachPolicy(fx.database, fx.actor, 'user', { principalName: 'collector', policyArn: result.policy.arn });
      if (i <= 10) await attempt;
      else await expect(attempt).rejects.toMatchObject({ quota: 'AttachedPoliciesPerUser', limit: 10 });
    }
    const page1 = await listAttachedPolicies(fx.database.db, ACCOUNT, 'user', { principalName: 'collector', first: 4 });
    expect(page1.items.map((p) => p.name)).toEqual(['Many1', 'Many10', 'Many2', 'Many3']);
    const page2 = await listAttachedPolicies(fx.database.db, ACCOUNT, 'user', { principalName: 'collector', first: 100, after: page1.cursors[3] });
    expect(page2.items).toHaveLength(6);
    expect(page2.hasNextPage).toBe(false);
  });

  it('keeps the ten-policy quota under concurrent attaches', async () => {
    await createUser(fx.database, fx.actor, { userName: 'racer' });
    const arns: string[] = [];
    for (let i = 0; i < 12; i++) {
      arns.push((await createPolicy(fx.database, fx.actor, { policyName: `Race${i}`, policyDocument: allow(`s3:Race${i}`) })).result.policy.arn);
    }
    const outcomes = await Promise.allSettled(arns.map((policyArn) => attachPolicy(fx.database, fx.actor, 'user', { principalName: 'racer', policyArn })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failures.map((f) => (f.reason as LimitExceededError).quota)).toEqual(['AttachedPoliciesPerUser', 'AttachedPoliciesPerUser']);
  });

  it('names the missing principal or policy', async () => {
    const { result } = await createPolicy(fx.database, fx.actor, { policyName: 'Attach2', policyDocument: allow('s3:GetObject') });
    await expect(attachPolicy(fx.database, fx.actor, 'user', { principalName: 'nobody', policyArn: result.policy.arn })).rejects.toMatchObject({
      entityType: 'User',
      entityName: 'nobody',
    });
    await expect(
      attachPolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyArn: `arn:aws:iam::${ACCOUNT}:policy/Missing` }),
    ).rejects.toMatchObject({ entityType: 'Policy' });
    // Another account's policy is invisible, hence missing.
    await expect(
      attachPolicy(fx.database, fx.otherActor, 'user', { principalName: 'ana', policyArn: result.policy.arn }),
    ).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('attaches built-in policies in every account, counting usage per account', async () => {
    const { result } = await createPolicy(
      fx.database,
      { accountId: ACCOUNT, arn: 'arn:aws:iam::aws:root' },
      { policyName: 'BuiltInRead', policyDocument: allow('s3:Get*') },
      null,
    );
    expect(result.policy.arn).toBe('arn:aws:iam::aws:policy/BuiltInRead');
    const [globalRow] = await fx.database.db.select().from(changeLog).where(eq(changeLog.entityArn, result.policy.arn));
    expect(globalRow?.accountId).toBeNull();
    await attachPolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyArn: result.policy.arn });
    await attachPolicy(fx.database, fx.otherActor, 'user', { principalName: 'ana', policyArn: result.policy.arn });
    expect((await policyUsageCounts(fx.database.db, ACCOUNT, [result.policy])).get(result.policy.id)?.attachmentCount).toBe(1);
    expect((await getPolicy(fx.database.db, OTHER_ACCOUNT, result.policy.arn)).accountId).toBeNull();
    const entities = (await listEntitiesForPolicy(fx.database.db, OTHER_ACCOUNT, { policyArn: result.policy.arn })).items;
    expect(entities).toHaveLength(1);
    const byPrincipal = await attachedPoliciesByPrincipal(fx.database.db, [entities[0]!.id]);
    expect(byPrincipal.get(entities[0]!.id)?.map((p) => p.name)).toEqual(['BuiltInRead']);
    expect(await fx.database.db.select().from(changeLog).where(isNull(changeLog.accountId))).toHaveLength(1);
  });
});

describe('inline policies', () => {
  it('puts, replaces, gets, lists and deletes', async () => {
    const put = await putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyName: 'Inline1', policyDocument: allow('s3:GetObject') });
    expect(put.result.inlinePolicy.document).toBe(allow('s3:GetObject'));
    await putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyName: 'Inline1', policyDocument: allow('s3:PutObject') });
    await putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyName: 'Inline2', policyDocument: allow('s3:ListBucket') });
    expect((await getInlinePolicy(fx.database.db, ACCOUNT, 'user', { principalName: 'ana', policyName: 'Inline1' })).document).toBe(allow('s3:PutObject'));
    const page = await listInlinePolicies(fx.database.db, ACCOUNT, 'user', { principalName: 'ana', first: 1 });
    expect(page.items.map((p) => p.name)).toEqual(['Inline1']);
    const rest = await listInlinePolicies(fx.database.db, ACCOUNT, 'user', { principalName: 'ana', after: page.cursors[0] });
    expect(rest.items.map((p) => p.name)).toEqual(['Inline2']);
    await deleteInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyName: 'Inline2' });
    await expect(getInlinePolicy(fx.database.db, ACCOUNT, 'user', { principalName: 'ana', policyName: 'Inline2' })).rejects.toMatchObject({
      entityType: 'InlinePolicy',
    });
    expect((await lastChange()).kind).toBe('InlinePolicyDeleted');
  });

  it('affects the group and its members', async () => {
    await putInlinePolicy(fx.database, fx.actor, 'group', { principalName: 'Team', policyName: 'GroupInline', policyDocument: allow('s3:GetObject') });
    expect((await lastChange()).affectedPrincipalIds).toHaveLength(2);
  });

  it('enforces the aggregate inline size per principal kind: user 2,048, group 5,120, role 10,240', async () => {
    // About 1,500 characters without white space each.
    const sized = (n: number) => allow(`s3:${'G'.repeat(n)}`);
    const base = allow('s3:').length;
    await putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ben', policyName: 'Big1', policyDocument: sized(1500 - base) });
    const second = await putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ben', policyName: 'Big2', policyDocument: sized(1500 - base) }).catch(
      (e: unknown) => e,
    );
    expect(second).toBeInstanceOf(LimitExceededError);
    expect(second).toMatchObject({ quota: 'UserPolicySize', limit: 2048 });
    // Replacing Big1 itself does not count its old text.
    await putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ben', policyName: 'Big1', policyDocument: sized(2000 - base) });
    // A role takes a single 8,000-character policy (over the managed quota of 6,144).
    await putInlinePolicy(fx.database, fx.actor, 'role', { principalName: 'Worker', policyName: 'Large', policyDocument: sized(8000 - base) });
    await expect(
      putInlinePolicy(fx.database, fx.actor, 'group', { principalName: 'Team', policyName: 'TooLarge', policyDocument: sized(6000 - base) }),
    ).rejects.toMatchObject({ quota: 'GroupPolicySize' });
  });

  it('refuses malformed documents and bad names', async () => {
    await expect(
      putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyName: 'Bad', policyDocument: '{"Statement":[' }),
    ).rejects.toBeInstanceOf(MalformedPolicyDocumentError);
    await expect(
      putInlinePolicy(fx.database, fx.actor, 'user', { principalName: 'ana', policyName: 'has space', policyDocument: allow('s3:Get') }),
    ).rejects.toMatchObject({ field: 'input.policyName' });
  });
});

describe('permissions boundaries and trust policies', () => {
  it('sets, replaces and removes a boundary, affecting only that principal', async () => {
    const a = (await createPolicy(fx.database, fx.actor, { policyName: 'BoundaryA', policyDocument: allow('s3:*') })).result.policy;
    const b = (await createPolicy(fx.database, fx.actor, { policyName: 'BoundaryB', policyDocument: allow('ec2:*') })).result.policy;
    const set = await putPermissionsBoundary(fx.database, fx.actor, 'role', { principalName: 'Worker', permissionsBoundary: a.arn });
    expect((await lastChange()).affectedPrincipalIds).toEqual([set.result.principal.id]);
    await putPermissionsBoundary(fx.database, fx.actor, 'role', { principalName: 'Worker', permissionsBoundary: b.arn });
    const [role] = await fx.database.db.select().from(roles).where(eq(roles.name, 'Worker'));
    expect(role?.permissionsBoundaryArn).toBe(b.arn);
    expect((await policyUsageCounts(fx.database.db, ACCOUNT, [a, b])).get(b.id)?.permissionsBoundaryUsageCount).toBe(1);
    await deletePermissionsBoundary(fx.database, fx.actor, 'role', { principalName: 'Worker' });
    expect((await lastChange()).kind).toBe('PermissionsBoundaryDeleted');
    await expect(
      putPermissionsBoundary(fx.database, fx.actor, 'user', { principalName: 'ana', permissionsBoundary: 'not-an-arn' }),
    ).rejects.toMatchObject({ field: 'input.permissionsBoundary', rule: 'pattern' });
  });

  it('updates a trust policy validated as a trust document', async () => {
    const updated = await updateAssumeRolePolicy(fx.database, fx.actor, { roleName: 'Worker', policyDocument: trust('lambda.amazonaws.com') });
    expect(updated.result.role.name).toBe('Worker');
    const [role] = await fx.database.db.select().from(roles).where(eq(roles.name, 'Worker'));
    expect(role?.trustPolicy).toContain('lambda.amazonaws.com');
    // An identity policy has no Principal: not a valid trust policy.
    await expect(updateAssumeRolePolicy(fx.database, fx.actor, { roleName: 'Worker', policyDocument: allow('s3:*') })).rejects.toBeInstanceOf(
      MalformedPolicyDocumentError,
    );
    await expect(updateAssumeRolePolicy(fx.database, fx.actor, { roleName: 'Nope', policyDocument: trust('ec2.amazonaws.com') })).rejects.toBeInstanceOf(
      NoSuchEntityError,
    );
    await expect(updateAssumeRolePolicy(fx.database, fx.actor, { roleName: 'Worker', policyDocument: '' })).rejects.toBeInstanceOf(ValidationError);
  });
});
