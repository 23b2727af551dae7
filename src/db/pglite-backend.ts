/** The embedded backend: PGlite (Postgres in WebAssembly) persisted under a data directory. */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import type { Database, Db, OpenDatabaseOptions } from './client.ts';
import { queryLogger } from './logger.ts';
import { relations } from './relations.ts';
import { CommitTracker } from './commit-tracker.ts';

/** Open (creating if needed) a PGlite database under `dataDir` and wrap it as a `Database`. */
export async function openPglite(options: OpenDatabaseOptions): Promise<Database> {
  const inMemory = options.dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(options.dataDir, { recursive: true });
  let client: PGlite;
  try {
    client = await PGlite.create(
      options.dataDir,
      options.pgliteTemplate === undefined ? {} : { loadDataDir: options.pgliteTemplate },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot open embedded database in "${options.dataDir}": ${reason}`, { cause: error });
  }
  if (options.statementTimeoutMs !== undefined) {
    await client.exec(`set statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
  }
  const logger = queryLogger(options.onQuery);
  const db: Db = drizzle({ client, relations, ...(logger ? { logger } : {}) });
  let lockQueue: Promise<void> = Promise.resolve();

  return {
    db,
    kind: 'pglite',
    commits: new CommitTracker(),
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    async notify(channel, payload) {
      await db.execute(sql`select pg_notify(${channel}, ${payload})`);
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async withSessionLock(key, fn) {
      // Advisory locks are re-entrant within a session and PGlite has exactly one session, so
      // callers in this process queue on a promise chain; the SQL lock still excludes any other
      // session (none today), keeping both backends' semantics the same.
      const previous = lockQueue;
      let release!: () => void;
      lockQueue = new Promise<void>((resolve) => (release = resolve));
      await previous;
      try {
        await db.execute(sql`select pg_advisory_lock(${key.toString()}::bigint)`);
        try {
          return await fn(db);
        } finally {
          await db.execute(sql`select pg_advisory_unlock(${key.toString()}::bigint)`);
        }
      } finally {
        release();
      }
    },
    async dumpDataDir() {
      return client.dumpDataDir('none');
    },
    async close() {
      await client.close();
    },
  };
}
