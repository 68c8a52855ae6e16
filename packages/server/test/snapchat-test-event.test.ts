import { MOCK_SUCCESS_REASON, startSnapchatMock, type SnapchatMock } from '@datafirst/snapchat';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createIntegration, expectExactly, IP, sha256, UA, type TestIntegration } from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

// POST /v1/admin/integrations/:id/test sends a test event to Snapchat's validation endpoint and
// returns Snap's answer as it came. The mock keeps validated events apart from live ones, in the
// validate logs and stats, as Snap does.

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const PIXEL_V2 = '0a7e9c1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const TOKEN = 'test-event-token';
const OTHER_TOKEN = 'other-advertiser-token';
const OTHER_PIXEL = '2b3c4d5e-6f70-4a1b-9c2d-3e4f5a6b7c8d';

interface TestAnswer {
  request: { url: string; body: unknown };
  response: { status: number | null; body: Record<string, unknown> };
  outcome: { kind: string };
  error?: string;
}

let mock: SnapchatMock;
let collector: TestCollector;
let v3: TestIntegration;
let v2: TestIntegration;

beforeAll(async () => {
  mock = await startSnapchatMock({ tokens: { [TOKEN]: [PIXEL, PIXEL_V2, APP], [OTHER_TOKEN]: [OTHER_PIXEL] } });
  collector = await startTestCollector(['--snapchat-url', mock.url]);
  v3 = await createIntegration(collector, 'test events v3', {
    pixel_id: PIXEL,
    access_token: TOKEN,
    phone_default_country: 'GB',
  });
  v2 = await createIntegration(collector, 'test events v2', { pixel_id: PIXEL_V2, access_token: TOKEN, api_version: 'v2' });
});
afterAll(async () => {
  await collector?.stopAndClean();
  await mock?.close();
});

async function sendTest(integrationId: string, body: unknown = {}): Promise<{ status: number; answer: TestAnswer }> {
  const res = await collector.admin(`/v1/admin/integrations/${integrationId}/test`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { status: res.status, answer: (await res.json()) as TestAnswer };
}

async function mockGet(path: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const res = await fetch(`${mock.url}${path}`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('POST /v1/admin/integrations/:id/test (v3)', () => {
  test("sends a sample page view to the validate endpoint and returns Snapchat's answer", async () => {
    const { status, answer } = await sendTest(v3.integrationId);
    expect(status).toBe(200);
    expect(answer.request.url).toBe(`${mock.url}/v3/${PIXEL}/events/validate?access_token=***`);
    const data = (answer.request.body as { data: Record<string, unknown>[] }).data;
    expect(data).toHaveLength(1);
    const event = data[0]!;
    expect(event).toEqual({
      event_name: 'PAGE_VIEW',
      action_source: 'WEB',
      event_time: expect.any(Number),
      event_id: expect.stringMatching(/^test-/),
      event_source_url: 'https://example.com/datafirst-test',
      user_data: { client_ip_address: '203.0.113.7', client_user_agent: 'Mozilla/5.0 (Datafirst test event)' },
    });
    expect(answer.response).toEqual({
      status: 200,
      body: {
        status: 'VALID',
        test_event: true,
        reason: MOCK_SUCCESS_REASON,
        event_logs: [{ event: 0, status: 'VALID', errors: { codes: [], error_msgs: [] }, warnings: [] }],
      },
    });
    expect(answer.outcome).toEqual({ kind: 'delivered', failed: [] });

    // The request Snap got: the validate route, the real token in the query.
    const request = mock
      .requests()
      .find((candidate) => candidate.route === 'v3.validate' && candidate.rawBody.includes(String(event.event_id)));
    expect(request?.query).toEqual({ access_token: TOKEN });
    expect(request?.body).toEqual(answer.request.body);

    // Snap's test tools show it as a test event, never as a live one.
    const logs = (await mockGet(`/v3/${PIXEL}/events/validate/logs?access_token=${TOKEN}`)).logs as Record<string, unknown>[];
    const logged = logs.find(
      (log) => (log.event_metadata as { conversion_info: { event_id: string } }).conversion_info.event_id === event.event_id,
    );
    expect(logged).toMatchObject({
      event_name: 'PAGE_VIEW',
      action_source: 'WEB',
      status: 'VALID',
      asset_id: PIXEL,
      error_records: [],
    });
    const stats = (await mockGet(`/v3/${PIXEL}/events/validate/stats?access_token=${TOKEN}`)).stats as Record<
      string,
      { event_count_past_hour: number }
    >;
    expect(stats.test!.event_count_past_hour).toBeGreaterThanOrEqual(1);
    expect(stats.live!.event_count_past_hour).toBe(0);
    expect(mock.events({ assetId: PIXEL, test: false })).toEqual([]);

    // A test event is not an event of the source: nothing is stored or delivered.
    const stored = await collector.admin(`/v1/admin/events?source_id=${v3.sourceId}`);
    expect(((await stored.json()) as { events: unknown[] }).events).toEqual([]);
  });

  test('sends a given message, normalised and hashed like a live one, with the test_event_code', async () => {
    const timestamp = new Date(Date.now() - 5 * 60_000).toISOString();
    const { status, answer } = await sendTest(v3.integrationId, {
      test_event_code: 'TEST4321',
      message: {
        type: 'track',
        event: 'Order Completed',
        userId: 'user1234',
        messageId: 'given-1',
        timestamp,
        properties: {
          order_id: 'ORD-1001',
          revenue: 59.97,
          currency: 'gbp',
          products: [{ product_id: 'SKU-1', price: 19.99, quantity: 3 }],
        },
        context: {
          page: { url: 'https://shop.example.com/thanks' },
          ip: IP,
          userAgent: UA,
          traits: { email: '  Test123@Gmail.com ', phone: '07700 900123' },
        },
      },
    });
    expect(status).toBe(200);
    expectExactly(answer.request.body, {
      data: [
        {
          event_name: 'PURCHASE',
          action_source: 'WEB',
          event_time: Math.floor(Date.parse(timestamp) / 1000), // whole seconds
          event_id: 'given-1',
          event_source_url: 'https://shop.example.com/thanks',
          user_data: {
            em: ['cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9'],
            ph: ['033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
            external_id: [sha256('user1234')],
            client_ip_address: IP,
            client_user_agent: UA,
          },
          custom_data: {
            currency: 'GBP',
            value: 59.97,
            order_id: 'ORD-1001',
            content_ids: ['SKU-1'],
            num_items: 3,
            contents: [{ id: 'SKU-1', quantity: 3, item_price: 19.99 }],
          },
          test_event_code: 'TEST4321',
        },
      ],
    });
    expect(answer.response.status).toBe(200);
    expect(answer.response.body.status).toBe('VALID');
    const logs = (await mockGet(`/v3/${PIXEL}/events/validate/logs?access_token=${TOKEN}`)).logs as Record<string, unknown>[];
    const logged = logs.find(
      (log) => (log.event_metadata as { conversion_info: { event_id: string } }).conversion_info.event_id === 'given-1',
    );
    expect(logged).toMatchObject({ event_name: 'PURCHASE', status: 'VALID' });
    expect((logged!.event_metadata as { conversion_info: Record<string, unknown> }).conversion_info.test_event_code).toBe(
      'TEST4321',
    );
  });

  test('answers 400 with the reason when the message cannot be sent at all', async () => {
    const { status, answer } = await sendTest(v3.integrationId, {
      message: {
        type: 'track',
        event: 'Order Completed',
        properties: { revenue: 10 },
        context: { page: { url: 'https://x.example/' }, ip: IP, userAgent: UA },
      },
    });
    expect(status).toBe(400);
    expect(answer.error).toContain(
      'the test event cannot be sent: purchase_missing_value_or_currency: PURCHASE needs a currency Snapchat accepts, got null',
    );
    const invalid = await sendTest(v3.integrationId, { message: { type: 'purchase' } });
    expect(invalid.status).toBe(400);
    expect(invalid.answer.error).toMatch(/^message/);
    expect(invalid.answer.error).toContain('type');
  });

  test("returns Snapchat's refusal as it came, e.g. a token not allowed for the pixel", async () => {
    const other = await createIntegration(collector, 'wrong token', { pixel_id: PIXEL, access_token: OTHER_TOKEN });
    const { status, answer } = await sendTest(other.integrationId);
    expect(status).toBe(200);
    expect(answer.response).toEqual({
      status: 403,
      body: { status: 'INVALID', reason: 'Access token is not authorized for this asset' },
    });
    expect(answer.outcome).toMatchObject({ kind: 'credentials' });
    const unknown = await createIntegration(collector, 'unknown token', { pixel_id: PIXEL, access_token: 'nobodys-token' });
    expect((await sendTest(unknown.integrationId)).answer.response).toEqual({
      status: 401,
      body: { status: 'INVALID', reason: 'Invalid access token' },
    });
  });

  test('answers 404 for an unknown integration', async () => {
    const { status } = await sendTest('int_missing');
    expect(status).toBe(404);
  });

  test("sends an app open to the Snap app's validate endpoint for a MOBILE_APP integration", async () => {
    const app = await createIntegration(collector, 'test events app', {
      pixel_id: PIXEL,
      snap_app_id: APP,
      app_id: '123456789',
      access_token: TOKEN,
      action_source: 'MOBILE_APP',
    });
    const { status, answer } = await sendTest(app.integrationId);
    expect(status).toBe(200);
    expect(answer.request.url).toBe(`${mock.url}/v3/${APP}/events/validate?access_token=***`);
    expect((answer.request.body as { data: unknown[] }).data[0]).toMatchObject({
      event_name: 'APP_OPEN',
      action_source: 'MOBILE_APP',
      user_data: { client_ip_address: '203.0.113.7', client_user_agent: 'Datafirst test event' },
      app_data: {
        app_id: '123456789',
        advertiser_tracking_enabled: 0,
        extinfo: ['i2', '123456789', '', '', '', '', '', '', '', '', '', '', '', '', '', ''],
      },
    });
    expect(answer.response.body).toMatchObject({ status: 'VALID', test_event: true });
  });
});

describe('POST /v1/admin/integrations/:id/test (v2)', () => {
  test('sends the sample to /v2/conversion/validate with the Bearer token, and Snap logs it as a test event', async () => {
    const { status, answer } = await sendTest(v2.integrationId);
    expect(status).toBe(200);
    expect(answer.request.url).toBe(`${mock.url}/v2/conversion/validate`);
    const [record] = answer.request.body as Record<string, unknown>[];
    expect(record).toEqual({
      pixel_id: PIXEL_V2,
      event_type: 'PAGE_VIEW',
      event_conversion_type: 'WEB',
      timestamp: expect.stringMatching(/^\d{10}000$/), // v2 ms, from v3's whole seconds
      client_dedup_id: expect.stringMatching(/^test-/),
      page_url: 'https://example.com/datafirst-test',
      hashed_ip_address: sha256('203.0.113.7'),
      user_agent: 'Mozilla/5.0 (Datafirst test event)',
    });
    expect(Object.keys(record!)).toEqual([
      'pixel_id',
      'event_type',
      'event_conversion_type',
      'timestamp',
      'client_dedup_id',
      'page_url',
      'hashed_ip_address',
      'user_agent',
    ]);
    expect(answer.response).toEqual({
      status: 200,
      body: { status: 'SUCCESS', reason: MOCK_SUCCESS_REASON, error_records: [], warning_records: [] },
    });
    const request = mock
      .requests()
      .find((candidate) => candidate.route === 'v2.validate' && candidate.rawBody.includes(String(record!.client_dedup_id)));
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.query).toEqual({});

    const bearer = { authorization: `Bearer ${TOKEN}` };
    const logs = (await mockGet(`/v2/conversion/validate/logs?asset_id=${PIXEL_V2}`, bearer)).logs as Record<string, unknown>[];
    expect(logs.some((log) => (log.event_metadata as Record<string, unknown>).client_dedup_id === record!.client_dedup_id)).toBe(
      true,
    );
    const stats = (await mockGet(`/v2/conversion/validate/stats?asset_id=${PIXEL_V2}`, bearer)).stats as Record<
      string,
      { event_count_past_hour: number }
    >;
    expect(stats.test!.event_count_past_hour).toBe(1);
    expect(stats.live!.event_count_past_hour).toBe(0);
  });
});
