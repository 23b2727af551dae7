import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { signInFailures } from '../../src/db/schema/index.ts';
import { SignInThrottle, userThrottleKey, type SignInThrottleRules, type ThrottleClock } from '../../src/iam/throttle.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const RULES: SignInThrottleRules = {
  perPair: { maxFailures: 3, windowMs: 60_000 },
  perAddress: { maxFailures: 5, windowMs: 60_000 },
  perUser: { slowAfter: 4, windowMs: 60_000, delayMsPerFailure: 100, maxDelayMs: 250 },
};

/** A clock the test moves by hand; sleeping only records the delay. */
function manualClock(): ThrottleClock & { at: number; slept: number[] } {
  const clock = {
    at: Date.parse('2026-01-01T00:00:00Z'),
    slept: [] as number[],
    now: () => new Date(clock.at),
    sleep: async (ms: number) => void clock.slept.push(ms),
  };
  return clock;
}

describe('sign-in throttle over the shared database', () => {
  let opened: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    opened = await openTestDatabase();
    database = opened.database;
  }, 60_000);
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('refuses a (user, address) pair after maxFailures until its window ends; other addresses are untouched', async () => {
    const clock = manualClock();
    const throttle = new SignInThrottle(database, RULES, clock);
    const alice = userThrottleKey('111122223333', 'Alice');
    for (let i = 0; i < 3; i++) expect((await throttle.attempt(alice, '10.0.0.1')).allowed).toBe(true);
    clock.at += 10_000;
    expect(await throttle.attempt(alice, '10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 50_000 });
    // Names compare case-insensitively; another address is a fresh pair.
    expect((await throttle.attempt(userThrottleKey('111122223333', 'ALICE'), '10.0.0.1')).allowed).toBe(false);
    const elsewhere = await throttle.attempt(alice, '10.0.0.2');
    expect(elsewhere.allowed).toBe(true);
    clock.at += 50_000;
    expect((await throttle.attempt(alice, '10.0.0.1')).allowed).toBe(true);
  });

  it('never refuses a user as a whole: failures from many addresses only slow it, up to a cap', async () => {
    const clock = manualClock();
    const throttle = new SignInThrottle(database, RULES, clock);
    const bob = userThrottleKey('111122223333', 'bob');
    for (let i = 0; i < 10; i++) expect((await throttle.attempt(bob, `10.1.0.${i}`)).allowed).toBe(true);
    // Failures 5..10 past slowAfter 4: 100, 200, then capped at 250.
    expect(clock.slept).toEqual([100, 200, 250, 250, 250, 250]);
  });

  it('refuses an address spraying many names, and a success takes back only its own attempt', async () => {
    const clock = manualClock();
    const throttle = new SignInThrottle(database, RULES, clock);
    let last;
    for (let i = 0; i < 5; i++) last = await throttle.attempt(userThrottleKey('111122223333', `spray${i}`), '10.2.0.1');
    expect((await throttle.attempt(userThrottleKey('111122223333', 'fresh'), '10.2.0.1')).allowed).toBe(false);
    expect((await throttle.attempt(userThrottleKey('111122223333', 'fresh'), '10.2.0.2')).allowed).toBe(true);
    // The fifth attempt succeeds after all: its pair is forgotten, the address keeps the other failures.
    if (last?.allowed) await throttle.succeed(last.ticket);
    const rows = await database.db.select().from(signInFailures);
    expect(rows.find((r) => r.key === 'addr:10.2.0.1')?.failures).toBe(5);
    // spray0..3 and the refused 'fresh' remain; spray4's pair was forgotten by its success.
    expect(rows.filter((r) => r.key.startsWith('pair:') && r.key.endsWith('@10.2.0.1'))).toHaveLength(5);
    // Keys hold a hash of the attacker-typed user name, never the name.
    expect(rows.some((r) => r.key.includes('spray'))).toBe(false);
  });

  it('two throttles on one database (two instances) share one budget, and sweep drops ended windows', async () => {
    const clock = manualClock();
    const a = new SignInThrottle(database, RULES, clock);
    const b = new SignInThrottle(database, RULES, clock);
    const carol = userThrottleKey('111122223333', 'carol');
    expect((await a.attempt(carol, '10.3.0.1')).allowed).toBe(true);
    expect((await b.attempt(carol, '10.3.0.1')).allowed).toBe(true);
    expect((await a.attempt(carol, '10.3.0.1')).allowed).toBe(true);
    expect((await b.attempt(carol, '10.3.0.1')).allowed).toBe(false);
    clock.at += 24 * 3600_000;
    expect(await a.sweep()).toBeGreaterThan(0);
    expect(await database.db.select().from(signInFailures)).toEqual([]);
  });
});
