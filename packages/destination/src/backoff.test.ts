import { describe, expect, test } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelayMs, laneRestMs, nextTry } from './backoff.js';

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

const HOUR = 3_600_000;

describe('nextTry', () => {
  test.each([
    ['early in the window', { elapsedMs: 0, windowMs: 24 * HOUR, backoffMs: 1500 }, { retryInMs: 1500 }],
    ['with a longer Retry-After', { elapsedMs: 0, windowMs: HOUR, backoffMs: 1500, retryAfterMs: 30_000 }, { retryInMs: 30_000 }],
    ['with a shorter Retry-After', { elapsedMs: 0, windowMs: HOUR, backoffMs: 1500, retryAfterMs: 200 }, { retryInMs: 1500 }],
    [
      'when the backoff would land past the end',
      { elapsedMs: 23 * HOUR, windowMs: 24 * HOUR, backoffMs: 2 * HOUR },
      { retryInMs: HOUR },
    ],
    ['at the end of the window', { elapsedMs: 24 * HOUR, windowMs: 24 * HOUR, backoffMs: 1000 }, 'give_up'],
    ['past the end of the window', { elapsedMs: 25 * HOUR, windowMs: 24 * HOUR, backoffMs: 1000 }, 'give_up'],
    [
      'when Retry-After forbids a try before the end',
      { elapsedMs: 23 * HOUR, windowMs: 24 * HOUR, backoffMs: 1000, retryAfterMs: 2 * HOUR },
      'give_up',
    ],
  ])('%s', (_when, position, expected) => {
    expect(nextTry(position)).toEqual(expected);
  });
});

describe('laneRestMs', () => {
  test.each([
    [1, undefined, Infinity, 500],
    [3, undefined, Infinity, 2000],
    [13, undefined, Infinity, BACKOFF_CAP_MS / 2],
    [1, 7000, Infinity, 7000],
    [10, 7000, Infinity, 7000],
    // A retry window ending sooner ends the rest with it, for its last try; a Retry-After stays a minimum.
    [13, undefined, 90_000, 90_000],
    [13, 7000, 1000, 7000],
    [3, undefined, 0, 2000],
  ])(
    'rests after %d failed requests in a row (Retry-After %s, window left %d ms) for %d ms',
    (failures, retryAfter, left, rest) => {
      expect(laneRestMs(failures, retryAfter, left, () => 0.5)).toBe(rest);
    },
  );
});
