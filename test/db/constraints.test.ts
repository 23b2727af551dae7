/**
 * The schema's own guarantees, proved against the database (not the service layer): AWS name and
 * path rules, case-insensitive uniqueness per account, generated ARNs, and one-principal checks.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import {
  groups,
  managedPolicies,
  policyAttachments,
  policyVersions,
  roles,
  users,
} from '../../src/db/schema/index.ts';
import { nameRules, satisfiesRule } from '../../src/db/schema/rules.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';
import { createAccount, expectSqlError, newUniqueId, SQLSTATE } from './support/fixtures.ts';

const TRUST = '{"Version":"2012-10-17","Statement":[]}';

describeStorage('schema constraints', (backend) => {
  let test: TestDatabase;
  let db: Db;
  let accountId: string;

  beforeAll(async () => {
    test = await openTestDatabase({ backend });
    db = test.database.db;
    accountId = await createAccount(db);
  });
  afterAll(() => test.cleanup());

  const insertUser = (name: string, path = '/', account = accountId) =>
    db.insert(users).values({ id: newUniqueId('user'), accountId: account, name, path });

  it.each([
    ['empty', ''],
    ['space', 'a b'],
    ['slash', 'a/b'],
    ['non-ASCII letter', 'zoë'],
    ['65 characters', 'u'.repeat(65)],
  ])('rejects a user name that is %s', async (_, name) => {
    expect(satisfiesRule(nameRules.userName, name)).toBe(false);
    await expectSqlError(insertUser(name), SQLSTATE.checkViolation, 'users_name_format');
  });

  it('accepts every character AWS allows in a name, up to the length limit', async () => {
    const name = 'Az09_+=,.@-'.padEnd(64, 'x');
    expect(satisfiesRule(nameRules.userName, name)).toBe(true);
    await insertUser(name);
  });

  it.each([
    ['without a leading slash', 'team/'],
    ['without a trailing slash', '/team'],
    ['with a space', '/my team/'],
    ['of 513 characters', `/${'p'.repeat(511)}/`],
  ])('rejects a path %s', async (_, path) => {
    expect(satisfiesRule(nameRules.path, path)).toBe(false);
    await expectSqlError(insertUser(`p${Math.random().toString(36).slice(2)}`, path), SQLSTATE.checkViolation, 'users_path_format');
  });

  it('accepts / and nested paths up to 512 characters', async () => {
    await insertUser('pathroot', '/');
    await insertUser('pathnested', '/division/team/');
    await insertUser('pathlong', `/${'p'.repeat(510)}/`);
  });

  it('applies each entity its own name length (group and policy 128, role 64)', async () => {
    await db.insert(groups).values({ id: newUniqueId('group'), accountId, name: 'g'.repeat(128) });
    await expectSqlError(
      db.insert(groups).values({ id: newUniqueId('group'), accountId, name: 'g'.repeat(129) }),
      SQLSTATE.checkViolation,
    );
    await db.insert(managedPolicies).values({ id: newUniqueId('policy'), accountId, name: 'p'.repeat(128) });
    await expectSqlError(
      db.insert(roles).values({ id: newUniqueId('role'), accountId, name: 'r'.repeat(65), trustPolicy: TRUST }),
      SQLSTATE.checkViolation,
      'roles_name_format',
    );
  });

  it('treats names as case-insensitive within an account, but not across accounts', async () => {
    await insertUser('Alice');
    await expectSqlError(insertUser('ALICE'), SQLSTATE.uniqueViolation, 'users_account_name_unique');
    const other = await createAccount(db);
    await insertUser('alice', '/', other);
    // Path does not make a name unique either.
    await expectSqlError(insertUser('alice', '/elsewhere/'), SQLSTATE.uniqueViolation);
    await db.insert(roles).values({ id: newUniqueId('role'), accountId, name: 'Deployer', trustPolicy: TRUST });
    await expectSqlError(
      db.insert(roles).values({ id: newUniqueId('role'), accountId, name: 'deployer', trustPolicy: TRUST }),
      SQLSTATE.uniqueViolation,
    );
  });

  it('reserves the name root for the root user', async () => {
    await expectSqlError(insertUser('Root'), SQLSTATE.checkViolation, 'users_root_is_reserved');
    await expectSqlError(
      db.insert(users).values({ id: newUniqueId('user'), accountId, name: 'admin', isRoot: true }),
      SQLSTATE.checkViolation,
    );
  });

  it('generates ARNs from account, path and name, and keeps them current on rename', async () => {
    const id = newUniqueId('user');
    await db.insert(users).values({ id, accountId, name: 'bob', path: '/eng/' });
    const [row] = await db.select({ arn: users.arn }).from(users).where(eq(users.id, id));
    expect(row?.arn).toBe(`arn:aws:iam::${accountId}:user/eng/bob`);
    await db.update(users).set({ name: 'robert', path: '/' }).where(eq(users.id, id));
    const [renamed] = await db.select({ arn: users.arn }).from(users).where(eq(users.id, id));
    expect(renamed?.arn).toBe(`arn:aws:iam::${accountId}:user/robert`);

    const policyId = newUniqueId('policy');
    await db.insert(managedPolicies).values({ id: policyId, accountId: null, name: 'BuiltInReadOnly' });
    const [policy] = await db.select({ arn: managedPolicies.arn }).from(managedPolicies).where(eq(managedPolicies.id, policyId));
    expect(policy?.arn).toBe('arn:aws:iam::aws:policy/BuiltInReadOnly');
  });

  it('rejects unique ids of the wrong kind', async () => {
    await expectSqlError(
      db.insert(users).values({ id: newUniqueId('group'), accountId, name: 'wrongid' }),
      SQLSTATE.checkViolation,
      'users_id_format',
    );
  });

  it('keeps role session duration within 3600..43200 seconds', async () => {
    for (const maxSessionDuration of [3599, 43_201]) {
      await expectSqlError(
        db.insert(roles).values({ id: newUniqueId('role'), accountId, name: `r${maxSessionDuration}`, trustPolicy: TRUST, maxSessionDuration }),
        SQLSTATE.checkViolation,
        'roles_max_session_duration_range',
      );
    }
    await db.insert(roles).values({ id: newUniqueId('role'), accountId, name: 'long', trustPolicy: TRUST, maxSessionDuration: 43_200 });
  });

  it('requires an attachment to name exactly the principal its kind says', async () => {
    const userId = newUniqueId('user');
    const groupId = newUniqueId('group');
    const policyId = newUniqueId('policy');
    await db.insert(users).values({ id: userId, accountId, name: 'attachee' });
    await db.insert(groups).values({ id: groupId, accountId, name: 'attachees' });
    await db.insert(managedPolicies).values({ id: policyId, accountId, name: 'Attachable' });
    await expectSqlError(
      db.insert(policyAttachments).values({ policyId, principalKind: 'user', groupId }),
      SQLSTATE.checkViolation,
      'policy_attachments_one_principal',
    );
    await expectSqlError(
      db.insert(policyAttachments).values({ policyId, principalKind: 'user', userId, groupId }),
      SQLSTATE.checkViolation,
    );
    await db.insert(policyAttachments).values({ policyId, principalKind: 'user', userId });
    await expectSqlError(db.insert(policyAttachments).values({ policyId, principalKind: 'user', userId }), SQLSTATE.uniqueViolation);
    const [row] = await db.select().from(policyAttachments).where(eq(policyAttachments.policyId, policyId));
    expect(row?.principalId).toBe(userId);
  });

  it('allows at most one default version per policy, numbered v1..vN', async () => {
    const policyId = newUniqueId('policy');
    await db.insert(managedPolicies).values({ id: policyId, accountId, name: 'Versioned' });
    await db.insert(policyVersions).values({ policyId, versionNumber: 1, document: '{}', isDefault: true });
    await db.insert(policyVersions).values({ policyId, versionNumber: 2, document: '{}' });
    await expectSqlError(
      db.insert(policyVersions).values({ policyId, versionNumber: 3, document: '{}', isDefault: true }),
      SQLSTATE.uniqueViolation,
      'policy_versions_one_default',
    );
    await expectSqlError(db.insert(policyVersions).values({ policyId, versionNumber: 0, document: '{}' }), SQLSTATE.checkViolation);
    const versions = await db
      .select({ versionId: policyVersions.versionId })
      .from(policyVersions)
      .where(eq(policyVersions.policyId, policyId))
      .orderBy(policyVersions.versionNumber);
    expect(versions.map((v) => v.versionId)).toEqual(['v1', 'v2']);
  });
});
