/**
 * The throttles every instance shares, built once by createApp: the per-credential token buckets
 * of the rate limit (in Redis when REDIS_URL is set, one EVAL per batch; else in PostgreSQL; in
 * memory on PGlite) and the failed sign-in counters, with the once-a-minute sweep of their
 * expired state.
 */
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import { SignInThrottle } from '../iam/throttle.ts';
import type { Logger } from '../logger.ts';
import { RateLimiter, type Limiter } from './rate-limit.ts';
import { redisClient } from './redis.ts';
import { DatabaseBucketStore, RedisBucketStore, SharedRateLimiter } from './shared-rate-limit.ts';

/** The app's rate limiter and sign-in throttle; `close` stops the sweep and the Redis connection. */
export interface Throttles {
  /** Per-credential token buckets shared by HTTP and graphql-ws, and by every instance (see shared-rate-limit.ts). */
  readonly rateLimiter: Limiter;
  /** Failed sign-in counters, kept in the shared database. */
  readonly signInThrottle: SignInThrottle;
  close(): void;
}

/** Builds the throttles and starts their sweep; the rate limit's buckets refill by `clock`. */
export function createThrottles(config: Config, database: Database, logger: Logger, clock: Clock): Throttles {
  const redis =
    config.redisUrl === undefined
      ? undefined
      : redisClient(config.redisUrl, (error) => logger.debug({ err: error }, 'rate-limit redis connection error; retrying'));
  redis?.connect().catch(() => {});
  // PGlite is one process's database, so there is no other instance to share with: memory is exact and free.
  const bucketStore = redis !== undefined ? new RedisBucketStore(redis) : database.kind === 'postgres' ? new DatabaseBucketStore(database) : undefined;
  const rateLimiter: Limiter =
    bucketStore === undefined
      ? new RateLimiter(config.rateLimitPerSecond, config.rateLimitBurst, clock)
      : new SharedRateLimiter(bucketStore, config.rateLimitPerSecond, config.rateLimitBurst, logger, clock);
  const signInThrottle = new SignInThrottle(database);
  // Ended windows and idle buckets are deleted once a minute, by every instance (deletes are idempotent).
  const sweeper = setInterval(() => {
    Promise.all([signInThrottle.sweep(), rateLimiter.disabled ? undefined : rateLimiter.sweep?.()]).catch((error: unknown) =>
      logger.debug({ err: error }, 'sweeping throttle state failed; retrying next minute'),
    );
  }, 60_000);
  sweeper.unref();
  return {
    rateLimiter,
    signInThrottle,
    close() {
      clearInterval(sweeper);
      redis?.disconnect();
    },
  };
}
