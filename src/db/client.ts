/**
 * The database handle every other layer uses: one drizzle `Db` with the schema and relations,
 * over PostgreSQL (postgres.js) when a URL is given, else embedded PGlite persisted on disk.
 * Both backends expose the same `Database` interface, including LISTEN/NOTIFY; `openDatabase`
 * (open.ts) picks one.
 */
import type { PgAsyncDatabase, PgAsyncTransaction } from 'drizzle-orm/pg-core';
import type { PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { CommitTracker } from './commit-tracker.ts';
import type { Relations } from './relations.ts';

/** The drizzle database type shared by both drivers, with the schema and relations. */
export type Db = PgAsyncDatabase<PgQueryResultHKT, Relations>;

/** A drizzle transaction handle (what `db.transaction(fn)` passes to `fn`). */
export type Tx = PgAsyncTransaction<PgQueryResultHKT, Relations>;

/** An open database: the drizzle handle plus what drizzle does not cover (notifications, health). */
export interface Database {
  readonly db: Db;
  readonly kind: 'pglite' | 'postgres';
  /** The highest change-log revision written through this handle (see commit-tracker.ts). */
  readonly commits: CommitTracker;
  /** LISTEN on a channel; returns an unlisten function. Works on both backends (PGlite has listen/notify in-process). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** NOTIFY a channel (via `pg_notify`, so any payload text is safe). */
  notify(channel: string, payload: string): Promise<void>;
  /** Simple liveness probe for /readyz. */
  ping(): Promise<void>;
  /**
   * Run `fn` on one dedicated connection while it holds the session-level advisory lock `key`,
   * so that concurrent callers (other instances too) run one at a time. Used by migrations.
   */
  withSessionLock<T>(key: bigint, fn: (db: Db) => Promise<T>): Promise<T>;
  /** PGlite only: a tarball of the data directory, loadable as `pgliteTemplate`. */
  dumpDataDir?(): Promise<Blob>;
  /** PostgreSQL only: this process's pool connections as the server sees them (/metrics). */
  poolStats?(): Promise<{ readonly open: number; readonly active: number }>;
  /** PostgreSQL only: replaces every pool connection (after an outage, connections postgres.js left broken). */
  resetPool?(): Promise<void>;
  close(): Promise<void>;
}

/** How to open a database; see `openDatabase`. */
export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory, created if missing; `memory://` keeps the database in memory. */
  dataDir: string;
  /** postgres.js pool size (default 10). */
  poolSize?: number;
  /** Per-statement timeout set on every connection. */
  statementTimeoutMs?: number;
  /** postgres.js: how long opening a connection may take before the statement fails (default 5 s). */
  connectTimeoutMs?: number;
  /** Called with the SQL text of every statement drizzle sends (tests count round trips with it). */
  onQuery?: (sql: string) => void;
  /** PGlite only: start from this data-directory dump (`PGlite.dumpDataDir`) instead of running initdb; tests use it to open fresh databases quickly. */
  pgliteTemplate?: Blob;
}
