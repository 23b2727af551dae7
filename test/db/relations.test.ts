/** The drizzle relations (`defineRelations`) resolve through the junction tables in one statement. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  groupMemberships,
  groups,
  managedPolicies,
  policyAttachments,
  policyVersions,
  users,
} from '../../src/db/schema/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';
import { createAccount, newUniqueId } from './support/fixtures.ts';

describeStorage('relations', (backend) => {
  let test: TestDatabase;
  const statements: string[] = [];
  const ids = { user: newUniqueId('user'), group: newUniqueId('group'), policy: newUniqueId('policy') };

  beforeAll(async () => {
    test = await openTestDatabase({ backend, onQuery: (text) => statements.push(text) });
    const { db } = test.database;
    const accountId = await createAccount(db);
    await db.insert(users).values({ id: ids.user, accountId, name: 'dana' });
    await db.insert(groups).values({ id: ids.group, accountId, name: 'admins' });
    await db.insert(groupMemberships).values({ groupId: ids.group, userId: ids.user });
    await db.insert(managedPolicies).values({ id: ids.policy, accountId, name: 'Admin' });
    await db.insert(policyVersions).values([
      { policyId: ids.policy, versionNumber: 1, document: '{"v":1}' },
      { policyId: ids.policy, versionNumber: 2, document: '{"v":2}', isDefault: true },
    ]);
    await db.insert(policyAttachments).values({ policyId: ids.policy, principalKind: 'group', groupId: ids.group });
  });
  afterAll(() => test.cleanup());

  it('loads a user with groups, their attached policies and default versions in one statement', async () => {
    statements.length = 0;
    const user = await test.database.db.query.users.findFirst({
      where: { id: ids.user },
      with: { groups: { with: { attachedPolicies: { with: { defaultVersion: true } } } } },
    });
    expect(statements).toHaveLength(1);
    expect(user?.groups).toHaveLength(1);
    const [policy] = user!.groups[0]!.attachedPolicies;
    expect(policy).toMatchObject({ id: ids.policy, name: 'Admin' });
    expect(policy?.defaultVersion).toMatchObject({ versionId: 'v2', document: '{"v":2}' });
  });

  it('follows group membership from the group side', async () => {
    const group = await test.database.db.query.groups.findFirst({ where: { id: ids.group }, with: { users: true } });
    expect(group?.users.map((u) => u.name)).toEqual(['dana']);
  });
});
