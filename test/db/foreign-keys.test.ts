/**
 * Delete behaviour: RESTRICT where AWS answers DeleteConflict (the service must detach first),
 * CASCADE for rows owned by what is deleted (policy versions, sessions).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import {
  accessKeys,
  groupMemberships,
  groups,
  inlinePolicies,
  managedPolicies,
  mfaDevices,
  policyAttachments,
  policyVersions,
  roles,
  stsSessions,
  users,
} from '../../src/db/schema/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';
import { createAccount, expectSqlError, newUniqueId, SQLSTATE } from './support/fixtures.ts';

const TRUST = '{"Version":"2012-10-17","Statement":[]}';

describeStorage('foreign keys', (backend) => {
  let test: TestDatabase;
  let db: Db;
  let accountId: string;

  beforeAll(async () => {
    test = await openTestDatabase({ backend });
    db = test.database.db;
    accountId = await createAccount(db);
  });
  afterAll(() => test.cleanup());

  let counter = 0;
  const unique = (base: string) => `${base}${++counter}`;
  async function newUser(): Promise<string> {
    const id = newUniqueId('user');
    await db.insert(users).values({ id, accountId, name: unique('user') });
    return id;
  }
  async function newPolicy(): Promise<{ id: string; arn: string }> {
    const id = newUniqueId('policy');
    const [row] = await db
      .insert(managedPolicies)
      .values({ id, accountId, name: unique('Policy') })
      .returning({ arn: managedPolicies.arn });
    return { id, arn: row!.arn };
  }
  const deleteUser = (id: string) => db.delete(users).where(eq(users.id, id));
  const count = async (rows: Promise<unknown[]>) => (await rows).length;

  it('refuses to delete a user or group while the membership exists', async () => {
    const userId = await newUser();
    const groupId = newUniqueId('group');
    await db.insert(groups).values({ id: groupId, accountId, name: unique('group') });
    await db.insert(groupMemberships).values({ groupId, userId });
    await expectSqlError(deleteUser(userId), SQLSTATE.foreignKeyViolation);
    await expectSqlError(db.delete(groups).where(eq(groups.id, groupId)), SQLSTATE.foreignKeyViolation);
    await db.delete(groupMemberships).where(eq(groupMemberships.userId, userId));
    await deleteUser(userId);
    await db.delete(groups).where(eq(groups.id, groupId));
  });

  it('refuses to delete a user that has access keys, MFA devices, inline or attached policies', async () => {
    const withKey = await newUser();
    await db.insert(accessKeys).values({ id: newUniqueId('accessKey'), userId: withKey, secretHash: 'scrypt$x' });
    await expectSqlError(deleteUser(withKey), SQLSTATE.foreignKeyViolation, 'access_keys_user_id');

    const withMfa = await newUser();
    await db.insert(mfaDevices).values({
      serialNumber: `arn:aws:iam::${accountId}:mfa/${unique('device')}`,
      accountId,
      name: unique('device'),
      userId: withMfa,
      encryptedSeed: 'sealed',
      enabledAt: new Date(),
    });
    await expectSqlError(deleteUser(withMfa), SQLSTATE.foreignKeyViolation, 'mfa_devices_user_id');

    const withInline = await newUser();
    await db.insert(inlinePolicies).values({ principalKind: 'user', userId: withInline, name: 'inline', document: '{}' });
    await expectSqlError(deleteUser(withInline), SQLSTATE.foreignKeyViolation, 'inline_policies_user_id');

    const withAttached = await newUser();
    const policy = await newPolicy();
    await db.insert(policyAttachments).values({ policyId: policy.id, principalKind: 'user', userId: withAttached });
    await expectSqlError(deleteUser(withAttached), SQLSTATE.foreignKeyViolation, 'policy_attachments_user_id');
  });

  it('refuses to delete a policy that is attached or used as a permissions boundary', async () => {
    const attached = await newPolicy();
    const roleId = newUniqueId('role');
    await db.insert(roles).values({ id: roleId, accountId, name: unique('role'), trustPolicy: TRUST });
    await db.insert(policyAttachments).values({ policyId: attached.id, principalKind: 'role', roleId });
    await expectSqlError(db.delete(managedPolicies).where(eq(managedPolicies.id, attached.id)), SQLSTATE.foreignKeyViolation);

    const boundary = await newPolicy();
    await db.insert(users).values({ id: newUniqueId('user'), accountId, name: unique('bounded'), permissionsBoundaryArn: boundary.arn });
    await expectSqlError(db.delete(managedPolicies).where(eq(managedPolicies.id, boundary.id)), SQLSTATE.foreignKeyViolation);
  });

  it('rejects a permissions boundary that is not an existing managed policy', async () => {
    await expectSqlError(
      db.insert(users).values({
        id: newUniqueId('user'),
        accountId,
        name: unique('user'),
        permissionsBoundaryArn: `arn:aws:iam::${accountId}:policy/DoesNotExist`,
      }),
      SQLSTATE.foreignKeyViolation,
    );
  });

  it('deletes a policy’s versions with the policy', async () => {
    const policy = await newPolicy();
    await db.insert(policyVersions).values([
      { policyId: policy.id, versionNumber: 1, document: '{}', isDefault: true },
      { policyId: policy.id, versionNumber: 2, document: '{}' },
    ]);
    await db.delete(managedPolicies).where(eq(managedPolicies.id, policy.id));
    expect(await count(db.select().from(policyVersions).where(eq(policyVersions.policyId, policy.id)))).toBe(0);
  });

  it('deletes sessions with the role or user they belong to', async () => {
    const roleId = newUniqueId('role');
    const roleName = unique('role');
    await db.insert(roles).values({ id: roleId, accountId, name: roleName, trustPolicy: TRUST });
    const userId = await newUser();
    const expiresAt = new Date(Date.now() + 3_600_000);
    const session = (kind: 'assume_role' | 'sign_in', owner: { roleId: string } | { userId: string }) => ({
      accessKeyId: newUniqueId('temporaryAccessKey'),
      accountId,
      kind,
      sessionTokenHash: newUniqueId('temporaryAccessKey'),
      secretHash: 'scrypt$x',
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/s`,
      sessionName: 'session',
      expiresAt,
      ...owner,
    });
    await db.insert(stsSessions).values([session('assume_role', { roleId }), session('sign_in', { userId })]);
    await db.delete(roles).where(eq(roles.id, roleId));
    await deleteUser(userId);
    expect(await count(db.select().from(stsSessions).where(eq(stsSessions.accountId, accountId)))).toBe(0);
  });
});
