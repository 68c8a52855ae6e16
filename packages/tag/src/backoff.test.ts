import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.js';

describe('backoff', () => {
  it.each([
    // failures, random, delay (ms)
    [0, 0, 500],
    [0, 1, 1000],
    [1, 0, 1000],
    [1, 0.5, 1500],
    [3, 1, 8000],
    [6, 0, 30_000],
    [6, 1, 60_000],
    [40, 1, 60_000],
  ])('waits after %i failures (random %d) %i ms', (failures, random, delay) => {
    expect(backoff(failures, random)).toBe(delay);
  });

  it('draws its jitter from Math.random by default', () => {
    const delay = backoff(2);
    expect(delay).toBeGreaterThanOrEqual(2000);
    expect(delay).toBeLessThanOrEqual(4000);
  });
});
