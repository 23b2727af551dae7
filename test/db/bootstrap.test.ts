/** bootstrapAccount: creates account, root user and credentials once; stores no secret in clear. */
import { eq, sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { selectRows } from '../../src/db/rows.ts';
import { accessKeys, accounts, changeLog, users } from '../../src/db/schema/index.ts';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { isUniqueId } from '../../src/iam/ids.ts';
import { verifySecret } from '../../src/iam/secrets.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';

const ACCOUNT = '111122223333';

/** Every row of every public table as JSON text: where a secret in clear would show up. */
async function dumpAllRows(test: TestDatabase): Promise<string> {
  const tables = await selectRows<{ table_name: string }>(
    test.database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const dumps: string[] = [];
  for (const { table_name } of tables) {
    const rows = await selectRows<{ row: unknown }>(
      test.database.db,
      sql`select row_to_json(t)::text as row from ${sql.identifier(table_name)} t`,
    );
    dumps.push(...rows.map((r) => String(r.row)));
  }
  return dumps.join('\n');
}

describeStorage('bootstrapAccount', (backend) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.cleanup();
    test = undefined;
  });

  it('creates the account, root user, key and password, generating what is not given', async () => {
    test = await openTestDatabase({ backend });
    const { db } = test.database;
    const first = await bootstrapAccount(test.database, { accountId: ACCOUNT });
    expect(first.created).toBe(true);
    const { accessKeyId, secret, password } = first.generated;
    expect(accessKeyId && isUniqueId('accessKey', accessKeyId)).toBe(true);
    expect(secret).toHaveLength(40);
    expect(password?.length).toBeGreaterThanOrEqual(20);

    const [root] = await db.select().from(users).where(eq(users.accountId, ACCOUNT));
    expect(root).toMatchObject({ name: 'root', isRoot: true, arn: `arn:aws:iam::${ACCOUNT}:root`, path: '/' });
    expect(isUniqueId('user', root!.id)).toBe(true);
    const [key] = await db.select().from(accessKeys).where(eq(accessKeys.userId, root!.id));
    expect(key).toMatchObject({ id: accessKeyId, status: 'Active' });
    expect(await verifySecret(secret!, key!.secretHash)).toBe(true);
    expect(await verifySecret(password!, root!.passwordHash!)).toBe(true);
    expect(await verifySecret(`${secret}x`, key!.secretHash)).toBe(false);

    const dump = await dumpAllRows(test);
    expect(dump).toContain(accessKeyId!);
    expect(dump).not.toContain(secret!);
    expect(dump).not.toContain(password!);

    const log = await db.select().from(changeLog);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ kind: 'AccountCreated', accountId: ACCOUNT, entityArn: `arn:aws:iam::${ACCOUNT}:root`, affectedPrincipalIds: [root!.id] });
    expect(JSON.stringify(log[0]!.payload)).not.toContain(secret!);
  });

  it('is idempotent: a second call creates and generates nothing', async () => {
    test = await openTestDatabase({ backend });
    await bootstrapAccount(test.database, { accountId: ACCOUNT });
    const second = await bootstrapAccount(test.database, { accountId: ACCOUNT });
    expect(second).toEqual({ created: false, generated: {} });
    expect(await test.database.db.select().from(users)).toHaveLength(1);
    expect(await test.database.db.select().from(accessKeys)).toHaveLength(1);
    expect(await test.database.db.select().from(changeLog)).toHaveLength(1);
  });

  it('creates exactly one root when instances bootstrap at the same time', async () => {
    test = await openTestDatabase({ backend });
    const results = await Promise.all([1, 2, 3].map(() => bootstrapAccount(test!.database, { accountId: ACCOUNT })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => !r.created).every((r) => Object.keys(r.generated).length === 0)).toBe(true);
    expect(await test.database.db.select().from(users)).toHaveLength(1);
    expect(await test.database.db.select().from(accounts)).toHaveLength(1);
  });

  it('installs supplied credentials, hashed, and reports nothing as generated', async () => {
    test = await openTestDatabase({ backend });
    const rootAccessKey = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    const rootPassword = 'correct horse battery staple';
    const result = await bootstrapAccount(test.database, { accountId: ACCOUNT, rootAccessKey, rootPassword });
    expect(result).toEqual({ created: true, generated: {} });
    const [key] = await test.database.db.select().from(accessKeys).where(eq(accessKeys.id, rootAccessKey.accessKeyId));
    expect(await verifySecret(rootAccessKey.secret, key!.secretHash)).toBe(true);
    const dump = await dumpAllRows(test);
    expect(dump).not.toContain(rootAccessKey.secret);
    expect(dump).not.toContain(rootPassword);
  });

  it('rejects unusable options with an error naming the field', async () => {
    test = await openTestDatabase({ backend });
    await expect(bootstrapAccount(test.database, { accountId: '12345' })).rejects.toThrow(/accountId/);
    await expect(
      bootstrapAccount(test.database, { accountId: ACCOUNT, rootAccessKey: { accessKeyId: 'AKIA-bad', secret: 'x'.repeat(40) } }),
    ).rejects.toThrow(/rootAccessKey\.accessKeyId/);
    await expect(bootstrapAccount(test.database, { accountId: ACCOUNT, rootPassword: 'short' })).rejects.toThrow(/rootPassword/);
    expect(await test.database.db.select().from(accounts)).toHaveLength(0);
  });
});
