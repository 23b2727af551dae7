/**
 * A fresh, migrated database per caller, for any test file. PGlite in memory by default; a
 * throw-away PostgreSQL database (created from TEST_DATABASE_URL, dropped on cleanup) when
 * TEST_DATABASE_URL is set or `backend: 'postgres'` is asked for.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Database } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/open.ts';
import { migrateDatabase, migrationsFolder } from '../../src/db/migrate.ts';

/** Which engine a test database runs on. */
export type TestBackend = 'pglite' | 'postgres';

/** Options for `openTestDatabase`. */
export interface TestDatabaseOptions {
  /** Default: 'postgres' when TEST_DATABASE_URL is set, else 'pglite'. */
  backend?: TestBackend;
  /** Apply migrations before returning (default true). */
  migrate?: boolean;
  /** Passed to openDatabase: sees every statement's SQL. */
  onQuery?: (sql: string) => void;
  /** Passed to openDatabase. */
  poolSize?: number;
}

/** An open test database and the function that disposes of it (close, and drop if Postgres). */
export interface TestDatabase {
  database: Database;
  /** postgres:// URL of the throw-away database (Postgres backend only), for opening more clients. */
  url?: string;
  cleanup(): Promise<void>;
}

/** The PostgreSQL server throw-away test databases are created on: TEST_DATABASE_URL, else none. */
export function postgresAdminUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

/** Open a fresh database for one test file (or one test). */
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const backend = options.backend ?? (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
  const migrate = options.migrate ?? true;
  const created = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const template = backend === 'pglite' && migrate ? await migratedPgliteTemplate() : undefined;
  const database = await openDatabase({
    ...(created ? { databaseUrl: created.url } : {}),
    ...(template ? { pgliteTemplate: template } : {}),
    dataDir: 'memory://',
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    ...(options.poolSize !== undefined ? { poolSize: options.poolSize } : {}),
  });
  // Also on a template: a no-op then, and it keeps migrateDatabase on every test's path.
  if (migrate) await migrateDatabase(database);
  return {
    database,
    ...(created ? { url: created.url } : {}),
    async cleanup() {
      await database.close();
      await created?.drop();
    },
  };
}

/** CREATE DATABASE portcullis_test_<random> on the `postgresAdminUrl()` server; `drop` removes it. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) throw new Error('TEST_DATABASE_URL must be set to run tests against PostgreSQL');
  const name = `portcullis_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        // FORCE ends sessions a test forgot to close (PostgreSQL 13+).
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Where migrated PGlite data-directory dumps are cached between test files and runs. */
const templateCache = fileURLToPath(new URL('../../node_modules/.cache/portcullis-pglite-template/', import.meta.url));
let templatePromise: Promise<Blob> | undefined;

/**
 * A dump of a freshly migrated PGlite database, the start of every PGlite test database (in
 * memory here, on disk through test/support/server.ts). Starting from it takes a fraction of a
 * second, where initdb takes seconds; it is cached under pgliteTemplateDigest(), so a new
 * migration makes a new template.
 */
export function migratedPgliteTemplate(): Promise<Blob> {
  templatePromise ??= (async () => {
    const file = path.join(templateCache, `${await pgliteTemplateDigest()}.tar`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return new Blob([cached]);
    const dump = await buildPgliteTemplate();
    // Write then rename: test files in parallel forks may build the same template at once.
    await mkdir(templateCache, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  })();
  return templatePromise;
}

/**
 * Every test database on PGlite is copied from the template, in memory or on disk, so its size
 * and start-up are paid hundreds of times a run; PGlite's defaults cost 41 MB and about 1 s of
 * CPU per copy. A test database holds a few hundred rows, so the template keeps only what one
 * needs: 1 MB WAL segments instead of a preallocated 16 MB one, 16 MB of shared buffers instead
 * of 128 MB (half of each start was spent setting them up), and no template0 or template1
 * database (tests never create a database on PGlite). About 16 MB and 0.4 s of CPU remain.
 */
const PGLITE_INITDB_PARAMS = ['--wal-segsize=1'];
const PGLITE_TEMPLATE_STATEMENTS = [
  "alter system set shared_buffers = '16MB'",
  "update pg_database set datistemplate = false where datname in ('template0', 'template1')",
  'drop database template0',
  'drop database template1',
  'checkpoint',
];

async function buildPgliteTemplate(): Promise<Blob> {
  const cluster = await PGlite.create('memory://', { initDbStartParams: PGLITE_INITDB_PARAMS });
  let initialised: Blob;
  try {
    initialised = await cluster.dumpDataDir('none');
  } finally {
    await cluster.close();
  }
  const database = await openDatabase({ dataDir: 'memory://', pgliteTemplate: initialised });
  try {
    await migrateDatabase(database);
    // One at a time: DROP DATABASE refuses to run inside the transaction a multi-statement string is.
    for (const statement of PGLITE_TEMPLATE_STATEMENTS) await database.db.execute(sql.raw(statement));
    if (!database.dumpDataDir) throw new Error('the PGlite backend offers no dumpDataDir');
    return await database.dumpDataDir();
  } finally {
    await database.close();
  }
}

/**
 * A name for a PGlite template's content: SHA-256 over the PGlite version, every migration's SQL
 * in order and the template's settings, so a change to any of them builds a new template.
 */
export async function pgliteTemplateDigest(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(fileURLToPath(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url))));
  const folders = (await readdir(migrationsFolder, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const folder of folders) {
    hash.update(folder);
    hash.update(await readFile(path.join(migrationsFolder, folder, 'migration.sql')));
  }
  hash.update(JSON.stringify([PGLITE_INITDB_PARAMS, PGLITE_TEMPLATE_STATEMENTS]));
  return hash.digest('hex').slice(0, 16);
}
