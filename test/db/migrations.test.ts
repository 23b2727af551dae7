/** Migrations apply on both backends, are idempotent, and serialise when started concurrently. */
import { readdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { MIGRATION_LOCK_KEY, migrateDatabase, migrationsFolder } from '../../src/db/migrate.ts';
import { selectRows } from '../../src/db/rows.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';

/** Counted when used: other work may add migrations while the suite is loaded. */
const migrationCount = () => readdirSync(migrationsFolder, { withFileTypes: true }).filter((d) => d.isDirectory()).length;

/** Names of the tables in the public schema. */
async function publicTables(test: TestDatabase): Promise<string[]> {
  const rows = await selectRows<{ table_name: string }>(
    test.database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** Rows in drizzle's bookkeeping table. */
async function appliedCount(test: TestDatabase): Promise<number> {
  const rows = await selectRows<{ n: number }>(test.database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rows[0]?.n ?? -1;
}

describeStorage('migrations', (backend) => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.cleanup();
    test = undefined;
  });

  it('apply to an empty database and again without error or change', async () => {
    test = await openTestDatabase({ backend, migrate: false });
    expect(await publicTables(test)).toEqual([]);
    await migrateDatabase(test.database);
    const tables = await publicTables(test);
    expect(tables).toEqual(
      expect.arrayContaining(['accounts', 'users', 'groups', 'roles', 'managed_policies', 'policy_versions', 'change_log']),
    );
    expect(await appliedCount(test)).toBe(migrationCount());
    await migrateDatabase(test.database);
    expect(await publicTables(test)).toEqual(tables);
    expect(await appliedCount(test)).toBe(migrationCount());
  });

  it('apply once when several runs start together', async () => {
    test = await openTestDatabase({ backend, migrate: false });
    // On Postgres, separate clients act as separate server instances racing at start-up.
    const others =
      test.url === undefined ? [] : await Promise.all([1, 2].map(() => openDatabase({ databaseUrl: test!.url!, dataDir: 'memory://' })));
    try {
      await Promise.all([test.database, ...others, test.database].map((database) => migrateDatabase(database)));
    } finally {
      await Promise.all(others.map((database) => database.close()));
    }
    expect(await appliedCount(test)).toBe(migrationCount());
  });

  const STATEMENT_TIMEOUT_MS = 1_000;
  it.runIf(backend === 'postgres')('wait for the lock regardless of the statement timeout', async () => {
    test = await openTestDatabase({ backend, migrate: false });
    const holder = await openDatabase({ databaseUrl: test.url!, dataDir: 'memory://' });
    // A timeout short against the wait below, yet long enough for every other statement of the
    // connection and the migration on a loaded machine (50 ms cancelled postgres.js's own
    // type query at connect in CI).
    const impatient = await openDatabase({ databaseUrl: test.url!, dataDir: 'memory://', statementTimeoutMs: STATEMENT_TIMEOUT_MS });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      // Another instance holds the migration lock for longer than the timeout.
      const holding = holder.withSessionLock(MIGRATION_LOCK_KEY, async () => {
        locked();
        await held;
      });
      await isLocked;
      const migrating = migrateDatabase(impatient);
      // Once the impatient instance waits for the lock, keep it waiting well past its timeout.
      const waiting = sql`select pid from pg_locks l join pg_database d on d.oid = l.database where d.datname = current_database() and l.locktype = 'advisory' and not l.granted`;
      await expect.poll(async () => (await selectRows(holder.db, waiting)).length, { timeout: 10_000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2 * STATEMENT_TIMEOUT_MS));
      release();
      await holding;
      await migrating;
    } finally {
      await holder.close();
      await impatient.close();
    }
    expect(await appliedCount(test)).toBe(migrationCount());
  });
});
