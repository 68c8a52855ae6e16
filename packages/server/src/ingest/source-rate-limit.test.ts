import { describe, expect, it } from 'vitest';
import { SourceRateLimiter } from './source-rate-limit.js';

describe('SourceRateLimiter', () => {
  it("allows a second's burst, then asks to wait, and refills at the rate", () => {
    const limiter = new SourceRateLimiter();
    const answers = Array.from({ length: 6 }, () => limiter.take('src_a', 5, 1000));
    expect(answers).toEqual([0, 0, 0, 0, 0, 1]);
    expect(limiter.take('src_a', 5, 1200)).toBe(0); // 200 ms at 5/s: one more
    expect(limiter.take('src_a', 5, 1200)).toBe(1);
  });

  it('keeps each source to its own allowance', () => {
    const limiter = new SourceRateLimiter();
    expect(limiter.take('src_a', 1, 0)).toBe(0);
    expect(limiter.take('src_a', 1, 0)).toBe(1);
    expect(limiter.take('src_b', 1, 0)).toBe(0);
  });

  it('says how many whole seconds to wait at a slow rate', () => {
    const limiter = new SourceRateLimiter();
    expect(limiter.take('src_a', 0.1, 0)).toBe(0);
    expect(limiter.take('src_a', 0.1, 0)).toBe(10);
  });
});
