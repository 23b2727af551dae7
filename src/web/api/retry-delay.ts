/**
 * How long the console waits before reconnecting a dropped live connection: exponential backoff
 * with jitter, so clients dropped together (a server restart) do not all return together. Kept
 * apart from live.ts, which needs a browser, so the rule is tested on its own.
 */

/** Delay before reconnection attempt `retries` (0-based): a ceiling of 0.5 s doubling to at most 30 s, the delay uniform in its upper half. */
export function retryDelayMs(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(500 * 2 ** retries, 30_000);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
