import { describe, expect, it } from 'vitest';
import { createMockStore, type MockAcceptedEvent, type MockRequest } from './mock-store.js';

const T0 = Date.parse('2025-06-02T12:00:00Z');
const HOUR = 60 * 60 * 1000;

const request = (path: string): Omit<MockRequest, 'id'> => ({
  receivedAt: new Date(T0).toISOString(),
  method: 'POST',
  path,
  query: {},
  headers: {},
  bodyBytes: 0,
  rawBody: '',
  body: undefined,
  route: null,
  assetId: null,
  fault: null,
  response: null,
});

const accepted = (overrides: Partial<MockAcceptedEvent> = {}): MockAcceptedEvent => ({
  assetId: 'pixel-1',
  apiVersion: 'v3',
  test: false,
  actionSource: 'WEB',
  eventId: 'e-1',
  event: { event_name: 'PAGE_VIEW' },
  ...overrides,
});

describe('createMockStore', () => {
  it('numbers requests in arrival order and drops the oldest beyond its limit', () => {
    const store = createMockStore({ maxRequests: 2, maxEvents: 10 });
    store.addRequest(request('/a'));
    store.addRequest(request('/b'));
    store.addRequest(request('/c'));
    expect(store.requests().map((r) => [r.id, r.path])).toEqual([
      [2, '/b'],
      [3, '/c'],
    ]);
  });

  it('keeps numbering after the requests are cleared', () => {
    const store = createMockStore({ maxRequests: 10, maxEvents: 10 });
    store.addRequest(request('/a'));
    store.clearRequests();
    expect(store.addRequest(request('/b')).id).toBe(2);
  });

  it('drops the oldest accepted events beyond its limit', () => {
    const store = createMockStore({ maxRequests: 10, maxEvents: 2 });
    for (const id of ['e-1', 'e-2', 'e-3']) store.accept(accepted({ eventId: id, event: { event_id: id } }), 1, T0);
    expect(store.events().map((event) => event.event.event_id)).toEqual(['e-2', 'e-3']);
  });

  it('stamps an accepted event with the request, the clock and its duplicate flags', () => {
    const store = createMockStore({ maxRequests: 10, maxEvents: 10 });
    store.accept(accepted(), 7, T0);
    expect(store.accept(accepted({ orderId: 'ORD-1' }), 8, T0 + 1000)).toEqual({
      requestId: 8,
      assetId: 'pixel-1',
      apiVersion: 'v3',
      test: false,
      receivedAt: '2025-06-02T12:00:01.000Z',
      event: { event_name: 'PAGE_VIEW' },
      duplicate: { eventId: true, orderId: false },
    });
  });

  it('serves test logs of the last 24 hours for one asset', () => {
    const store = createMockStore({ maxRequests: 10, maxEvents: 10 });
    const entry = { apiVersion: 'v3' as const, status: 'VALID' as const, errors: [], event: {} };
    store.logTestEvent({ ...entry, assetId: 'pixel-1', receivedAtMs: T0 });
    store.logTestEvent({ ...entry, assetId: 'pixel-2', receivedAtMs: T0 });
    store.logTestEvent({ ...entry, assetId: 'pixel-1', receivedAtMs: T0 + 2 * HOUR });
    expect(store.testLogs('pixel-1', T0 + 24 * HOUR).map((log) => log.receivedAtMs)).toEqual([T0, T0 + 2 * HOUR]);
    expect(store.testLogs('pixel-1', T0 + 25 * HOUR).map((log) => log.receivedAtMs)).toEqual([T0 + 2 * HOUR]);
  });

  it('counts test and live events of the past hour and remembers the latest of each', () => {
    const store = createMockStore({ maxRequests: 10, maxEvents: 10 });
    store.accept(accepted({ eventId: 'a' }), 1, T0 - 2 * HOUR);
    store.accept(accepted({ eventId: 'b' }), 1, T0 - 1000);
    store.accept(accepted({ eventId: 'c', test: true }), 1, T0);
    store.accept(accepted({ eventId: 'd', assetId: 'pixel-2' }), 1, T0);
    expect(store.stats('pixel-1', T0)).toEqual({
      test: { event_count_past_hour: 1, latest_event_ts: T0 },
      live: { event_count_past_hour: 1, latest_event_ts: T0 - 1000 },
    });
  });

  it('forgets events, logs and dedup windows together', () => {
    const store = createMockStore({ maxRequests: 10, maxEvents: 10 });
    store.accept(accepted(), 1, T0);
    store.logTestEvent({ assetId: 'pixel-1', apiVersion: 'v3', receivedAtMs: T0, status: 'VALID', errors: [], event: {} });
    store.clearEvents();
    expect([store.events(), store.testLogs('pixel-1', T0)]).toEqual([[], []]);
    expect(store.accept(accepted(), 2, T0).duplicate.eventId).toBe(false);
  });
});
