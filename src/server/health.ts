import type { ServerResponse } from 'node:http';
import type { Database } from '../db/client.ts';

/** What /readyz reports beyond the database ping; flipped by start-up and shutdown. */
export class Readiness {
  /** Set once the migrations have been applied to the database. */
  migrationsApplied = false;
  /** Set when shutdown begins, so load balancers stop routing here before connections close. */
  draining = false;
}

/** Writes a JSON response with no caching. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** GET /healthz: the process is up and serving HTTP. Never touches the database. */
export function serveHealth(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/**
 * GET /readyz: 200 when the database answers a ping and migrations are applied, else 503. While
 * the outage monitor (`known`) already reports the database down, answers at once without a ping.
 */
export async function serveReadiness(
  res: ServerResponse,
  database: Database,
  readiness: Readiness,
  pingTimeoutMs: number,
  known?: { readonly state: 'up' | 'down' },
): Promise<void> {
  const databaseStatus = known?.state === 'down' ? 'unreachable' : await pingWithin(database, pingTimeoutMs);
  const migrations = readiness.migrationsApplied ? 'applied' : 'pending';
  const ready = databaseStatus === 'ok' && readiness.migrationsApplied && !readiness.draining;
  sendJson(res, ready ? 200 : 503, {
    status: ready ? 'ready' : readiness.draining ? 'draining' : 'not ready',
    database: databaseStatus,
    migrations,
  });
}

/** Pings the database; a ping slower than `timeoutMs` counts as a failure. */
async function pingWithin(database: Database, timeoutMs: number): Promise<'ok' | 'unreachable' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    return await Promise.race([database.ping().then(() => 'ok' as const), timeout]);
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}
