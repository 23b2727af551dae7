/**
 * The outage monitor on its own, over a database whose ping the test controls: state changes,
 * recovery running before `up` (and retried when it fails), and which errors count as outages.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/logger.ts';
import { DatabaseMonitor, isDatabaseUnavailable, maskOutages, recoverAuthz } from '../../src/server/outage.ts';

/** A database whose ping fails while `down` is set. */
function fakeDatabase(): { database: Database; state: { down: boolean } } {
  const state = { down: false };
  const database = {
    ping: async () => {
      if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    },
  } as unknown as Database;
  return { database, state };
}

const quietLogger = createLogger('info', new Writable({ write: (_c, _e, done) => done() }));

describe('DatabaseMonitor', () => {
  it('reports down on a failed ping and up after recovery, in order', async () => {
    const { database, state } = fakeDatabase();
    const recoveries: string[] = [];
    const monitor = new DatabaseMonitor(database, { intervalMs: 60_000, timeoutMs: 500, logger: quietLogger, onRecover: async () => void recoveries.push('recovered') });
    const seen: string[] = [];
    monitor.onChange((status) => seen.push(`${status.state}:${status.reason ?? ''}`));
    await monitor.check();
    expect(monitor.status.state).toBe('up');
    state.down = true;
    await monitor.check();
    expect(monitor.status.state).toBe('down');
    expect(monitor.status.reason).toBe('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432');
    await monitor.check();
    expect(monitor.outages).toBe(1);
    state.down = false;
    await monitor.check();
    expect(seen).toEqual(['down:ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5432', 'up:']);
    expect(recoveries).toEqual(['recovered']);
  });

  it('stays down while recovery fails, and retries it on the next ping', async () => {
    const { database } = fakeDatabase();
    let attempts = 0;
    const monitor = new DatabaseMonitor(database, {
      intervalMs: 60_000,
      timeoutMs: 500,
      logger: quietLogger,
      onRecover: async () => {
        attempts++;
        if (attempts === 1) throw new Error('LISTEN failed');
      },
    });
    monitor.markDown('CONNECTION_CLOSED');
    await monitor.check();
    expect(monitor.status.state).toBe('down');
    await monitor.check();
    expect(monitor.status.state).toBe('up');
    expect(attempts).toBe(2);
  });

  it('counts a ping slower than the timeout as a failure', async () => {
    const database = { ping: () => new Promise<void>(() => {}) } as unknown as Database;
    const monitor = new DatabaseMonitor(database, { intervalMs: 60_000, timeoutMs: 50, logger: quietLogger });
    await monitor.check();
    expect(monitor.status).toMatchObject({ state: 'down', reason: 'no answer within 50 ms' });
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises connection failures through wrappers, and nothing else', () => {
    const wrapped = (cause: unknown) => new Error('Failed query: select 1', { cause });
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' })))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('terminating connection'), { code: '57P01' })))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('connection failure'), { code: '08006' })))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]))).toBe(true);
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('duplicate key'), { code: '23505' })))).toBe(false);
    expect(isDatabaseUnavailable(wrapped(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })))).toBe(false);
    expect(isDatabaseUnavailable(new Error('plain'))).toBe(false);
  });

  it('turns an outage error into SERVICE_UNAVAILABLE (503) and marks the database down', () => {
    const { database } = fakeDatabase();
    const monitor = new DatabaseMonitor(database, { intervalMs: 60_000, timeoutMs: 500, logger: quietLogger });
    const masked: unknown[] = [];
    const mask = maskOutages(monitor, 2, (error) => {
      masked.push(error);
      return new Error('Unexpected error.');
    });
    const outage = mask(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'Unexpected error.');
    expect(outage.message).toBe('the database is unreachable; the service is unavailable, retry later');
    expect((outage as { extensions?: unknown }).extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '2' } } });
    expect(monitor.status.state).toBe('down');
    expect(mask(new Error('bug'), 'Unexpected error.').message).toBe('Unexpected error.');
    expect(masked).toHaveLength(1);
  });
});

describe('recoverAuthz', () => {
  it('empties the caches, then re-listens', async () => {
    const steps: string[] = [];
    const cache = (name: string) => ({ invalidateWhere: (stale: () => boolean) => void steps.push(`${name}:${stale()}`) });
    await recoverAuthz({
      effective: { cache: cache('effective') },
      authenticator: { keys: cache('keys'), sessions: cache('sessions') },
      listener: { relisten: async () => void steps.push('relisten') },
    });
    expect(steps).toEqual(['effective:true', 'keys:true', 'sessions:true', 'relisten']);
  });
});
