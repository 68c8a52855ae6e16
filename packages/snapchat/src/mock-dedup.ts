const HOUR_MS = 60 * 60 * 1000;

/** Snap deduplicates an `event_id` (v2 `client_dedup_id`) against the same asset and source for 48 h. */
export const MOCK_EVENT_ID_WINDOW_MS = 48 * HOUR_MS;
/** Snap also deduplicates a PURCHASE's `order_id` (v2 `transaction_id`) for 30 days. */
export const MOCK_ORDER_ID_WINDOW_MS = 30 * 24 * HOUR_MS;

/** Remembers when keys were first seen, for as long as a deduplication window lasts. */
export interface MockDedupWindow {
  /** Records a sighting of `key` at `nowMs`; true when it repeats one seen within the window. */
  seen(key: string, nowMs: number): boolean;
  clear(): void;
}

/**
 * Creates a deduplication window. The first sighting wins and is never refreshed by a duplicate,
 * as Snap keeps the first event to arrive.
 */
export function createMockDedupWindow(windowMs: number): MockDedupWindow {
  // A Map iterates in insertion order, so the oldest sightings are pruned from the front.
  const firstSeen = new Map<string, number>();
  return {
    seen(key, nowMs) {
      for (const [oldKey, at] of firstSeen) {
        if (nowMs - at <= windowMs) break;
        firstSeen.delete(oldKey);
      }
      const at = firstSeen.get(key);
      if (at !== undefined && nowMs - at <= windowMs) return true;
      firstSeen.delete(key);
      firstSeen.set(key, nowMs);
      return false;
    },
    clear() {
      firstSeen.clear();
    },
  };
}

/** The key under which Snap matches duplicates: the same value, asset and conversion type. */
export function mockDedupKey(test: boolean, assetId: string, actionSource: string, value: string): string {
  // Test events never meet live ones; JSON keeps ids containing separators apart.
  return JSON.stringify([test ? 'test' : 'live', assetId, actionSource, value]);
}
