import type { ActionSource } from './config.js';
import {
  MOCK_EVENT_ID_WINDOW_MS,
  MOCK_ORDER_ID_WINDOW_MS,
  createMockDedupWindow,
  mockDedupKey,
  type MockDedupWindow,
} from './mock-dedup.js';
import type { MockFaultSpec } from './mock-faults.js';
import type { MockEventError } from './mock-validation.js';

/** Which Snapchat endpoint a request hit. */
export type MockRouteName =
  'v3.send' | 'v3.validate' | 'v3.logs' | 'v3.stats' | 'v2.send' | 'v2.validate' | 'v2.logs' | 'v2.stats';

/** The answer the mock gave, as recorded. */
export interface MockRecordedResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or the text when the body is not JSON (the 502 page). */
  body: unknown;
}

/** One request the mock received, kept for tests and the debugger. */
export interface MockRequest {
  /** 1, 2, 3… in arrival order. */
  id: number;
  /** When it arrived, by the mock's clock. */
  receivedAt: string;
  method: string;
  /** The path without the mount point and query, e.g. `/v3/<pixel>/events`. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[]>;
  bodyBytes: number;
  /** The body as sent; empty when it was over the size limit. */
  rawBody: string;
  /** The body parsed as JSON; undefined when it is not JSON. */
  body: unknown;
  /** The endpoint it matched; null for unknown paths. */
  route: MockRouteName | null;
  /** The asset it was for (from the path, the `asset_id` query or the v2 events), when known. */
  assetId: string | null;
  /** The fault that hit it, if one did. */
  fault: MockFaultSpec | null;
  /** Null while it is pending, and for ever when a fault hung up, reset or never answered. */
  response: MockRecordedResponse | null;
}

/** An event the mock accepted. */
export interface MockEvent {
  /** The `MockRequest.id` it came in. */
  requestId: number;
  assetId: string;
  apiVersion: 'v3' | 'v2';
  /** True when it came to a validate endpoint: a test event, not counted. */
  test: boolean;
  receivedAt: string;
  /** The event as received: one `data` element (v3) or one flat record (v2). */
  event: Record<string, unknown>;
  /** Whether Snap would have deduplicated it against an earlier event. */
  duplicate: { eventId: boolean; orderId: boolean };
}

/** Narrows `events()` to one asset and/or to test or live events. */
export interface MockEventFilter {
  assetId?: string;
  test?: boolean;
}

/** What a route hands over for an event it accepted. */
export interface MockAcceptedEvent {
  assetId: string;
  apiVersion: 'v3' | 'v2';
  test: boolean;
  actionSource: ActionSource;
  /** The dedup id (`event_id`, v2 `client_dedup_id`), when given. */
  eventId?: string;
  /** The order id (`order_id`, v2 `transaction_id`), for PURCHASE events only. */
  orderId?: string;
  event: Record<string, unknown>;
}

/** An event a validate endpoint checked, valid or not, kept for the logs endpoints. */
export interface MockTestLogEntry {
  assetId: string;
  apiVersion: 'v3' | 'v2';
  receivedAtMs: number;
  status: 'VALID' | 'INVALID';
  errors: MockEventError[];
  event: Record<string, unknown>;
}

/** Counts of one kind of event for the stats endpoints, in Snap's field names. */
export interface MockStatsCounts {
  event_count_past_hour: number;
  /** Epoch ms of the latest such event, 0 when there is none. */
  latest_event_ts: number;
}

/** Where the mock keeps what it saw. */
export interface MockStore {
  addRequest(request: Omit<MockRequest, 'id'>): MockRequest;
  requests(): MockRequest[];
  clearRequests(): void;
  accept(accepted: MockAcceptedEvent, requestId: number, nowMs: number): MockEvent;
  events(filter?: MockEventFilter): MockEvent[];
  /** Forgets accepted events, test logs and the dedup windows. */
  clearEvents(): void;
  logTestEvent(entry: MockTestLogEntry): void;
  /** Test events for `assetId` from the last 24 hours, oldest first. */
  testLogs(assetId: string, nowMs: number): MockTestLogEntry[];
  /** Accepted test and live events for `assetId` in the past hour. */
  stats(assetId: string, nowMs: number): { test: MockStatsCounts; live: MockStatsCounts };
}

/** How much the store keeps; a long-running demo must not grow without bound. */
export interface MockStoreLimits {
  maxRequests: number;
  maxEvents: number;
}

const HOUR_MS = 60 * 60 * 1000;
const LOG_WINDOW_MS = 24 * HOUR_MS;

/**
 * Appends `item`, dropping the oldest entries in bulk once the list holds twice `max`: shifting a
 * long array one entry at a time copies all of it, for every event a busy benchmark sends.
 */
function keepNewest<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length >= 2 * max) list.splice(0, list.length - max);
}

/** The newest `max` entries of a list that `keepNewest` fills. */
function newest<T>(list: T[], max: number): T[] {
  return list.length > max ? list.slice(list.length - max) : [...list];
}

/** Creates an empty store. */
export function createMockStore(limits: MockStoreLimits): MockStore {
  let requests: MockRequest[] = [];
  let events: MockEvent[] = [];
  let logs: MockTestLogEntry[] = [];
  let nextRequestId = 1;
  const eventIds = createMockDedupWindow(MOCK_EVENT_ID_WINDOW_MS);
  const orderIds = createMockDedupWindow(MOCK_ORDER_ID_WINDOW_MS);

  return {
    addRequest(request) {
      const recorded: MockRequest = { id: nextRequestId++, ...request };
      keepNewest(requests, recorded, limits.maxRequests);
      return recorded;
    },
    requests: () => newest(requests, limits.maxRequests),
    clearRequests() {
      requests = [];
    },
    accept(accepted, requestId, nowMs) {
      const { assetId, test, actionSource } = accepted;
      const seen = (window: MockDedupWindow, value: string | undefined): boolean =>
        value !== undefined && window.seen(mockDedupKey(test, assetId, actionSource, value), nowMs);
      const duplicate = { eventId: seen(eventIds, accepted.eventId), orderId: seen(orderIds, accepted.orderId) };
      const event: MockEvent = {
        requestId,
        assetId,
        apiVersion: accepted.apiVersion,
        test,
        receivedAt: new Date(nowMs).toISOString(),
        event: accepted.event,
        duplicate,
      };
      keepNewest(events, event, limits.maxEvents);
      return event;
    },
    events(filter = {}) {
      return newest(events, limits.maxEvents).filter(
        (event) =>
          (filter.assetId === undefined || event.assetId === filter.assetId) &&
          (filter.test === undefined || event.test === filter.test),
      );
    },
    clearEvents() {
      events = [];
      logs = [];
      eventIds.clear();
      orderIds.clear();
    },
    logTestEvent(entry) {
      keepNewest(logs, entry, limits.maxEvents);
    },
    testLogs(assetId, nowMs) {
      logs = newest(logs, limits.maxEvents).filter((entry) => nowMs - entry.receivedAtMs <= LOG_WINDOW_MS);
      return logs.filter((entry) => entry.assetId === assetId);
    },
    stats(assetId, nowMs) {
      const counts = {
        test: { event_count_past_hour: 0, latest_event_ts: 0 },
        live: { event_count_past_hour: 0, latest_event_ts: 0 },
      };
      for (const event of newest(events, limits.maxEvents)) {
        if (event.assetId !== assetId) continue;
        const at = Date.parse(event.receivedAt);
        const bucket = event.test ? counts.test : counts.live;
        if (nowMs - at <= HOUR_MS && at <= nowMs) bucket.event_count_past_hour += 1;
        bucket.latest_event_ts = Math.max(bucket.latest_event_ts, at);
      }
      return counts;
    },
  };
}
