/** A clock for tests, for code that takes a Clock (src/clock.ts): time moves forward when the test says so. */
import { systemClock, type Clock } from '../../src/clock.ts';

/**
 * Either frozen (stands still until advanced; for timing that must not depend on the machine's
 * speed) or running (the system's time, shifted by whatever was advanced; for a server whose
 * other timing, such as MFA codes, follows real time).
 */
export class TestClock implements Clock {
  private advancedMs = 0;

  private constructor(private readonly base: Clock) {}

  /** Stands at `atMs` (default: the real time now, so timestamps look current) until advanced. */
  static frozen(atMs: number = Date.now()): TestClock {
    return new TestClock({ now: () => atMs, monotonic: () => atMs });
  }

  /** Runs with the system's time. */
  static running(): TestClock {
    return new TestClock(systemClock);
  }

  now(): number {
    return this.base.now() + this.advancedMs;
  }

  monotonic(): number {
    return this.base.monotonic() + this.advancedMs;
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.advancedMs += ms;
  }
}
