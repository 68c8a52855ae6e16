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

  it('limits failures from all addresses together, so rotating addresses does not help', () => {
    let now = 0;
    const limiter = new FailedLoginLimiter(10, 60_000, () => now, 100);
    for (let i = 0; i < 100; i++) {
      expect(limiter.retryAfterSeconds(`203.0.113.${i}`)).toBeUndefined();
      limiter.fail(`203.0.113.${i}`);
    }
    now += 30_000;
    expect(limiter.retryAfterSeconds('203.0.113.250')).toBe(30);
    now += 30_001;
    expect(limiter.retryAfterSeconds('203.0.113.250')).toBeUndefined();
  });
});
