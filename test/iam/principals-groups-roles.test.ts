import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeLog } from '../../src/db/schema/index.ts';
import { getAccountSummary } from '../../src/iam/account-summary.ts';
import {
  DeleteConflictError,
  EntityAlreadyExistsError,
  LimitExceededError,
  MalformedPolicyDocumentError,
  NoSuchEntityError,
} from '../../src/errors.ts';
import { addUserToGroup, groupsOfUsers, listGroupsForUser, listUsersInGroup, removeUserFromGroup } from '../../src/iam/group-membership.ts';
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from '../../src/iam/groups.ts';
import { createRole, deleteRole, getRole, listRoles, updateRole } from '../../src/iam/roles.ts';
import { listRoleTags, listUserTags, tagRole, tagUser, untagRole, untagUser } from '../../src/iam/tags.ts';
import { createUser } from '../../src/iam/users.ts';
import { ACCOUNT, openPrincipalsFixture, type PrincipalsFixture } from './support/principals.ts';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

let fx: PrincipalsFixture;
beforeAll(async () => {
  fx = await openPrincipalsFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('groups and membership', () => {
  it('creates, finds in any case, and refuses duplicates case-insensitively', async () => {
    const { result } = await createGroup(fx.database, fx.actor, { groupName: 'Admins', path: '/ops/' });
    expect(result.arn).toBe(`arn:aws:iam::${ACCOUNT}:group/ops/Admins`);
    expect(result.id).toMatch(/^AGPA/);
    expect((await getGroup(fx.database.db, ACCOUNT, 'admins')).id).toBe(result.id);
    await expect(createGroup(fx.database, fx.actor, { groupName: 'ADMINS' })).rejects.toBeInstanceOf(EntityAlreadyExistsError);
    await expect(getGroup(fx.database.db, '444455556666', 'Admins')).rejects.toBeInstanceOf(NoSuchEntityError);
  });

  it('adds a user to a group once, recording the user as affected', async () => {
    const { result: user } = await createUser(fx.database, fx.actor, { userName: 'ivan' });
    const { revision } = await addUserToGroup(fx.database, fx.actor, { groupName: 'Admins', userName: 'IVAN' });
    const [change] = await fx.database.db.select().from(changeLog).where(eq(changeLog.revision, BigInt(revision)));
    expect(change).toMatchObject({ kind: 'UserAddedToGroup', affectedPrincipalIds: [user.id] });
    // A second add is a no-op: nothing is recorded and the revision does not move.
    const again = await addUserToGroup(fx.database, fx.actor, { groupName: 'Admins', userName: 'ivan' });
    expect(again.revision).toBe(revision);
    expect((await listUsersInGroup(fx.database.db, ACCOUNT, 'Admins')).items.map((u) => u.name)).toEqual(['ivan']);
    expect((await listGroupsForUser(fx.database.db, ACCOUNT, 'ivan')).items.map((g) => g.name)).toEqual(['Admins']);
  });

  it('caps a user at 10 groups with LimitExceeded', async () => {
    await createUser(fx.database, fx.actor, { userName: 'joiner' });
    for (let i = 0; i < 10; i++) {
      await createGroup(fx.database, fx.actor, { groupName: `g${String(i).padStart(2, '0')}` });
      await addUserToGroup(fx.database, fx.actor, { groupName: `g${String(i).padStart(2, '0')}`, userName: 'joiner' });
    }
    const error = await addUserToGroup(fx.database, fx.actor, { groupName: 'Admins', userName: 'joiner' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededError);
    expect(error).toMatchObject({ quota: 'GroupsPerUser', limit: 10 });
  });

  it('pages each parent\'s list in one statement for many parents', async () => {
    const joiner = await createUser(fx.database, fx.actor, { userName: 'joiner2' });
    await addUserToGroup(fx.database, fx.actor, { groupName: 'g00', userName: 'joiner2' });
    const ivan = (await listUsersInGroup(fx.database.db, ACCOUNT, 'Admins')).items[0]!;
    const all = await listGroupsForUser(fx.database.db, ACCOUNT, 'joiner');
    fx.statements.length = 0;
    const pages = await groupsOfUsers(fx.database.db, ACCOUNT, [all.items[0]!.id, joiner.result.id, ivan.id], { first: 3 });
    expect(fx.statements).toHaveLength(1);
    expect(pages.get(joiner.result.id)!.items.map((g) => g.name)).toEqual(['g00']);
    expect(pages.get(ivan.id)!.items.map((g) => g.name)).toEqual(['Admins']);
    const joinerId = (await listUsersInGroup(fx.database.db, ACCOUNT, 'g05')).items[0]!.id;
    const firstPage = (await groupsOfUsers(fx.database.db, ACCOUNT, [joinerId], { first: 3 })).get(joinerId)!;
    expect(firstPage.items.map((g) => g.name)).toEqual(['g00', 'g01', 'g02']);
    expect(firstPage.hasNextPage).toBe(true);
    const next = await listGroupsForUser(fx.database.db, ACCOUNT, 'joiner', { first: 3, after: firstPage.cursors[2] });
    expect(next.items.map((g) => g.name)).toEqual(['g03', 'g04', 'g05']);
  });

  it('refuses to delete a group with members, then deletes it empty', async () => {
    await expect(deleteGroup(fx.database, fx.actor, 'Admins')).rejects.toBeInstanceOf(DeleteConflictError);
    await removeUserFromGroup(fx.database, fx.actor, { groupName: 'Admins', userName: 'ivan' });
    await removeUserFromGroup(fx.database, fx.actor, { groupName: 'Admins', userName: 'ivan' });
    expect((await deleteGroup(fx.database, fx.actor, 'admins')).result.name).toBe('Admins');
  });

  it('renames a group and records its members as affected', async () => {
    const members = (await listUsersInGroup(fx.database.db, ACCOUNT, 'g00')).items.map((u) => u.id);
    const group = await getGroup(fx.database.db, ACCOUNT, 'g00');
    const { result, revision } = await updateGroup(fx.database, fx.actor, { groupName: 'g00', newGroupName: 'first', newPath: '/x/' });
    expect(result.arn).toBe(`arn:aws:iam::${ACCOUNT}:group/x/first`);
    const [change] = await fx.database.db.select().from(changeLog).where(eq(changeLog.revision, BigInt(revision)));
    expect([...change!.affectedPrincipalIds].sort()).toEqual([group.id, ...members].sort());
    await expect(updateGroup(fx.database, fx.actor, { groupName: 'first', newGroupName: 'G01' })).rejects.toBeInstanceOf(EntityAlreadyExistsError);
  });

  it('lists groups by path prefix', async () => {
    expect((await listGroups(fx.database.db, ACCOUNT, { pathPrefix: '/x/' })).items.map((g) => g.name)).toEqual(['first']);
  });
});

describe('roles', () => {
  it('creates a role with a validated trust policy, description and session cap', async () => {
    const { result } = await createRole(fx.database, fx.actor, {
      roleName: 'Deployer',
      path: '/ci/',
      assumeRolePolicyDocument: TRUST,
      description: 'Deploys things',
      maxSessionDuration: 7200,
      tags: [{ key: 'env', value: 'prod' }],
    });
    expect(result.role.arn).toBe(`arn:aws:iam::${ACCOUNT}:role/ci/Deployer`);
    expect(result.role.id).toMatch(/^AROA/);
    expect(result.role).toMatchObject({ maxSessionDuration: 7200, description: 'Deploys things', trustPolicy: TRUST });
  });

  it('refuses a malformed trust policy, naming the input', async () => {
    const error = await createRole(fx.database, fx.actor, {
      roleName: 'Broken',
      assumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedPolicyDocumentError);
    expect(error).toMatchObject({ field: 'input.assumeRolePolicyDocument' });
  });

  it.each([3599, 43_201, 1.5])('refuses maxSessionDuration %s', async (maxSessionDuration) => {
    await expect(
      createRole(fx.database, fx.actor, { roleName: 'Short', assumeRolePolicyDocument: TRUST, maxSessionDuration }),
    ).rejects.toMatchObject({ field: 'input.maxSessionDuration', rule: 'range' });
  });

  it('refuses duplicates case-insensitively and lists by prefix', async () => {
    await expect(createRole(fx.database, fx.actor, { roleName: 'deployer', assumeRolePolicyDocument: TRUST })).rejects.toBeInstanceOf(
      EntityAlreadyExistsError,
    );
    await createRole(fx.database, fx.actor, { roleName: 'Reader', assumeRolePolicyDocument: TRUST });
    expect((await listRoles(fx.database.db, ACCOUNT, {})).items.map((r) => r.name)).toEqual(['Deployer', 'Reader']);
    expect((await listRoles(fx.database.db, ACCOUNT, { pathPrefix: '/ci' })).items.map((r) => r.name)).toEqual(['Deployer']);
  });

  it('updates description and session cap; an empty description clears it', async () => {
    const { result } = await updateRole(fx.database, fx.actor, { roleName: 'deployer', maxSessionDuration: 43_200 });
    expect(result).toMatchObject({ maxSessionDuration: 43_200, description: 'Deploys things' });
    expect((await updateRole(fx.database, fx.actor, { roleName: 'Deployer', description: '' })).result.description).toBeNull();
  });

  it('deletes a role', async () => {
    await deleteRole(fx.database, fx.actor, 'Reader');
    await expect(getRole(fx.database.db, ACCOUNT, 'Reader')).rejects.toBeInstanceOf(NoSuchEntityError);
  });
});

describe('tags', () => {
  it('merges keys case-insensitively, the latest spelling winning, and untags by any case', async () => {
    await createUser(fx.database, fx.actor, { userName: 'tagged', tags: [{ key: 'Team', value: 'a' }] });
    await tagUser(fx.database, fx.actor, { userName: 'tagged', tags: [{ key: 'team', value: 'b' }, { key: 'cost', value: '1' }] });
    expect(await listUserTags(fx.database.db, ACCOUNT, 'tagged')).toEqual([
      { key: 'team', value: 'b' },
      { key: 'cost', value: '1' },
    ]);
    await untagUser(fx.database, fx.actor, { userName: 'tagged', tagKeys: ['TEAM', 'absent'] });
    expect(await listUserTags(fx.database.db, ACCOUNT, 'tagged')).toEqual([{ key: 'cost', value: '1' }]);
  });

  it('refuses to pass 50 tags on a role with LimitExceeded', async () => {
    const tags = Array.from({ length: 49 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await tagRole(fx.database, fx.actor, { roleName: 'Deployer', tags });
    expect(await listRoleTags(fx.database.db, ACCOUNT, 'Deployer')).toHaveLength(50);
    await expect(tagRole(fx.database, fx.actor, { roleName: 'Deployer', tags: [{ key: 'one-more', value: 'v' }] })).rejects.toMatchObject({
      quota: 'TagsPerEntity',
      limit: 50,
    });
    // Overwriting an existing key does not grow the count.
    await tagRole(fx.database, fx.actor, { roleName: 'Deployer', tags: [{ key: 'K1', value: 'w' }] });
    await untagRole(fx.database, fx.actor, { roleName: 'Deployer', tagKeys: ['k2'] });
    expect(await listRoleTags(fx.database.db, ACCOUNT, 'Deployer')).toHaveLength(49);
  });

  it('records tag changes against the principal', async () => {
    const rows = await fx.database.db
      .select({ kind: changeLog.kind })
      .from(changeLog)
      .where(and(eq(changeLog.accountId, ACCOUNT), inArray(changeLog.kind, ['UserTagged', 'UserUntagged', 'RoleTagged', 'RoleUntagged'])));
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['UserTagged', 'UserUntagged', 'RoleTagged', 'RoleUntagged']));
  });
});

describe('getAccountSummary', () => {
  it('reports usage next to quotas in one statement, for the caller\'s account only', async () => {
    fx.statements.length = 0;
    const summary = new Map((await getAccountSummary(fx.database.db, ACCOUNT)).map((e) => [e.key, e.value]));
    expect(fx.statements).toHaveLength(1);
    const users = (await fx.database.db.query.users.findMany({ where: { accountId: ACCOUNT, isRoot: false } })).length;
    expect(summary.get('Users')).toBe(users);
    expect(summary.get('UsersQuota')).toBe(5000);
    expect(summary.get('Groups')).toBe(10);
    expect(summary.get('Roles')).toBe(1);
    expect(summary.get('GroupsPerUserQuota')).toBe(10);
    expect(summary.get('AttachedPoliciesPerUserQuota')).toBe(10);
    expect(summary.get('AccountAccessKeysPresent')).toBe(0);
    const other = new Map((await getAccountSummary(fx.database.db, '444455556666')).map((e) => [e.key, e.value]));
    expect(other.get('Users')).toBe(0);
  });
});
