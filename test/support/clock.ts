/** A clock that moves only when a test says so, for code that takes a Clock (src/clock.ts). */
import type { Clock } from '../../src/clock.ts';

/**
 * Starts at `ms` (default: the real time now, so timestamps look current) and stands still until
 * advanced. Wall and monotonic readings are the same: this clock is never set back.
 */
export class TestClock implements Clock {
  constructor(private ms: number = Date.now()) {}

  now(): number {
    return this.ms;
  }

  monotonic(): number {
    return this.ms;
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.ms += ms;
  }
}
