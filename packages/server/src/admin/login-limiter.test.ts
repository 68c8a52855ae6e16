import { describe, expect, it } from 'vitest';
import { FailedLoginLimiter } from './login-limiter.js';

describe('FailedLoginLimiter', () => {
  it('lets an address try until its tenth failure in a minute, then says how long to wait', () => {
    let now = 0;
    const limiter = new FailedLoginLimiter(10, 60_000, () => now);
    for (let i = 0; i < 10; i++) {
      expect(limiter.retryAfterSeconds('198.51.100.1')).toBeUndefined();
      limiter.fail('198.51.100.1');
      now += 1000;
    }
    expect(limiter.retryAfterSeconds('198.51.100.1')).toBe(50);
    expect(limiter.retryAfterSeconds('198.51.100.2')).toBeUndefined();
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const limiter = new FailedLoginLimiter(2, 60_000, () => now);
    limiter.fail('a');
    limiter.fail('a');
    expect(limiter.retryAfterSeconds('a')).toBe(60);
    now = 60_001;
    expect(limiter.retryAfterSeconds('a')).toBeUndefined();
  });
});
