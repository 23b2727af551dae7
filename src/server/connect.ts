import { openDatabase } from '../db/open.ts';
import type { Database } from '../db/client.ts';
import { redactUrl } from '../config.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { StartupError } from './startup-error.ts';
import { currentRequestScope } from './request-scope.ts';

/**
 * Opens the configured database and proves it answers, within DB_CONNECT_TIMEOUT_MS, so a
 * wrong DATABASE_URL fails start-up fast with one clear line instead of hanging.
 */
export function connectDatabase(config: Config, logger: Logger): Promise<Database> {
  return open(config, logger, config.databaseUrl, 'primary');
}

/** Opens READ_DATABASE_URL's replica the same way (no migrations, no LISTEN), or undefined when unset. */
export async function connectReadDatabase(config: Config, logger: Logger): Promise<Database | undefined> {
  if (config.readDatabaseUrl === undefined) return undefined;
  return open(config, logger, config.readDatabaseUrl, 'replica');
}

/** Opens one database (`url` undefined = embedded PGlite) and pings it within DB_CONNECT_TIMEOUT_MS. */
async function open(config: Config, logger: Logger, url: string | undefined, role: 'primary' | 'replica'): Promise<Database> {
  const where =
    url === undefined
      ? `the embedded database in ${config.dataDir}`
      : `${role === 'replica' ? 'the read replica ' : ''}PostgreSQL at ${redactUrl(url)}`;
  let database: Database | undefined;
  try {
    database = await within(
      config.dbConnectTimeoutMs,
      openDatabase({
        ...(url === undefined ? {} : { databaseUrl: url }),
        dataDir: config.dataDir,
        poolSize: config.dbPoolSize,
        statementTimeoutMs: config.dbStatementTimeoutMs,
        connectTimeoutMs: config.dbConnectTimeoutMs,
        // SQL text only (parameters are sent separately), so no secret reaches the log. A statement
        // run for a request carries its request id; background work (flushes, the listener) none.
        ...(config.logLevel === 'trace' ? { onQuery: (sql: string) => (currentRequestScope()?.logger ?? logger).trace({ sql, pool: role }, 'sql') } : {}),
      }),
    );
    await within(config.dbConnectTimeoutMs, database.ping());
    logger.info({ database: database.kind, pool: role }, 'database connected');
    return database;
  } catch (error) {
    await database?.close().catch(() => undefined);
    // The innermost cause is the driver's own words (ECONNREFUSED, bad password, …); `where` adds the rest.
    throw new StartupError(`cannot reach ${where}: ${describe(rootCause(error))}`, { cause: error });
  }
}

/** Resolves like `promise`, or rejects once `ms` have passed. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms (DB_CONNECT_TIMEOUT_MS)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Follows `cause` links to the error that started it all. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10 && current instanceof Error && current.cause !== undefined; depth++) {
    current = current.cause;
  }
  return current;
}

/** A one-line reason for a connection failure; AggregateErrors (dual-stack connects) have no message. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  const inner = error instanceof AggregateError ? error.errors[0] : undefined;
  const message = error.message || (inner instanceof Error ? inner.message : '') || code || error.name;
  return message.split('\n')[0] ?? message;
}
