/**
 * The shared rate limiter's batching (src/server/shared-rate-limit.ts): tokens are reserved from
 * the shared store a batch at a time and spent locally, so the store sees one round trip per
 * batch; an empty store is not asked again until a token is due; a failing store falls back to
 * a per-instance bucket. The store itself is exercised on PGlite/PostgreSQL below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { DatabaseBucketStore, SharedRateLimiter, type BucketStore, type Reservation } from '../../src/server/shared-rate-limit.ts';
import { Redis } from 'ioredis';
import { RedisBucketStore } from '../../src/server/shared-rate-limit.ts';
import type { TakeResult } from '../../src/server/rate-limit.ts';
import { TestClock } from '../support/clock.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { TEST_REDIS_URL, redisReachable } from '../support/redis.ts';

/** An in-memory store with the same arithmetic, counting round trips. */
class CountingStore implements BucketStore {
  calls = 0;
  fail = false;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  async reserve(key: string, want: number, nowMs: number, perSecond: number, burst: number): Promise<Reservation> {
    this.calls++;
    if (this.fail) throw new Error('store down');
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * perSecond);
    bucket.at = nowMs;
    const granted = Math.max(0, Math.min(want, Math.floor(bucket.tokens)));
    bucket.tokens -= granted;
    this.buckets.set(key, bucket);
    return { granted, tokens: bucket.tokens };
  }
  async sweep(): Promise<void> {}
}

const take = async (limiter: SharedRateLimiter, key: string): Promise<TakeResult> => limiter.take(key);

describe('shared rate limiter', () => {
  it('reserves a batch per store round trip and answers from it synchronously', async () => {
    const store = new CountingStore();
    const limiter = new SharedRateLimiter(store, 200, 1000, undefined, TestClock.frozen(0));
    expect(limiter.batch).toBe(10);
    for (let i = 0; i < 100; i++) expect((await take(limiter, 'k')).allowed).toBe(true);
    // 100 tokens in batches of 10 (the next batch is fetched ahead): about 10 round trips, not 100.
    expect(store.calls).toBeGreaterThanOrEqual(10);
    expect(store.calls).toBeLessThanOrEqual(11);
  });

  it('two limiters on one store share one burst, and an empty store is not asked again until a token is due', async () => {
    const store = new CountingStore();
    const clock = TestClock.frozen(0);
    const a = new SharedRateLimiter(store, 1, 6, undefined, clock);
    const b = new SharedRateLimiter(store, 1, 6, undefined, clock);
    const results: boolean[] = [];
    for (let i = 0; i < 12; i++) results.push((await take(i % 2 === 0 ? a : b, 'k')).allowed);
    expect(results.filter(Boolean)).toHaveLength(6);
    const calls = store.calls;
    expect(await take(a, 'k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(store.calls).toBe(calls);
    clock.advance(1000);
    expect((await take(a, 'k')).allowed).toBe(true);
  });

  it('falls back to a per-instance bucket while the store fails', async () => {
    const store = new CountingStore();
    store.fail = true;
    const clock = TestClock.frozen(0);
    const limiter = new SharedRateLimiter(store, 1, 2, undefined, clock);
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await take(limiter, 'k')).allowed);
    expect(results).toEqual([true, true, false, false]);
    // The fallback reads the same clock: a second refills one token, however slow the machine.
    clock.advance(1_000);
    expect((await take(limiter, 'k')).allowed).toBe(true);
    expect((await take(limiter, 'k')).allowed).toBe(false);
  });
});

describe('database bucket store', () => {
  let opened: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    opened = await openTestDatabase();
    database = opened.database;
  }, 60_000);
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('grants up to the burst, refills at the rate, and reports what is left', async () => {
    const store = new DatabaseBucketStore(database);
    expect(await store.reserve('k', 4, 0, 2, 10)).toEqual({ granted: 4, tokens: 6 });
    expect(await store.reserve('k', 4, 0, 2, 10)).toEqual({ granted: 4, tokens: 2 });
    expect(await store.reserve('k', 4, 0, 2, 10)).toEqual({ granted: 2, tokens: 0 });
    expect(await store.reserve('k', 4, 250, 2, 10)).toEqual({ granted: 0, tokens: 0.5 });
    expect(await store.reserve('k', 4, 1250, 2, 10)).toEqual({ granted: 2, tokens: 0.5 });
    await store.sweep(1_000_000, 1000);
    expect(await store.reserve('k', 4, 1_000_000, 2, 10)).toEqual({ granted: 4, tokens: 6 });
  });
});

const redisUp = await redisReachable();

describe.skipIf(!redisUp)('redis bucket store', () => {
  it('does the same arithmetic atomically in one script', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const store = new RedisBucketStore(redis, `portcullis:test:${process.pid}:${Date.now()}:`);
      expect(await store.reserve('k', 4, 0, 2, 10)).toEqual({ granted: 4, tokens: 6 });
      expect(await store.reserve('k', 8, 0, 2, 10)).toEqual({ granted: 6, tokens: 0 });
      expect(await store.reserve('k', 4, 250, 2, 10)).toEqual({ granted: 0, tokens: 0.5 });
      expect(await store.reserve('k', 4, 1250, 2, 10)).toEqual({ granted: 2, tokens: 0.5 });
    } finally {
      redis.disconnect();
    }
  });
});
