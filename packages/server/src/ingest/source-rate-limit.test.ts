import { openSqliteStore, type Store } from '@datafirst/store';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceRateLimiter, sourceBucket } from './source-rate-limit.js';

// A real store on a clock the test moves (the bucket lives in the database, on its clock), and
// the same clock for the collector's memory of empty buckets.
let now = 0;
let store: Store | undefined;
const limitsAt = (start: number) => {
  now = start;
  store = openSqliteStore({ path: ':memory:', clock: () => now });
  return store.limits;
};
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('sourceBucket', () => {
  it.each([
    [5, { rate: 5, burst: 5 }],
    [0.1, { rate: 0.1, burst: 1 }],
    [2.5, { rate: 2.5, burst: 2.5 }],
  ])('gives a source of %s requests a second a burst of one second, at least one request', (rps, bucket) => {
    expect(sourceBucket(rps)).toEqual(bucket);
  });
});

describe('SourceRateLimiter', () => {
  it("allows a second's burst, then asks to wait, and refills at the rate", async () => {
    const limiter = new SourceRateLimiter(limitsAt(1000), () => now);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await limiter.take('src_a', 5));
    expect(answers).toEqual([0, 0, 0, 0, 0, 1]);
    now = 1200; // 200 ms at 5/s: one more
    expect(await limiter.take('src_a', 5)).toBe(0);
    expect(await limiter.take('src_a', 5)).toBe(1);
  });

  it('keeps each source to its own allowance', async () => {
    const limiter = new SourceRateLimiter(limitsAt(1000), () => now);
    expect(await limiter.take('src_a', 1)).toBe(0);
    expect(await limiter.take('src_a', 1)).toBe(1);
    expect(await limiter.take('src_b', 1)).toBe(0);
  });

  it('says how many whole seconds to wait at a slow rate', async () => {
    const limiter = new SourceRateLimiter(limitsAt(1000), () => now);
    expect(await limiter.take('src_a', 0.1)).toBe(0);
    expect(await limiter.take('src_a', 0.1)).toBe(10);
  });

  it('holds one allowance for every collector on the database', async () => {
    const limits = limitsAt(1000);
    const one = new SourceRateLimiter(limits, () => now);
    const other = new SourceRateLimiter(limits, () => now);
    expect([await one.take('src_a', 2), await other.take('src_a', 2), await one.take('src_a', 2)]).toEqual([0, 0, 1]);
    expect(await other.take('src_a', 2)).toBe(1);
  });
});
