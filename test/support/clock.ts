/** A clock for tests, for code that takes a Clock (src/clock.ts): time moves forward when the test says so. */
import { systemClock, type Clock } from '../../src/clock.ts';

/**
 * Either frozen (stands still until advanced; for timing that must not depend on the machine's
 * speed) or running (the system's time, shifted by whatever was advanced; for a server whose
 * other timing, such as MFA codes, follows real time).
 */
export class TestClock implements Clock {
  private advancedMs = 0;
  /** Where `hold` stopped a running clock. */
  private held: { readonly now: number; readonly monotonic: number } | undefined;

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
    return (this.held?.now ?? this.base.now()) + this.advancedMs;
  }

  monotonic(): number {
    return (this.held?.monotonic ?? this.base.monotonic()) + this.advancedMs;
  }

  /** Stops a running clock where it is, until `release`: for a step whose timing must not depend on the machine's speed. */
  hold(): void {
    this.held ??= { now: this.base.now(), monotonic: this.base.monotonic() };
  }

  /** Lets a held clock run with the system's time again. */
  release(): void {
    this.held = undefined;
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.advancedMs += ms;
  }
}
