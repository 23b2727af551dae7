/**
 * The live connection's reconnect delay (issue 19's reconnect storm): it doubles from 0.5 s to a
 * 30 s ceiling, and is jittered within the upper half of each step, so a network failure costs at
 * most a handful of attempts a minute and clients dropped together spread out.
 */
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../src/web/api/retry-delay.ts';

describe('retryDelayMs', () => {
  it('doubles each attempt up to 30 s, between half and all of the step', () => {
    const low = () => 0;
    const high = () => 1;
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(n, low))).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelayMs(n, high))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('spreads clients that retry together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(6)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(15_000);
  });

  it('keeps a client that keeps failing to a few attempts a minute after the first ones', () => {
    // The worst case for the server: every delay at its lowest.
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 120_000) elapsed += retryDelayMs(attempts++, () => 0);
    // 8 attempts in the first 45.75 s, then one every 15 s at the most.
    expect(attempts).toBeLessThanOrEqual(14);
  });
});
