import type { EnrichedMessage } from '@datafirst/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { toSnapEvent } from './build-event.js';
import { SnapchatClient } from './client.js';
import { createSnapchatDestination } from './destination.js';
import type { SnapchatConfig } from './config.js';
import { startSnapchatMock, type SnapchatMock } from './mock-server.js';
import type { SnapV3Event } from './v3-event.js';

// The library against the Snapchat-faithful mock over real HTTP: what the builder emits is what
// Snap's rules accept, and every way the mock fails maps to the outcome the worker expects.

const NOW = new Date('2025-06-02T12:00:00Z');
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const OTHER_PIXEL = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CONFIG: SnapchatConfig = { pixel_id: PIXEL, access_token: 'demo-token', phone_default_country: 'GB' };
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const SUCCESS = '{"status":"VALID","reason":"Events have been processed successfully."}';

const MESSAGES: EnrichedMessage[] = [
  {
    type: 'page',
    name: 'Home',
    anonymousId: 'a-77',
    messageId: 'msg-pv-1',
    timestamp: '2025-06-02T10:15:30.123Z',
    receivedAt: '2025-06-02T10:15:30.500Z',
    context: {
      page: { url: 'https://shop.example.com/?ScCid=cid-9d2b1c64' },
      userAgent: UA,
      ip: '203.0.113.7',
      snapchat: { clickId: 'cid-9d2b1c64', cookie1: 'scid-0f6b3c9e' },
    },
  },
  {
    type: 'track',
    event: 'Order Completed',
    userId: 'user1234',
    messageId: 'msg-buy-1',
    timestamp: '2025-06-02T10:21:04.500Z',
    receivedAt: '2025-06-02T10:21:05.000Z',
    properties: {
      order_id: 'ORD-1001',
      revenue: 59.97,
      currency: 'gbp',
      products: [
        { product_id: 'SKU-1', price: 19.99, quantity: 2, brand: 'Acme' },
        { product_id: 'SKU-2', price: 19.99, quantity: 1 },
      ],
    },
    context: {
      page: { url: 'https://shop.example.com/thanks' },
      userAgent: UA,
      ip: '203.0.113.7',
      traits: { email: '  Test123@Gmail.com ', phone: '+44 844 412 4653', firstName: 'Tester', lastName: 'McTest' },
      snapchat: { clickId: 'cid-9d2b1c64', cookie1: 'scid-0f6b3c9e' },
    },
  },
  {
    type: 'track',
    event: 'Signed Up',
    anonymousId: 'srv-7781',
    messageId: 'msg-signup-1',
    timestamp: '2025-06-02T11:02:00.000Z',
    receivedAt: '2025-06-02T11:02:00.000Z',
    properties: { method: 'sms' },
    context: { page: { url: 'https://shop.example.com/signup' }, traits: { phone: '07700 900123' } },
  },
];

function built(config: SnapchatConfig): SnapV3Event[] {
  return MESSAGES.map((message) => {
    const result = toSnapEvent(message, config, { now: NOW });
    if (!result.ok) throw new Error(result.detail);
    return result.event;
  });
}

let mock: SnapchatMock;

beforeAll(async () => {
  mock = await startSnapchatMock({ now: () => NOW, tokens: { 'demo-token': [PIXEL] } });
});

afterAll(async () => {
  await mock.close();
});

afterEach(() => {
  mock.clearFaults();
  mock.clearEvents();
  mock.clearRequests();
});

function client(timeoutMs = 5000): SnapchatClient {
  return new SnapchatClient({ baseUrl: mock.url, timeoutMs, now: () => NOW });
}

describe('the library against the mock', () => {
  test('delivers the §7 examples through v3 exactly as Snap acknowledges them', async () => {
    const result = await client().send(CONFIG, built(CONFIG));
    expect(result.status).toBe(200);
    expect(result.responseBody).toBe(SUCCESS);
    expect(result.outcome).toEqual({ kind: 'delivered', failed: [] });
    expect(mock.events({ assetId: PIXEL }).map((event) => event.event)).toEqual(built(CONFIG));
  });

  test('reports each sent payload also as the JSON text it serialises to, from the body sent', async () => {
    const sent = await createSnapchatDestination(client()).send(CONFIG, built(CONFIG));
    expect(sent.payloads).toEqual(
      built(CONFIG).map((event) => ({ url: `${mock.url}/v3/${PIXEL}/events?access_token=***`, event })),
    );
    expect(sent.payloadJsons).toEqual(sent.payloads.map((payload) => JSON.stringify(payload)));
    expect(sent.request.body).toEqual({ data: built(CONFIG) });
  });

  test('reports v2 payloads as data only: the v2 body is not made of the v3 events', async () => {
    const sent = await createSnapchatDestination(client()).send({ ...CONFIG, api_version: 'v2' }, built(CONFIG));
    expect(sent.payloads).toHaveLength(3);
    expect(sent.payloadJsons).toBeUndefined();
  });

  test('delivers the §7 examples through v2 without record errors', async () => {
    const config: SnapchatConfig = { ...CONFIG, api_version: 'v2' };
    const result = await client().send(config, built(config));
    expect(result.status).toBe(200);
    expect(result.outcome).toEqual({ kind: 'delivered', failed: [] });
    expect(mock.events({ assetId: PIXEL })).toHaveLength(3);
  });

  test('validates test events without counting them as live', async () => {
    const result = await client().validate(CONFIG, built(CONFIG), 'TEST1');
    expect(result.outcome).toEqual({ kind: 'delivered', failed: [] });
    expect(mock.events({ test: false })).toEqual([]);
  });

  test("reads back the validated events from Snap's validate logs and stats, v3 and v2", async () => {
    await client().validate(CONFIG, built(CONFIG), 'TEST1');
    await client().send(CONFIG, built(CONFIG).slice(0, 1));
    const logs = await client().validationLogs(CONFIG);
    expect(logs.url).toBe(`${mock.url}/v3/${PIXEL}/events/validate/logs?access_token=***`);
    expect(logs.status).toBe(200);
    const entries = (logs.body as { status: string; logs: { event_name: string; status: string }[] }).logs;
    expect(entries.map((entry) => [entry.event_name, entry.status])).toEqual([
      ['PAGE_VIEW', 'VALID'],
      ['PURCHASE', 'VALID'],
      ['SIGN_UP', 'VALID'],
    ]);
    const stats = await client().validationStats(CONFIG);
    expect(stats.body).toEqual({
      status: 'SUCCESS',
      reason: '',
      stats: {
        test: { event_count_past_hour: 3, latest_event_ts: NOW.getTime() },
        live: { event_count_past_hour: 1, latest_event_ts: NOW.getTime() },
      },
    });

    const v2: SnapchatConfig = { ...CONFIG, api_version: 'v2' };
    const v2Logs = await client().validationLogs(v2);
    expect(v2Logs.url).toBe(`${mock.url}/v2/conversion/validate/logs?asset_id=${PIXEL}`);
    expect((v2Logs.body as { logs: unknown[] }).logs).toHaveLength(3);
    expect(mock.requests().at(-1)?.headers.authorization).toBe('Bearer demo-token');
  });

  test('reports a refused token or a missing answer instead of throwing', async () => {
    expect(await client().validationStats({ ...CONFIG, access_token: 'stolen' })).toMatchObject({
      status: 401,
      body: { status: 'INVALID', reason: 'Invalid access token' },
    });
    const nowhere = new SnapchatClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 });
    expect(await nowhere.validationLogs(CONFIG)).toMatchObject({ error: expect.stringMatching(/^connection refused/u) });
  });

  test('names the one event Snap refuses', async () => {
    const events = built(CONFIG);
    const unhashed = { ...events[1]!, user_data: { ...events[1]!.user_data, em: ['test123@gmail.com'] } } as SnapV3Event;
    const result = await client().send(CONFIG, [events[0]!, unhashed, events[2]!]);
    expect(result.outcome).toMatchObject({ kind: 'invalid_event', index: 1, codes: ['UNHASHED_PII'] });
  });

  test('parks the integration on an unknown token and on a pixel the token does not own', async () => {
    const unknownToken = await client().send({ ...CONFIG, access_token: 'stolen' }, built(CONFIG));
    expect(unknownToken.status).toBe(401);
    expect(unknownToken.outcome.kind).toBe('credentials');
    const otherPixel = await client().send({ ...CONFIG, pixel_id: OTHER_PIXEL }, built(CONFIG));
    expect(otherPixel.status).toBe(403);
    expect(otherPixel.outcome.kind).toBe('credentials');
  });

  test.each([
    [
      { mode: 'status', status: 503 },
      { kind: 'retry', code: 'destination_unavailable' },
    ],
    [
      { mode: 'status', status: 502 },
      { kind: 'retry', code: 'destination_unavailable', reason: expect.stringMatching(/^HTTP 502: <html>/u) },
    ],
    [
      { mode: 'rate_limit', retryAfter: 3 },
      { kind: 'retry', code: 'rate_limited', reason: expect.stringMatching(/^HTTP 429/u), retryAfterMs: 3000 },
    ],
    [{ mode: 'reset' }, { kind: 'retry', code: 'network_error', reason: expect.stringMatching(/^connection reset/u) }],
  ] as const)('asks for a retry on the fault %j', async (fault, outcome) => {
    mock.setFaults(fault);
    expect((await client().send(CONFIG, built(CONFIG))).outcome).toMatchObject(outcome);
  });

  test('asks for a retry when Snap never answers', async () => {
    mock.setFaults({ mode: 'hang' });
    const result = await client(200).send(CONFIG, built(CONFIG));
    expect(result.outcome).toEqual({
      kind: 'retry',
      code: 'timeout',
      reason: 'timed out after 200 ms without a complete answer',
    });
  });

  test('resends the same event ids after a reset that happened after Snap accepted them', async () => {
    mock.setFaults({ mode: 'reset_after_accept' });
    const events = built(CONFIG);
    expect((await client().send(CONFIG, events)).outcome.kind).toBe('retry');
    expect((await client().send(CONFIG, events)).outcome.kind).toBe('delivered');
    const accepted = mock.events({ assetId: PIXEL });
    expect(accepted.map((event) => event.duplicate.eventId)).toEqual([false, false, false, true, true, true]);
  });
});
