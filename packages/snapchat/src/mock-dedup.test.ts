import { describe, expect, it } from 'vitest';
import { MOCK_EVENT_ID_WINDOW_MS, MOCK_ORDER_ID_WINDOW_MS, createMockDedupWindow, mockDedupKey } from './mock-dedup.js';

const T0 = Date.parse('2025-06-02T12:00:00Z');
const HOUR = 60 * 60 * 1000;

describe('createMockDedupWindow', () => {
  it('calls a first sighting new and a repeat within the window a duplicate', () => {
    const window = createMockDedupWindow(MOCK_EVENT_ID_WINDOW_MS);
    expect(window.seen('a', T0)).toBe(false);
    expect(window.seen('a', T0 + 48 * HOUR)).toBe(true);
    expect(window.seen('b', T0)).toBe(false);
  });

  it('calls a repeat after the window new again', () => {
    const window = createMockDedupWindow(MOCK_EVENT_ID_WINDOW_MS);
    window.seen('a', T0);
    expect(window.seen('a', T0 + 48 * HOUR + 1)).toBe(false);
    expect(window.seen('a', T0 + 49 * HOUR)).toBe(true);
  });

  it('measures the window from the first sighting, which a duplicate does not refresh', () => {
    const window = createMockDedupWindow(MOCK_EVENT_ID_WINDOW_MS);
    window.seen('a', T0);
    window.seen('a', T0 + 47 * HOUR);
    expect(window.seen('a', T0 + 48 * HOUR + 1)).toBe(false);
  });

  it('keeps order ids for 30 days', () => {
    const window = createMockDedupWindow(MOCK_ORDER_ID_WINDOW_MS);
    window.seen('ORD-1', T0);
    expect(window.seen('ORD-1', T0 + 30 * 24 * HOUR)).toBe(true);
    expect(window.seen('ORD-1', T0 + 60 * 24 * HOUR + 1)).toBe(false);
  });

  it('forgets everything on clear', () => {
    const window = createMockDedupWindow(MOCK_EVENT_ID_WINDOW_MS);
    window.seen('a', T0);
    window.clear();
    expect(window.seen('a', T0)).toBe(false);
  });
});

describe('mockDedupKey', () => {
  it('keeps test and live, assets and action sources apart', () => {
    const keys = new Set([
      mockDedupKey(false, 'p1', 'WEB', 'x'),
      mockDedupKey(true, 'p1', 'WEB', 'x'),
      mockDedupKey(false, 'p2', 'WEB', 'x'),
      mockDedupKey(false, 'p1', 'OFFLINE', 'x'),
    ]);
    expect(keys.size).toBe(4);
  });

  it('cannot be confused by ids that contain separators', () => {
    expect(mockDedupKey(false, 'p|1', 'WEB', 'x')).not.toBe(mockDedupKey(false, 'p', 'WEB', '1|x'));
  });
});
