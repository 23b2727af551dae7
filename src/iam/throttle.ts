/**
 * Throttling of failed sign-ins, kept in the shared database (sign_in_failures) so that every
 * instance spends from one budget. Each attempt counts, up front, under three fixed-window keys:
 *  - the user and the client address: refused after `perPair.maxFailures`, which stops a guesser
 *    at one address without touching the user's sign-ins from anywhere else;
 *  - the client address: refused after `perAddress.maxFailures`, which stops one address spraying
 *    many user names;
 *  - the user: never refused, since anyone can fail as anyone and a lock would hand every
 *    stranger a denial of service; past `perUser.slowAfter` failures each attempt is held back
 *    a little longer (capped), which slows guesses spread over many addresses.
 * The keys exist for names that do not exist too, so throttling reveals nothing.
 */
import { createHash } from 'node:crypto';
import { eq, inArray, lte, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { selectRows } from '../db/rows.ts';
import { signInFailures } from '../db/schema/index.ts';

/** A refusing fixed window. */
export interface ThrottleRule {
  /** Failures allowed inside a window; the next attempt is refused until the window ends. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

/** A slowing (never refusing) fixed window. */
export interface SlowdownRule {
  /** Failures inside a window before attempts are held back. */
  readonly slowAfter: number;
  readonly windowMs: number;
  /** Added delay per failure past `slowAfter`. */
  readonly delayMsPerFailure: number;
  readonly maxDelayMs: number;
}

/** The three sign-in rules. */
export interface SignInThrottleRules {
  readonly perPair: ThrottleRule;
  readonly perAddress: ThrottleRule;
  readonly perUser: SlowdownRule;
}

/**
 * Defaults: 5 failures per user and address and 20 per address in 15 minutes refuse further
 * attempts from there until the window ends; past 10 failures of one user from anywhere, each of
 * that user's attempts waits 250 ms more per failure, at most 3 s.
 */
export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleRules = {
  perPair: { maxFailures: 5, windowMs: 15 * 60_000 },
  perAddress: { maxFailures: 20, windowMs: 15 * 60_000 },
  perUser: { slowAfter: 10, windowMs: 15 * 60_000, delayMsPerFailure: 250, maxDelayMs: 3_000 },
};

/** Time, injectable so tests neither sleep nor wait for windows to end. */
export interface ThrottleClock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

/** The wall clock. */
export const systemClock: ThrottleClock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** One key's window after counting. */
export interface WindowCount {
  readonly failures: number;
  readonly windowEndsAt: Date;
}

/** The key for a user name in an account; names compare case-insensitively as in IAM. */
export function userThrottleKey(accountId: string, userName: string): string {
  return `${accountId}/${userName.toLowerCase()}`;
}

/** An attempt that passed the throttle; hand it back to `succeed` when the credentials were right. */
export interface ThrottleTicket {
  readonly keys: { readonly pair: string; readonly address: string; readonly user: string };
}

/** The outcome of `SignInThrottle.attempt`. */
export type ThrottleOutcome = { readonly allowed: true; readonly ticket: ThrottleTicket } | { readonly allowed: false; readonly retryAfterMs: number };

/** Sign-in throttling over the shared sign_in_failures table. */
export class SignInThrottle {
  constructor(
    private readonly database: Database,
    readonly rules: SignInThrottleRules = DEFAULT_SIGN_IN_THROTTLE,
    private readonly clock: ThrottleClock = systemClock,
  ) {}

  /**
   * Counts an attempt as a failure up front (so a parallel burst cannot all pass the check before
   * any failure is recorded) and says whether it may go ahead. A refusal names the wait; an
   * allowed attempt may first be held back by the per-user slowdown.
   */
  async attempt(userKey: string, address: string | undefined): Promise<ThrottleOutcome> {
    const where = address ?? 'unknown';
    // The user name is attacker-typed (often a password typed in the wrong box, or bytes that
    // PostgreSQL text refuses): only its hash is stored.
    const hashed = createHash('sha256').update(userKey).digest('base64url').slice(0, 22);
    const keys = { pair: `pair:${hashed}@${where}`, address: `addr:${where}`, user: `user:${hashed}` };
    const { perPair, perAddress, perUser } = this.rules;
    const now = this.clock.now();
    const counted = await this.count(
      [
        { key: keys.pair, windowMs: perPair.windowMs },
        { key: keys.address, windowMs: perAddress.windowMs },
      ],
      now,
    );
    let retryAfterMs = 0;
    for (const [key, rule] of [
      [keys.pair, perPair],
      [keys.address, perAddress],
    ] as const) {
      const window = counted.get(key)!;
      if (window.failures > rule.maxFailures) retryAfterMs = Math.max(retryAfterMs, window.windowEndsAt.getTime() - now.getTime());
    }
    if (retryAfterMs > 0) return { allowed: false, retryAfterMs };
    // Only attempts that get to check a password count against the user, so a throttled guesser
    // does not slow the real user down further.
    const user = (await this.count([{ key: keys.user, windowMs: perUser.windowMs }], now)).get(keys.user)!;
    const delayMs = Math.min(perUser.maxDelayMs, Math.max(0, user.failures - perUser.slowAfter) * perUser.delayMsPerFailure);
    if (delayMs > 0) await this.clock.sleep(delayMs);
    return { allowed: true, ticket: { keys } };
  }

  /**
   * A successful sign-in: the pair's failures are forgotten, and the one attempt counted up front
   * is taken back from the address and the user (not their earlier failures: one right password
   * must not reset a spray).
   */
  async succeed(ticket: ThrottleTicket): Promise<void> {
    const { pair, address, user } = ticket.keys;
    await this.database.db.transaction(async (tx) => {
      await tx.delete(signInFailures).where(eq(signInFailures.key, pair));
      await tx
        .update(signInFailures)
        .set({ failures: sql`greatest(${signInFailures.failures} - 1, 0)` })
        .where(inArray(signInFailures.key, [address, user]));
    });
  }

  /** Deletes windows that have ended; returns how many. Bounds the table under a spray of names. */
  async sweep(): Promise<number> {
    const deleted = await this.database.db
      .delete(signInFailures)
      .where(lte(signInFailures.windowEndsAt, this.clock.now()))
      .returning({ key: signInFailures.key });
    return deleted.length;
  }

  /** Adds one failure under each key in one statement; an ended window restarts at 1. */
  private async count(entries: ReadonlyArray<{ key: string; windowMs: number }>, now: Date): Promise<Map<string, WindowCount>> {
    const at = now.toISOString();
    const values = entries.map((e) => sql`(${e.key}::text, 1, ${new Date(now.getTime() + e.windowMs).toISOString()}::timestamptz)`);
    const rows = await selectRows<{ key: string; failures: number; window_ends_at: string | Date }>(
      this.database.db,
      sql`insert into sign_in_failures as f (key, failures, window_ends_at) values ${sql.join(values, sql`, `)}
        on conflict (key) do update set
          failures = case when f.window_ends_at <= ${at}::timestamptz then 1 else f.failures + 1 end,
          window_ends_at = case when f.window_ends_at <= ${at}::timestamptz then excluded.window_ends_at else f.window_ends_at end
        returning key, failures, window_ends_at`,
    );
    return new Map(rows.map((row) => [row.key, { failures: Number(row.failures), windowEndsAt: new Date(row.window_ends_at) }]));
  }
}
