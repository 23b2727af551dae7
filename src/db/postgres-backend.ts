/** The PostgreSQL backend: postgres.js pool plus drizzle, with a connectivity check at open time. */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database, Db, OpenDatabaseOptions } from './client.ts';
import { queryLogger } from './logger.ts';
import { relations } from './relations.ts';
import { CommitTracker } from './commit-tracker.ts';

/** Seconds postgres.js waits for a TCP connection before giving up. */
const CONNECT_TIMEOUT_SECONDS = 5;

/** The URL with any password replaced, for error messages. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

/** Parse and check a postgres:// URL, or throw an Error naming the problem (without the password). */
function parseDatabaseUrl(databaseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('database url is not a valid url: expected postgres://user@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`database url must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  if (url.hostname === '' && !url.searchParams.has('host')) {
    throw new Error(`database url ${redactUrl(url)} names no host`);
  }
  return url;
}

/**
 * `select 1` within the connect timeout. postgres.js's own connect_timeout only covers the TCP
 * connect; a peer that accepts and then stays silent (a proxy, a firewall) would hang the startup
 * handshake forever, so the whole probe gets a deadline too.
 */
async function probe(client: postgres.Sql, timeoutSeconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutSeconds} s`)), timeoutSeconds * 1000);
  });
  try {
    await Promise.race([client`select 1`, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Open a postgres.js pool, prove it works with `select 1`, and wrap it as a `Database`. */
export async function openPostgres(options: OpenDatabaseOptions & { databaseUrl: string }): Promise<Database> {
  const url = parseDatabaseUrl(options.databaseUrl);
  const connectTimeout =
    options.connectTimeoutMs === undefined ? CONNECT_TIMEOUT_SECONDS : Math.max(1, Math.ceil(options.connectTimeoutMs / 1000));
  // A name unique to this pool, so pg_stat_activity tells its connections from other instances'.
  const applicationName = `portcullis-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const makeClient = () => postgres(url.href, {
    max: options.poolSize ?? 10,
    connect_timeout: connectTimeout,
    // postgres.js's default backoff grows with every failed connect across the pool (up to 20 s),
    // which keeps an instance down long after PostgreSQL returns; retry within a second instead.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    onnotice: () => {},
    connection: {
      application_name: applicationName,
      ...(options.statementTimeoutMs !== undefined ? { statement_timeout: options.statementTimeoutMs } : {}),
    },
  });
  let current = makeClient();
  // Everything (drizzle included) holds this stable handle, so resetPool can swap the pool under it.
  const client = new Proxy(current, {
    get: (_target, property) => {
      const value: unknown = Reflect.get(current, property);
      return typeof value === 'function' ? value.bind(current) : value;
    },
    apply: (_target, _this, args: unknown[]) => (current as unknown as (...a: unknown[]) => unknown)(...args),
  });
  try {
    await probe(client, connectTimeout);
  } catch (error) {
    await client.end({ timeout: 0 }).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`cannot connect to postgresql at ${redactUrl(url)}: ${reason}`, { cause: error });
  }
  /** The health ping's one connection, opened on first ping; `busy` while a ping is out on it. */
  let pinger: { readonly sql: postgres.Sql; readonly db: Db; busy: boolean; failed: boolean } | undefined;
  const logger = queryLogger(options.onQuery);
  const db: Db = drizzle({ client, relations, ...(logger ? { logger } : {}) });

  return {
    db,
    kind: 'postgres',
    commits: new CommitTracker(),
    async listen(channel, onPayload) {
      // postgres.js keeps one dedicated connection for all LISTENs and re-listens after reconnects.
      const subscription = await client.listen(channel, onPayload);
      return () => subscription.unlisten();
    },
    async notify(channel, payload) {
      await db.execute(sql`select pg_notify(${channel}, ${payload})`);
    },
    async ping() {
      // Over its own connection, not the pool: a pool busy with a burst of queries (one request of
      // a thousand aliases) is load, not an outage, and a ping queued behind it would time out and
      // fail every request fast. A pool left broken is still caught: requests that meet a
      // connection error mark the database down, and recovery replaces the pool.
      // A connection that failed a ping, or is still stuck on the last one (the monitor gave up on
      // it), is replaced: postgres.js can leave a connection unable to flush after its socket died.
      if (pinger !== undefined && (pinger.failed || pinger.busy)) {
        void pinger.sql.end({ timeout: 0 }).catch(() => {});
        pinger = undefined;
      }
      if (pinger === undefined) {
        const connection = postgres(url.href, { max: 1, connect_timeout: connectTimeout, idle_timeout: 60, onnotice: () => {} });
        // Through drizzle, so the ping is reported like every other statement (onQuery).
        pinger = { sql: connection, db: drizzle({ client: connection, relations, ...(logger ? { logger } : {}) }), busy: false, failed: false };
      }
      const current = pinger;
      current.busy = true;
      try {
        await current.db.execute(sql`select 1`);
      } catch (error) {
        current.failed = true;
        throw error;
      } finally {
        current.busy = false;
      }
    },
    async poolStats() {
      const rows = await client<Array<{ open: number; active: number }>>`
        select count(*)::int as open, (count(*) filter (where state <> 'idle'))::int as active
        from pg_stat_activity where application_name = ${applicationName} and pid <> pg_backend_pid()`;
      return { open: rows[0]?.open ?? 0, active: rows[0]?.active ?? 0 };
    },
    async resetPool() {
      // postgres.js 3.4.9 can leave a connection unable to flush after its socket died
      // (porsager/postgres#1154, #1208): start a fresh pool with drizzle's type handling, end the old one.
      const previous = current;
      const next = makeClient();
      Object.assign(next.options.parsers, previous.options.parsers);
      Object.assign(next.options.serializers, previous.options.serializers);
      current = next;
      await previous.end({ timeout: 0 }).catch(() => {});
    },
    async withSessionLock(key, fn) {
      // A separate one-connection client: the lock and the work share one session, and the
      // main pool stays free (reserving from it would deadlock a pool of size 1). No statement
      // timeout here: waiting for another instance's migration, or a slow migration, is expected.
      const session = postgres(url.href, { connect_timeout: connectTimeout, onnotice: () => {}, max: 1 });
      try {
        await session`select pg_advisory_lock(${key.toString()}::bigint)`;
        return await fn(drizzle({ client: session, relations, ...(logger ? { logger } : {}) }));
      } finally {
        // Ending the session releases its advisory lock even if the unlock is never sent.
        await session.end({ timeout: 5 });
      }
    },
    async close() {
      await Promise.all([client.end({ timeout: 5 }), pinger?.sql.end({ timeout: 5 })]);
    },
  };
}
