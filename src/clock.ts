/**
 * The time as the server reads it, one clock per app (createApp's `clock` option): production
 * reads the system's; tests inject one they advance, so they never sleep to let time pass.
 */
export interface Clock {
  /** Wall time in epoch milliseconds, for timestamps stored or compared across instances. */
  now(): number;
  /** Monotonic milliseconds, for intervals measured within this process (setting the wall clock does not move it). */
  monotonic(): number;
}

/** The system's clocks: Date.now and performance.now. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
