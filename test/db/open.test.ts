/** openDatabase: fail-fast errors, PGlite persistence, per-statement timeout, query reporting. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { sqlStateOf } from '../../src/db/errors.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { accounts, users } from '../../src/db/schema/index.ts';
import { openTestDatabase } from '../support/database.ts';
import { describeStorage, storageBackends } from '../support/storage.ts';

describe('openDatabase fails fast with a clear message', () => {
  it('on a url that does not parse', async () => {
    await expect(openDatabase({ databaseUrl: 'not a url', dataDir: 'memory://' })).rejects.toThrow(/not a valid url/);
  });

  it('on a url that is not postgres', async () => {
    await expect(openDatabase({ databaseUrl: 'mysql://db:3306/x', dataDir: 'memory://' })).rejects.toThrow(
      /must start with postgres:\/\/ or postgresql:\/\//,
    );
  });

  it('on a server that refuses connections, without showing the password', async () => {
    const error = await openDatabase({ databaseUrl: 'postgres://app:hunter2@127.0.0.1:1/portcullis', dataDir: 'memory://' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/^cannot connect to postgresql at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/portcullis: /);
    expect(error?.message).not.toContain('hunter2');
  });
});

// PGlite only: skipped where the PGlite leg is left out (.ci/run's PostgreSQL pass, TEST_STORAGE_BACKENDS=postgres).
describe.skipIf(!storageBackends().includes('pglite'))('PGlite persistence', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates the data directory and keeps data across restarts', { timeout: 60_000 }, async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'portcullis-pglite-'));
    const dataDir = path.join(dir, 'nested', 'data');
    const first = await openDatabase({ dataDir });
    await migrateDatabase(first);
    await first.db.insert(accounts).values({ id: '123456789012' });
    await first.close();

    const second = await openDatabase({ dataDir });
    try {
      await migrateDatabase(second);
      expect(await second.db.select().from(accounts)).toEqual([expect.objectContaining({ id: '123456789012' })]);
    } finally {
      await second.close();
    }
  });
});

describeStorage('statement reporting', (backend) => {
  it('reports every statement drizzle sends, once, with its SQL text', async () => {
    const seen: string[] = [];
    const test = await openTestDatabase({ backend, onQuery: (text) => seen.push(text) });
    try {
      seen.length = 0;
      await test.database.db.select().from(users);
      await test.database.db.query.users.findMany({ with: { groups: true, accessKeys: true } });
      await test.database.ping();
      expect(seen).toHaveLength(3);
      expect(seen[0]).toMatch(/^select .* from "users"/);
      expect(seen[2]).toBe('select 1');
    } finally {
      await test.cleanup();
    }
  });
});

describe.runIf(storageBackends().includes('postgres'))('statement timeout on postgres', () => {
  it('cancels a statement that runs longer than statementTimeoutMs', async () => {
    const test = await openTestDatabase({ backend: 'postgres', migrate: false });
    const limited = await openDatabase({ databaseUrl: test.url!, dataDir: 'memory://', statementTimeoutMs: 100 });
    try {
      const error = await limited.db.execute(sql`select pg_sleep(2)`).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(sqlStateOf(error)).toBe('57014'); // query_canceled
    } finally {
      await limited.close();
      await test.cleanup();
    }
  });
});
