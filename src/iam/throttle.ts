/**
 * Throttling of failed sign-ins: a sliding window of failure times per key (one key per account
 * and user name, one per client address). In memory, per process: a restart forgets the windows,
 * and several instances each allow the limit, which bounds brute force to limit × instances per
 * window. The keys exist for names that do not exist too, so throttling reveals nothing.
 */

/** Window and limit for one kind of key. */
export interface ThrottleRule {
  /** Failures allowed inside the window; the next attempt is refused until the oldest ages out. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

/** Per-user and per-address limits for sign-in. */
export interface SignInThrottleRules {
  readonly perUser: ThrottleRule;
  readonly perAddress: ThrottleRule;
}

/** Defaults: 5 failures per user name and 20 per client address in 15 minutes. */
export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottleRules = {
  perUser: { maxFailures: 5, windowMs: 15 * 60_000 },
  perAddress: { maxFailures: 20, windowMs: 15 * 60_000 },
};

/** A sliding-window failure counter keyed by string. */
export class SlidingWindowThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly rule: ThrottleRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may try now. */
  retryAfterMs(key: string): number {
    const times = this.live(key);
    if (times.length < this.rule.maxFailures) return 0;
    return times[times.length - this.rule.maxFailures]! + this.rule.windowMs - this.now();
  }

  /** Records a failure for `key`. */
  fail(key: string): void {
    const times = this.live(key);
    times.push(this.now());
    // Only the newest maxFailures entries can ever matter.
    if (times.length > this.rule.maxFailures) times.splice(0, times.length - this.rule.maxFailures);
    this.failures.set(key, times);
  }

  /** Takes back the newest failure of `key` (an attempt counted up front that then succeeded). */
  forgiveLatest(key: string): void {
    const times = this.failures.get(key);
    times?.pop();
    if (times?.length === 0) this.failures.delete(key);
  }

  /** Forgets `key`'s failures (after a successful sign-in). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  /** Drops every key whose failures all lie outside the window; bounds memory under a spray. */
  sweep(): void {
    for (const key of [...this.failures.keys()]) this.live(key);
  }

  /** The failure times of `key` still inside the window (pruning the rest). */
  private live(key: string): number[] {
    const times = this.failures.get(key);
    if (times === undefined) return [];
    const cutoff = this.now() - this.rule.windowMs;
    const kept = times.filter((t) => t > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

/** The two throttles sign-in consults. */
export class SignInThrottle {
  readonly perUser: SlidingWindowThrottle;
  readonly perAddress: SlidingWindowThrottle;
  private readonly sweeper: NodeJS.Timeout;

  constructor(rules: SignInThrottleRules = DEFAULT_SIGN_IN_THROTTLE, now: () => number = Date.now) {
    this.perUser = new SlidingWindowThrottle(rules.perUser, now);
    this.perAddress = new SlidingWindowThrottle(rules.perAddress, now);
    this.sweeper = setInterval(() => {
      this.perUser.sweep();
      this.perAddress.sweep();
    }, 60_000);
    this.sweeper.unref();
  }

  /** Milliseconds until this user/address pair may try again (0: now). */
  retryAfterMs(userKey: string, address: string | undefined): number {
    const user = this.perUser.retryAfterMs(userKey);
    const addr = address === undefined ? 0 : this.perAddress.retryAfterMs(address);
    return Math.max(user, addr);
  }

  /** Records one failed attempt against both keys. */
  fail(userKey: string, address: string | undefined): void {
    this.perUser.fail(userKey);
    if (address !== undefined) this.perAddress.fail(address);
  }

  /**
   * A success clears the user's failures and takes back the one attempt counted up front for the
   * address (not the address's earlier failures: one good password must not unlock a spray).
   */
  succeed(userKey: string, address?: string): void {
    this.perUser.reset(userKey);
    if (address !== undefined) this.perAddress.forgiveLatest(address);
  }
}

/** The key for a user name in an account; names compare case-insensitively as in IAM. */
export function userThrottleKey(accountId: string, userName: string): string {
  return `${accountId}/${userName.toLowerCase()}`;
}
