import { describe, expect, test } from 'vitest';
import { LEASED_AT_ONCE, leaseSize, MIN_LEASE } from './lease-size.js';

describe('leaseSize', () => {
  test("one or two lanes lease a destination's full batch", () => {
    expect(leaseSize(2000, 1, 2)).toBe(2000);
    expect(leaseSize(2000, 2, 2)).toBe(2000);
    expect(leaseSize(500, 1, 2)).toBe(500);
  });

  test('more lanes share the budget, so the deliveries leased at once stay within it', () => {
    expect(leaseSize(2000, 4, 2)).toBe(1000);
    for (const lanes of [3, 4, 7, 10, 40]) expect(lanes * 2 * leaseSize(2000, lanes, 2)).toBeLessThanOrEqual(LEASED_AT_ONCE);
  });

  test('never below the smallest lease, nor zero for a worker with no busy lane counted yet', () => {
    expect(leaseSize(2000, 1000, 2)).toBe(MIN_LEASE);
    expect(leaseSize(2000, 0, 2)).toBe(2000);
    expect(leaseSize(10, 1000, 2)).toBe(10);
  });
});
