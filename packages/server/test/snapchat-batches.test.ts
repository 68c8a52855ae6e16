import { MOCK_SUCCESS_REASON, startSnapchatMock, type MockRequest, type SnapchatMock } from '@datafirst/snapchat';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createIntegration, deliveryOf, IP, postBatch, receivedEvents, settledEvents, UA } from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

// Batches as Snapchat answers them: one event refused inside a v3 request (the others are sent
// again and delivered), v2 error_records failing single records, and the 2000-event limit.
//
// Datafirst checks everything it can before sending, so to get an event Snapchat itself refuses
// the mock's clock runs 30 days ahead: an event 10 days old passes our 37-day check, but Snap
// sees it as 40 days old and refuses it (TIMESTAMP_OUT_OF_RANGE), while events a minute old
// (30 days to Snap) pass.

const DAY_MS = 24 * 60 * 60 * 1000;
const PIXEL_V3 = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const PIXEL_V2 = '0a7e9c1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const PIXEL_BULK = '9e8d7c6b-5a49-4382-a716-0f1e2d3c4b5a';
const TOKEN = 'batch-token';

let mock: SnapchatMock;
let collector: TestCollector;

beforeAll(async () => {
  mock = await startSnapchatMock({
    now: () => new Date(Date.now() + 30 * DAY_MS),
    tokens: { [TOKEN]: [PIXEL_V3, PIXEL_V2, PIXEL_BULK] },
  });
  collector = await startTestCollector(['--snapchat-url', mock.url]);
});
afterAll(async () => {
  await collector?.stopAndClean();
  await mock?.close();
});

/** Three page views, the middle one 10 days old: Snap (30 days ahead) refuses it and only it. */
function threePageViews(prefix: string) {
  const page = (id: string, timestamp: string) => ({
    type: 'page',
    messageId: `${prefix}-${id}`,
    anonymousId: 'a-1',
    timestamp,
    context: { page: { url: `https://shop.example.com/${id}` }, ip: IP, userAgent: UA },
  });
  const recent = new Date(Date.now() - 60_000).toISOString();
  return [page('first', recent), page('old', new Date(Date.now() - 10 * DAY_MS).toISOString()), page('last', recent)];
}

function idsOf(request: MockRequest): string[] {
  return [...receivedEvents([request]).keys()];
}

function requestsTo(route: string, assetId: string): MockRequest[] {
  return mock.requests().filter((request) => request.route === route && request.assetId === assetId);
}

describe('a v3 request with one event Snapchat refuses', () => {
  test("fails that event with Snap's reason and codes, and sends the others again with the same event_ids", async () => {
    const { sourceId, writeKey } = await createIntegration(collector, 'v3 batch', { pixel_id: PIXEL_V3, access_token: TOKEN });
    await postBatch(collector, writeKey, threePageViews('v3'));
    const events = await settledEvents(collector, sourceId, 3);

    const requests = requestsTo('v3.send', PIXEL_V3);
    expect(requests.map(idsOf)).toEqual([
      ['v3-first', 'v3-old', 'v3-last'],
      ['v3-first', 'v3-last'],
    ]);
    expect(requests[0]!.response?.status).toBe(400);
    expect(requests[0]!.response?.body).toEqual({
      status: 'INVALID',
      reason: 'Timestamp invalid or out of range',
      event: 1,
      errors: { codes: ['TIMESTAMP_OUT_OF_RANGE'], error_msgs: ['Timestamp invalid or out of range'] },
    });
    expect(requests[1]!.response?.body).toEqual({ status: 'VALID', reason: MOCK_SUCCESS_REASON });
    // The resent events are the same events, byte for byte: Snap deduplicates on event_id.
    const first = receivedEvents([requests[0]!]);
    const second = receivedEvents([requests[1]!]);
    for (const id of ['v3-first', 'v3-last']) expect(JSON.stringify(second.get(id))).toBe(JSON.stringify(first.get(id)));

    expect(deliveryOf(events, 'v3-first').status).toBe('delivered');
    expect(deliveryOf(events, 'v3-last').status).toBe('delivered');
    const refused = deliveryOf(events, 'v3-old');
    expect(refused.status).toBe('failed');
    expect(refused.reason).toContain('Timestamp invalid or out of range');
    expect(refused.reason).toContain('TIMESTAMP_OUT_OF_RANGE');
    expect(mock.events({ assetId: PIXEL_V3 }).map((event) => event.event.event_id)).toEqual(['v3-first', 'v3-last']);
  });
});

describe('a v2 request with error_records', () => {
  test('fails the records Snapchat lists with its reason and delivers the rest in one request', async () => {
    const { sourceId, writeKey } = await createIntegration(collector, 'v2 batch', {
      pixel_id: PIXEL_V2,
      access_token: TOKEN,
      api_version: 'v2',
    });
    await postBatch(collector, writeKey, threePageViews('v2'));
    const events = await settledEvents(collector, sourceId, 3);

    const requests = requestsTo('v2.send', PIXEL_V2);
    expect(requests.map(idsOf)).toEqual([['v2-first', 'v2-old', 'v2-last']]);
    expect(requests[0]!.response).toMatchObject({
      status: 200,
      body: { status: 'SUCCESS', error_records: [{ reason: 'Timestamp invalid or out of range', record_indexes: [1] }] },
    });

    expect(deliveryOf(events, 'v2-first').status).toBe('delivered');
    expect(deliveryOf(events, 'v2-last').status).toBe('delivered');
    const refused = deliveryOf(events, 'v2-old');
    expect(refused.status).toBe('failed');
    expect(refused.reason).toContain('Timestamp invalid or out of range');
    expect(mock.events({ assetId: PIXEL_V2 }).map((event) => event.event.client_dedup_id)).toEqual(['v2-first', 'v2-last']);
  });
});

describe('the 2000-event limit', () => {
  test('sends 2001 events in requests of at most 2000, every one delivered once', { timeout: 90_000 }, async () => {
    const { sourceId, writeKey } = await createIntegration(collector, 'bulk', { pixel_id: PIXEL_BULK, access_token: TOKEN });
    const recent = new Date(Date.now() - 60_000).toISOString();
    const batch = Array.from({ length: 2001 }, (_, index) => ({
      type: 'page',
      messageId: `bulk-${index}`,
      anonymousId: 'a-1',
      timestamp: recent,
      context: { page: { url: 'https://shop.example.com/' }, ip: IP, userAgent: 'UA' },
    }));
    await postBatch(collector, writeKey, batch);
    // The admin API lists at most 500 events, so count what the mock accepted instead.
    await expect.poll(() => mock.events({ assetId: PIXEL_BULK }).length, { timeout: 60_000, interval: 200 }).toBe(2001);

    const requests = requestsTo('v3.send', PIXEL_BULK);
    const sizes = requests.map((request) => idsOf(request).length);
    expect(Math.max(...sizes)).toBe(2000);
    expect(requests.every((request) => request.response?.status === 200)).toBe(true);
    expect(receivedEvents(requests).size).toBe(2001);
    const withStatus = async (status: string) => {
      const res = await collector.admin(`/v1/admin/events?source_id=${sourceId}&status=${status}&limit=500`);
      return ((await res.json()) as { events: unknown[] }).events.length;
    };
    expect(await withStatus('delivered')).toBe(500);
    for (const status of ['pending', 'failed', 'dead', 'blocked', 'skipped']) expect(await withStatus(status)).toBe(0);
  });
});
