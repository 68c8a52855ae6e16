import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then one token per 1/rate seconds', () => {
    let now = 0;
    const bucket = new TokenBucket(50, 100, () => now);
    for (let i = 0; i < 100; i++) expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(20);
    now += 20;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(20);
  });

  it('never saves more than the burst while idle', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    now += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 100]);
  });

  it('applies new limits without losing the tokens it had', () => {
    let now = 0;
    const bucket = new TokenBucket(1, 1, () => now);
    expect(bucket.take()).toBe(0);
    bucket.configure(100, 100);
    expect(bucket.take()).toBe(10);
    now += 10;
    expect(bucket.take()).toBe(0);
  });
});
