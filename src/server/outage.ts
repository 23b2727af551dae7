/**
 * Database outage detection. A periodic ping (DB_HEALTH_INTERVAL_MS) and any request that meets a
 * connection error mark the database down; while it is down, /readyz answers 503 at once and
 * GraphQL operations fail fast with SERVICE_UNAVAILABLE (HTTP 503, Retry-After) instead of
 * queueing on a dead pool. Open subscriptions stay open: they simply receive nothing new, and
 * `onChange` lets the live layer announce the outage. When a ping succeeds again the monitor runs
 * its recovery (caches emptied, change-log LISTEN re-established and missed rows replayed).
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Database } from '../db/client.ts';
import type { ErrorCode } from '../graphql/wire-errors.ts';
import type { Logger } from '../logger.ts';
import type { DatabaseStatus, DatabaseStatusSource } from '../db/status.ts';

/** The error code of requests refused or failed because the database is unreachable. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE' satisfies ErrorCode;

/** Options for `DatabaseMonitor`. */
export interface DatabaseMonitorOptions {
  readonly intervalMs: number;
  /** A ping slower than this counts as a failure. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Runs once per recovery, before the state turns back to `up`; failures are logged. */
  readonly onRecover?: () => Promise<void>;
}

/** Watches the database with periodic pings and reports outages and recoveries. */
export class DatabaseMonitor implements DatabaseStatusSource {
  private current: DatabaseStatus = { state: 'up', since: new Date(), reason: undefined };
  private readonly listeners = new Set<(status: DatabaseStatus) => void>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  /** Outages seen since start (for /metrics). */
  outages = 0;

  constructor(
    private readonly database: Database,
    private readonly options: DatabaseMonitorOptions,
  ) {}

  /** The latest known status. */
  get status(): DatabaseStatus {
    return this.current;
  }

  /** Starts the periodic ping; the timer does not keep the process alive. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.check(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops pinging and waits for a running check. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.checking;
  }

  /** Calls `listener` on every change of state; returns the function that stops it. */
  onChange(listener: (status: DatabaseStatus) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Records an outage a request ran into, without waiting for the next ping. */
  markDown(reason: string): void {
    if (this.current.state === 'down') return;
    this.outages++;
    this.set({ state: 'down', since: new Date(), reason });
    this.options.logger.error({ reason }, 'database unreachable; failing requests fast until it answers again');
  }

  /** Pings once now (also what the timer does); overlapping calls share one ping. */
  check(): Promise<void> {
    this.checking ??= this.ping().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.database.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
        }),
      ]);
    } catch (error) {
      this.markDown(reasonOf(error));
      return;
    } finally {
      clearTimeout(timer);
    }
    if (this.current.state === 'up') return;
    const downFor = Date.now() - this.current.since.getTime();
    try {
      await this.options.onRecover?.();
    } catch (error) {
      // Stay down: the next ping retries the whole recovery.
      this.options.logger.warn({ err: error }, 'database answers again but recovery failed; will retry');
      return;
    }
    this.set({ state: 'up', since: new Date(), reason: undefined });
    this.options.logger.info({ downForMs: downFor }, 'database reachable again; serving');
  }

  private set(status: DatabaseStatus): void {
    this.current = status;
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (error) {
        this.options.logger.error({ err: error }, 'database status listener failed');
      }
    }
  }
}

// Connection-level failures from node:net, postgres.js and PostgreSQL (SQLSTATE class 08 and
// the shutdown codes). A statement timeout or constraint violation is not an outage.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const DRIVER_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/** Whether `error` (or anything in its cause chain) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0 && seen.size < 20) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    pending.push((current as { cause?: unknown }).cause, (current as { originalError?: unknown }).originalError);
    if (current instanceof AggregateError) pending.push(...current.errors);
  }
  return false;
}

/** A short reason for logs: the error code or first message line, never a URL. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const line = error.message.split('\n')[0] ?? '';
  return typeof code === 'string' ? `${code}${line === '' ? '' : `: ${line}`}` : line;
}

/** SERVICE_UNAVAILABLE (HTTP 503, Retry-After) for an operation the outage stopped. */
export function serviceUnavailable(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError('the database is unreachable; the service is unavailable, retry later', {
    extensions: {
      code: SERVICE_UNAVAILABLE,
      retryAfterSeconds,
      http: { status: 503, headers: { 'retry-after': String(retryAfterSeconds) } },
    },
  });
}

/**
 * Yoga plugin that refuses operations while `monitor` reports the database down: HTTP requests
 * before parsing (503), graphql-ws operations before execution (the socket stays open).
 */
export function useOutageGate(monitor: DatabaseMonitor, retryAfterSeconds: number): Plugin {
  const refuse = (stop: (result: { errors: GraphQLError[] }) => void): void => {
    if (monitor.status.state === 'down') stop({ errors: [serviceUnavailable(retryAfterSeconds)] });
  };
  return {
    onRequest({ endResponse }) {
      if (monitor.status.state !== 'down') return;
      const error = serviceUnavailable(retryAfterSeconds);
      const body = JSON.stringify({ errors: [{ message: error.message, extensions: { code: SERVICE_UNAVAILABLE, retryAfterSeconds } }] });
      endResponse(
        new Response(body, {
          status: 503,
          headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) },
        }),
      );
    },
    onExecute({ setResultAndStopExecution }) {
      refuse(setResultAndStopExecution);
    },
    onSubscribe({ setResultAndStopExecution }) {
      refuse(setResultAndStopExecution);
    },
  };
}

/**
 * Yoga `maskError` wrapper: a database connection failure becomes SERVICE_UNAVAILABLE (and marks
 * the database down at once); everything else goes to `mask`.
 */
export function maskOutages(
  monitor: DatabaseMonitor,
  retryAfterSeconds: number,
  mask: (error: unknown, message: string) => Error,
): (error: unknown, message: string) => Error {
  return (error, message) => {
    if (!isDatabaseUnavailable(error)) return mask(error, message);
    monitor.markDown(reasonOf(rootOf(error)));
    // Ping now: a one-off reset recovers at once, a real outage stays down.
    void monitor.check();
    return serviceUnavailable(retryAfterSeconds);
  };
}

function rootOf(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 10; depth++) {
    const next = (current as { originalError?: unknown; cause?: unknown } | null)?.originalError ?? (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) return current;
    current = next;
  }
  return current;
}

/** Something holding cached database state that recovery empties. */
interface Invalidatable {
  invalidateWhere(stale: () => boolean): void;
}

/** What recovery touches in the authorization runtime. */
export interface RecoverableAuthz {
  readonly effective: { readonly cache: Invalidatable };
  readonly authenticator: { readonly keys: Invalidatable; readonly sessions: Invalidatable };
  readonly listener: { relisten(): Promise<void> };
}

/**
 * Recovery after an outage: empty the caches (a revocation may have committed while this
 * instance could not read the change log), then LISTEN again and replay the missed change-log
 * rows, which also feeds the subscriptions everything they missed, in order.
 */
export async function recoverAuthz(authz: RecoverableAuthz): Promise<void> {
  for (const cache of [authz.effective.cache, authz.authenticator.keys, authz.authenticator.sessions]) {
    cache.invalidateWhere(() => true);
  }
  await authz.listener.relisten();
}

/** postgres.js 3.4.9's uncatchable write to a closed socket (porsager/postgres#1154, #1208). */
export function isDriverNullSocketCrash(error: unknown): boolean {
  if (!(error instanceof TypeError)) return false;
  const stack = error.stack ?? '';
  return error.message.includes("reading 'write'") && stack.includes('nextWrite') && /postgres[\\/]src[\\/]connection\.js/.test(stack);
}

/**
 * Installs the process's uncaughtException handler (main.ts only, never in tests): postgres.js's
 * known crash on a connection lost mid-write marks the database down (recovery then replaces the
 * pool) instead of killing the process; anything else is logged and exits 1, as Node would.
 */
export function guardDriverCrashes(logger: Logger, monitor: DatabaseMonitor): () => void {
  const handler = (error: Error): void => {
    if (isDriverNullSocketCrash(error)) {
      logger.error({ err: error }, 'postgres.js wrote to a closed connection (porsager/postgres#1154); the pool is replaced on recovery');
      monitor.markDown('postgres.js wrote to a closed connection');
      void monitor.check();
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception');
    process.stderr.write(`${error.stack ?? String(error)}\n`);
    process.exit(1);
  };
  process.on('uncaughtException', handler);
  return () => void process.off('uncaughtException', handler);
}
