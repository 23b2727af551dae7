/**
 * Per-credential rate limits shared by every instance. Each key's token bucket lives in a shared
 * store (PostgreSQL's rate_limit_buckets, or Redis when REDIS_URL is set); an instance reserves
 * tokens from it in batches and spends them locally, so the limiter costs one store round trip
 * per `batch` requests of a key, not one per request, and the next batch is fetched in the
 * background before the current one runs out.
 *
 * The trade-off: the budget is exact only to within N × batch tokens across N instances. Tokens
 * an instance has reserved but not spent are unavailable to the others (a burst may be refused
 * that early), and a batch left unspent where a client stopped is still spendable there after the
 * shared bucket has refilled (that much over the burst, once). Batches are small (a twentieth of
 * the per-second rate, at most 100), so the slack stays under a tenth of a second of budget per
 * instance.
 * When the store fails, the instance falls back to its own in-memory bucket (the per-instance
 * limit of before), so an outage of the store never opens the gate entirely.
 */
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Database } from '../db/client.ts';
import { selectRows } from '../db/rows.ts';
import type { Logger } from '../logger.ts';
import { systemClock, type Clock } from '../clock.ts';
import { RateLimiter, type Limiter, type TakeResult } from './rate-limit.ts';

/** What a reservation got: `granted` tokens, and what is left in the shared bucket after it. */
export interface Reservation {
  readonly granted: number;
  readonly tokens: number;
}

/** A shared store of token buckets. */
export interface BucketStore {
  /** Refills `key`'s bucket to `nowMs` (at `perSecond`, up to `burst`) and takes up to `want` whole tokens. */
  reserve(key: string, want: number, nowMs: number, perSecond: number, burst: number): Promise<Reservation>;
  /** Deletes buckets idle for longer than `idleMs` (full again, so forgetting them changes nothing). */
  sweep(nowMs: number, idleMs: number): Promise<void>;
}

/** Buckets in the shared PostgreSQL (or PGlite) database: one upsert per reservation. */
export class DatabaseBucketStore implements BucketStore {
  constructor(private readonly database: Database) {}

  async reserve(key: string, want: number, nowMs: number, perSecond: number, burst: number): Promise<Reservation> {
    // `r` is the refilled level; the row keeps what is left and what was granted, read back by RETURNING.
    const refilled = sql`least(${burst}::float8, b.tokens + greatest(0, ${nowMs}::float8 - b.updated_ms) / 1000 * ${perSecond}::float8)`;
    const [row] = await selectRows<{ tokens: number; granted: number }>(
      this.database.db,
      sql`insert into rate_limit_buckets as b (key, tokens, updated_ms, granted)
        values (${key}, ${burst}::float8 - least(${want}::float8, ${burst}::float8), ${nowMs}::float8, least(${want}::float8, ${burst}::float8))
        on conflict (key) do update set
          granted = least(${want}::float8, greatest(0, floor(${refilled}))),
          tokens = ${refilled} - least(${want}::float8, greatest(0, floor(${refilled}))),
          updated_ms = greatest(b.updated_ms, ${nowMs}::float8)
        returning tokens, granted`,
    );
    return { granted: Number(row!.granted), tokens: Number(row!.tokens) };
  }

  async sweep(nowMs: number, idleMs: number): Promise<void> {
    await this.database.db.execute(sql`delete from rate_limit_buckets where updated_ms < ${nowMs - idleMs}::float8`);
  }
}

/** The same bucket arithmetic as one Lua script, so a reservation is atomic in Redis. */
const RESERVE_SCRIPT = `
local level = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local burst, rate, now, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local tokens = tonumber(level[1]) or burst
local updated = tonumber(level[2]) or now
if now > updated then
  tokens = math.min(burst, tokens + (now - updated) / 1000 * rate)
  updated = now
end
local granted = math.max(0, math.min(want, math.floor(tokens)))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(updated))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 60000)
return {granted, tostring(tokens)}
`;

/** Buckets in Redis (REDIS_URL): one EVAL per reservation; keys expire once they would be full again. */
export class RedisBucketStore implements BucketStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'portcullis:rate:',
  ) {}

  async reserve(key: string, want: number, nowMs: number, perSecond: number, burst: number): Promise<Reservation> {
    const [granted, tokens] = (await this.redis.eval(RESERVE_SCRIPT, 1, this.prefix + key, burst, perSecond, nowMs, want)) as [number, string];
    return { granted: Number(granted), tokens: Number(tokens) };
  }

  async sweep(): Promise<void> {
    // Keys carry their own expiry.
  }
}

/** Most keys with a local allowance; past it the oldest are dropped (their unspent tokens with them). */
const MAX_LOCAL_KEYS = 100_000;

interface Allowance {
  /** Tokens reserved from the store and not yet spent here. */
  tokens: number;
  /** The store had nothing left: refuse locally until then without asking it again. */
  emptyUntilMs: number;
  /** A reservation in flight. */
  pending: Promise<void> | undefined;
}

/** Token buckets per key, shared across instances through a BucketStore. */
export class SharedRateLimiter implements Limiter {
  /** Operations refused since start, by transport (for /metrics). */
  readonly refused: Record<'http' | 'websocket', number> = { http: 0, websocket: 0 };
  /** Tokens reserved from the store per round trip. */
  readonly batch: number;
  private readonly local = new Map<string, Allowance>();
  /** The per-instance limiter used while the store fails. */
  private readonly fallback: RateLimiter;

  /** Buckets are stamped with the clock's wall time (`now`), which the store and the other instances share. */
  constructor(
    private readonly store: BucketStore,
    readonly perSecond: number,
    readonly burst: number,
    private readonly logger?: Logger,
    private readonly clock: Clock = systemClock,
  ) {
    this.batch = Math.max(1, Math.min(100, Math.ceil(perSecond / 20), burst));
    this.fallback = new RateLimiter(perSecond, burst, clock);
  }

  /** Whether the limiter is switched off (RATE_LIMIT_PER_SECOND=0). */
  get disabled(): boolean {
    return this.perSecond === 0;
  }

  /** Keys currently holding a local allowance. */
  get size(): number {
    return this.local.size;
  }

  /** Draws one token from `key`'s bucket: synchronously while the local allowance lasts. */
  take(key: string): TakeResult | Promise<TakeResult> {
    if (this.disabled) return { allowed: true };
    let allowance = this.local.get(key);
    if (allowance === undefined) {
      if (this.local.size >= MAX_LOCAL_KEYS) this.prune();
      allowance = { tokens: 0, emptyUntilMs: 0, pending: undefined };
      this.local.set(key, allowance);
    }
    const now = this.clock.now();
    if (allowance.tokens >= 1) {
      allowance.tokens -= 1;
      // Fetch the next batch before this one runs out, so requests rarely wait for the store.
      if (allowance.tokens < this.batch / 2 && allowance.pending === undefined && now >= allowance.emptyUntilMs) this.refill(key, allowance);
      return { allowed: true };
    }
    if (now < allowance.emptyUntilMs) return this.refusal(allowance.emptyUntilMs - now);
    // Concurrent waiters may spend the batch first; they then ask again (or learn it is empty).
    return (allowance.pending ?? this.refill(key, allowance)).then(() => this.take(key));
  }

  /** Deletes idle buckets from the store (they would be full again). */
  sweep(): Promise<void> {
    const idleMs = Math.ceil((this.burst / Math.max(1, this.perSecond)) * 1000) + 60_000;
    return this.store.sweep(this.clock.now(), idleMs);
  }

  private refusal(waitMs: number): TakeResult {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private refill(key: string, allowance: Allowance): Promise<void> {
    const now = this.clock.now();
    const pending = this.store.reserve(key, this.batch, now, this.perSecond, this.burst).then(
      (reservation) => {
        allowance.tokens += reservation.granted;
        // Nothing granted: the bucket holds less than a token; it has one again after (1 - tokens) / rate.
        allowance.emptyUntilMs = reservation.granted > 0 ? 0 : now + ((1 - reservation.tokens) / this.perSecond) * 1000;
      },
      (error: unknown) => {
        this.logger?.warn({ err: error }, 'rate-limit store failed; limiting this instance on its own meanwhile');
        const taken = this.fallback.take(key);
        if (taken.allowed) allowance.tokens += 1;
        else allowance.emptyUntilMs = now + taken.retryAfterSeconds * 1000;
      },
    );
    allowance.pending = pending.finally(() => {
      allowance.pending = undefined;
    });
    return allowance.pending;
  }

  /** Forgets the oldest tenth of the keys (Map keeps insertion order). */
  private prune(): void {
    let excess = Math.ceil(MAX_LOCAL_KEYS / 10);
    for (const key of this.local.keys()) {
      if (excess-- <= 0) break;
      this.local.delete(key);
    }
  }
}
