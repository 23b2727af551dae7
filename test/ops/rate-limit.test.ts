/**
 * Per-credential rate limits: HTTP 429 with Retry-After and RATE_LIMITED once a credential's
 * burst is spent, buckets kept apart per access key, session and anonymous client IP, the same
 * buckets drawn by graphql-ws operations, and the refusals counted on /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { clientAddress } from '../../src/server/client-address.ts';
import { RateLimiter, rateLimitKey } from '../../src/server/rate-limit.ts';
import { TestClock } from '../support/clock.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { eventually, liveListeners } from '../live/support/servers.ts';
import { ROOT_AUTH, ROOT_ENV } from './support/env.ts';
import { once, wsClient } from './support/ws.ts';

describe('token buckets', () => {
  it('allow the burst, then refill at the steady rate', () => {
    const clock = TestClock.frozen(0);
    const limiter = new RateLimiter(2, 3, clock);
    expect([1, 2, 3].map(() => limiter.take('k').allowed)).toEqual([true, true, true]);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(limiter.take('other').allowed).toBe(true);
    clock.advance(500); // half a second refills one token at 2/s
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k').allowed).toBe(false);
  });

  it('are keyed by access key id, by a hash of the session token, else by client IP', () => {
    const basic = `Basic ${Buffer.from('AKIAEXAMPLEKEY000001:s3cr3t-value-here').toString('base64')}`;
    expect(rateLimitKey(basic, '10.0.0.1')).toBe('key:AKIAEXAMPLEKEY000001');
    const session = rateLimitKey('Bearer secret-session-token-value', '10.0.0.1');
    expect(session).toMatch(/^session:[\w-]{22}$/);
    expect(session).not.toContain('secret-session-token-value');
    // A dual-stack socket's IPv4-mapped peer shares the bucket of the plain IPv4 address.
    const mapped = { socket: { remoteAddress: '::ffff:10.0.0.2' }, headers: {} } as unknown as IncomingMessage;
    expect(rateLimitKey(undefined, clientAddress(mapped, []))).toBe('ip:10.0.0.2');
    expect(rateLimitKey('Basic !!!', '10.0.0.3')).toBe('ip:10.0.0.3');
  });
});

describe('rate limits over HTTP and WebSocket', () => {
  // The buckets refill only when the test advances this clock, however slow the machine.
  const clock = TestClock.frozen();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...ROOT_ENV, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '3' }, clock });
  });
  afterAll(async () => server?.dispose());

  it('answers 429 RATE_LIMITED with Retry-After once the burst is spent, per credential', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await server.gql('{ serverInfo { version } }', undefined, { authorization: ROOT_AUTH })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await server.gql('{ serverInfo { version } }', undefined, { authorization: ROOT_AUTH });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED', limit: 1 } });
    expect(refused.body.errors?.[0]?.message).toMatch(/^rate limit of 1 operations per second \(burst 3\) exceeded for this credential; retry after \d+ s$/);

    // Another credential (here: anonymous, keyed by IP) has its own bucket.
    const anonymous = await server.gql('{ serverInfo { version } }');
    expect(anonymous.status).not.toBe(429);
  });

  it('draws graphql-ws operations from the same kind of bucket and keeps the socket open', async () => {
    clock.advance(3_000); // refills the root key's burst
    const { client, closes } = wsClient(server.graphqlUrl, ROOT_AUTH);
    // An open subscription holds the socket (graphql-ws clients close an idle one themselves).
    const held: unknown[] = [];
    const stop = client.subscribe({ query: 'subscription { changes { revision } }' }, { next: (value) => void held.push(value), error: (error) => void held.push(error), complete: () => {} });
    try {
      // The subscription drew its token once it listens (beside the connection's credential watch):
      // only then spend the rest, or it would arrive to an empty bucket and be refused itself.
      await eventually(() => liveListeners(server) === 2, 10_000, 'the subscription to listen');
      // Spend the root key's bucket over HTTP: WebSocket operations draw from the same key's bucket.
      for (let i = 0; i < 10 && (await server.gql('{ serverInfo { version } }', undefined, { authorization: ROOT_AUTH })).status !== 429; i++);
      const result = await once(client, '{ serverInfo { version } }');
      expect(JSON.stringify(result)).toMatch(/RATE_LIMITED/);
      clock.advance(1_000); // one token
      const later = await once(client, '{ serverInfo { version } }');
      expect(later).toMatchObject({ data: { serverInfo: { version: expect.any(String) } } });
      expect(closes, JSON.stringify(closes)).toEqual([]);
      expect(held).toEqual([]);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('counts refusals on /metrics by transport', async () => {
    const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
    expect(text).toMatch(/portcullis_rate_limited_total\{transport="http"\} [1-9]/);
    expect(text).toMatch(/portcullis_rate_limited_total\{transport="websocket"\} [1-9]/);
  });
});
