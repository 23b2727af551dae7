import { describe, expect, it } from 'vitest';
import { SignInThrottle, SlidingWindowThrottle, userThrottleKey } from '../../src/iam/throttle.ts';

describe('sliding-window sign-in throttle', () => {
  it('refuses after maxFailures inside the window and recovers as the oldest failure ages out', () => {
    let now = 0;
    const throttle = new SlidingWindowThrottle({ maxFailures: 3, windowMs: 1000 }, () => now);
    for (const t of [0, 100, 200]) {
      now = t;
      expect(throttle.retryAfterMs('k')).toBe(0);
      throttle.fail('k');
    }
    now = 300;
    expect(throttle.retryAfterMs('k')).toBe(700);
    now = 1001;
    expect(throttle.retryAfterMs('k')).toBe(0);
    throttle.fail('k');
    expect(throttle.retryAfterMs('k')).toBe(100 + 1000 - 1001);
    throttle.reset('k');
    expect(throttle.retryAfterMs('k')).toBe(0);
  });

  it('throttles per client address across user names, and a success clears only the user', () => {
    let now = 0;
    const throttle = new SignInThrottle({ perUser: { maxFailures: 2, windowMs: 60_000 }, perAddress: { maxFailures: 5, windowMs: 60_000 } }, () => now);
    // A spray: one failure each for many names from one address.
    for (let i = 0; i < 5; i++) {
      expect(throttle.retryAfterMs(userThrottleKey('111122223333', `user${i}`), '10.0.0.1')).toBe(0);
      throttle.fail(userThrottleKey('111122223333', `user${i}`), '10.0.0.1');
    }
    expect(throttle.retryAfterMs(userThrottleKey('111122223333', 'fresh'), '10.0.0.1')).toBeGreaterThan(0);
    expect(throttle.retryAfterMs(userThrottleKey('111122223333', 'fresh'), '10.0.0.2')).toBe(0);
    // Per user, names are compared case-insensitively.
    throttle.fail(userThrottleKey('111122223333', 'Alice'), '10.0.0.3');
    throttle.fail(userThrottleKey('111122223333', 'ALICE'), '10.0.0.4');
    expect(throttle.retryAfterMs(userThrottleKey('111122223333', 'alice'), '10.0.0.5')).toBeGreaterThan(0);
    throttle.succeed(userThrottleKey('111122223333', 'alice'));
    expect(throttle.retryAfterMs(userThrottleKey('111122223333', 'alice'), '10.0.0.5')).toBe(0);
    expect(throttle.retryAfterMs(userThrottleKey('111122223333', 'fresh'), '10.0.0.1')).toBeGreaterThan(0);
    now = 60_001;
    expect(throttle.retryAfterMs(userThrottleKey('111122223333', 'fresh'), '10.0.0.1')).toBe(0);
  });
});
