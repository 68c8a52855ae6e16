import { describe, expect, test } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  test.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [10, 512_000],
    [12, 2_048_000],
    [13, BACKOFF_CAP_MS],
    [100, BACKOFF_CAP_MS],
    [0, 1000],
    [-3, 1000],
  ])('waits less than the ceiling before retry %d (%d ms)', (attempt, ceiling) => {
    expect(backoffDelayMs(attempt, () => 0.999999999)).toBe(ceiling - 1);
    expect(backoffDelayMs(attempt, () => 0)).toBe(0);
    expect(backoffDelayMs(attempt, () => 0.5)).toBe(ceiling / 2);
  });

  test('draws a fresh random wait each time by default', () => {
    const delays = Array.from({ length: 20 }, () => backoffDelayMs(13));
    expect(new Set(delays).size).toBeGreaterThan(1);
    for (const delay of delays) expect(delay).toBeLessThan(BACKOFF_CAP_MS);
  });
});
