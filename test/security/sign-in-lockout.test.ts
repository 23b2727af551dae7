/**
 * Issue 13, item 8: anyone could lock anyone out. Five anonymous failures for root, from five
 * addresses, made the real root's right password answer SignInThrottled for 900 s; and each
 * instance kept its own throttle and rate-limit budget. Now sign-in is throttled per (user,
 * address) and per address, the user as a whole is only slowed, and both the throttle and the
 * per-credential rate limits live in the shared database, so two instances share one budget.
 * Addresses are varied with TRUST_PROXY + X-Forwarded-For (src/server/client-address.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorage, startTestServer, type TestServer, type TestStorage } from '../support/server.ts';
import { ACCOUNT, ROOT_KEY_ID, ROOT_PASSWORD, ROOT_SECRET, startIdentityServer } from '../identity/support/server.ts';
import { TEST_REDIS_URL, redisReachable } from '../support/redis.ts';

const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) {
  __typename ... on SignInThrottled { retryAfterSeconds } ... on ResultError { message } } }`;

/** Signs in as `userName` from `address`; returns the result's __typename (and retryAfterSeconds). */
async function signInFrom(server: TestServer, address: string, userName: string, password: string): Promise<Record<string, unknown>> {
  const response = await server.gql(SIGN_IN, { i: { account: ACCOUNT, userName, password } }, { 'x-forwarded-for': address });
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data?.['signIn'] as Record<string, unknown>;
}

/** Sends 2 × burst requests of one (nonexistent) credential alternately to `a` and `b`; returns the statuses. */
async function alternate(a: TestServer, b: TestServer, burst: number, keyId: string): Promise<number[]> {
  // A credential that does not exist: the rate limit is drawn before authentication (401 when let through).
  const header = { authorization: `Basic ${Buffer.from(`${keyId}:not-a-secret-at-all`).toString('base64')}` };
  const statuses: number[] = [];
  for (let i = 0; i < 2 * burst; i++) statuses.push((await (i % 2 === 0 ? a : b).gql('{ __typename }', undefined, header)).status);
  return statuses;
}

/** Separate budgets would let all 2 × burst through; a shared one lets through the burst plus what refilled meanwhile (one a second). */
function expectOneBurst(statuses: number[], burst: number): void {
  expect(statuses.slice(0, burst - 2).every((s) => s === 401), statuses.join(' ')).toBe(true);
  expect(statuses.filter((s) => s !== 429).length, statuses.join(' ')).toBeLessThanOrEqual(burst + 3);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
}

describe('sign-in throttling cannot lock a user out', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startIdentityServer({ TRUST_PROXY: '127.0.0.1' });
  }, 60_000);
  afterAll(async () => {
    await server.dispose();
  });

  it('failures for root from other addresses never refuse the right password from address B', async () => {
    // The attack from the issue: failures for root from five addresses, then more from one.
    for (let i = 1; i <= 5; i++) expect((await signInFrom(server, `198.51.100.${i}`, 'root', `guess-${i}-Password!`)).__typename).toBe('SignInFailed');
    for (let i = 0; i < 6; i++) await signInFrom(server, '198.51.100.1', 'root', `again-${i}-Password!`);
    expect((await signInFrom(server, '198.51.100.1', 'root', ROOT_PASSWORD)).__typename).toBe('SignInThrottled');
    expect((await signInFrom(server, '203.0.113.20', 'root', ROOT_PASSWORD)).__typename).toBe('SignInSuccess');
  });

  it('a (user, address) pair is throttled after five failures, even for the right password, with when to retry', async () => {
    const results: unknown[] = [];
    for (let i = 0; i < 5; i++) results.push((await signInFrom(server, '192.0.2.77', 'root', `wrong-${i}-Password!`)).__typename);
    expect(results).toEqual(Array(5).fill('SignInFailed'));
    const throttled = await signInFrom(server, '192.0.2.77', 'root', ROOT_PASSWORD);
    expect(throttled.__typename).toBe('SignInThrottled');
    expect(throttled['retryAfterSeconds']).toBeGreaterThan(0);
    expect(throttled['retryAfterSeconds']).toBeLessThanOrEqual(15 * 60);
    // The same user from elsewhere, and another user from the same address, are unaffected.
    expect((await signInFrom(server, '192.0.2.78', 'root', ROOT_PASSWORD)).__typename).toBe('SignInSuccess');
    expect((await signInFrom(server, '192.0.2.77', 'someone-else', 'wrong-Password-1!')).__typename).toBe('SignInFailed');
  });
});

describe.skipIf(!process.env['TEST_DATABASE_URL'])('two instances on one PostgreSQL share the sign-in and rate-limit budgets', () => {
  let storage: TestStorage;
  let a: TestServer;
  let b: TestServer;
  const BURST = 10;

  beforeAll(async () => {
    storage = await createTestStorage('postgres');
    // One token a second with a burst of 10, per credential; anonymous sign-ins are keyed by the forwarded address.
    const env = {
      PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}`,
      PORTCULLIS_ROOT_PASSWORD: ROOT_PASSWORD,
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_PER_SECOND: '1',
      RATE_LIMIT_BURST: String(BURST),
    };
    a = await startTestServer({ storage, env });
    b = await startTestServer({ storage, env });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await storage?.destroy();
  });

  it('failures spread over both instances count against one (user, address) budget', async () => {
    for (let i = 0; i < 5; i++) expect((await signInFrom(i % 2 === 0 ? a : b, '198.51.100.200', 'root', `wrong-${i}-Password!`)).__typename).toBe('SignInFailed');
    expect((await signInFrom(b, '198.51.100.200', 'root', ROOT_PASSWORD)).__typename).toBe('SignInThrottled');
    expect((await signInFrom(a, '198.51.100.200', 'root', ROOT_PASSWORD)).__typename).toBe('SignInThrottled');
    expect((await signInFrom(b, '198.51.100.201', 'root', ROOT_PASSWORD)).__typename).toBe('SignInSuccess');
  });

  it('one credential gets one burst across both instances, not one per instance', async () => {
    expectOneBurst(await alternate(a, b, BURST, 'AKIASHAREDBUDGET0001'), BURST);
  });
});

const redisUp = await redisReachable();

describe.skipIf(!process.env['TEST_DATABASE_URL'] || !redisUp)('two instances with REDIS_URL share the rate-limit budget through Redis', () => {
  let storage: TestStorage;
  let a: TestServer;
  let b: TestServer;
  const BURST = 10;

  beforeAll(async () => {
    storage = await createTestStorage('postgres');
    const env = { PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}`, REDIS_URL: TEST_REDIS_URL, RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: String(BURST) };
    a = await startTestServer({ storage, env });
    b = await startTestServer({ storage, env });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await storage?.destroy();
  });

  it('one credential gets one burst across both instances', async () => {
    // A key id unique to this run: Redis outlives the test database.
    expectOneBurst(await alternate(a, b, BURST, `AKIAREDIS${Date.now()}`), BURST);
  });
});
