import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SnapchatClient } from './client.js';
import type { SnapchatConfig } from './config.js';
import type { SnapV3Event } from './v3-event.js';

const ORIGIN = 'https://tr.snapchat.com';
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const CONFIG: SnapchatConfig = { pixel_id: PIXEL, access_token: 'demo-token' };
const V3_OK = '{"status":"VALID","reason":"Events have been processed successfully."}';
const EVENT: SnapV3Event = {
  event_name: 'PAGE_VIEW',
  action_source: 'WEB',
  event_time: 1748859330,
  event_id: 'msg-pv-1',
  event_source_url: 'https://shop.example.com/',
  user_data: { client_ip_address: '203.0.113.7', client_user_agent: 'UA' },
};
const BODY = JSON.stringify({ data: [EVENT] });

let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});

afterEach(async () => {
  await agent.close();
});

function client(timeoutMs?: number): SnapchatClient {
  return new SnapchatClient({ baseUrl: ORIGIN, dispatcher: agent, timeoutMs, now: () => new Date('2025-06-02T12:00:00Z') });
}

describe('SnapchatClient.send', () => {
  test('posts the v3 request and reports a delivery with the token masked', async () => {
    agent
      .get(ORIGIN)
      .intercept({
        path: `/v3/${PIXEL}/events?access_token=demo-token`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
      })
      .reply(200, V3_OK, { headers: { 'content-type': 'application/json' } });

    const result = await client().send(CONFIG, [EVENT]);

    expect(result).toEqual({
      url: `${ORIGIN}/v3/${PIXEL}/events?access_token=***`,
      body: BODY,
      eventJsons: [JSON.stringify(EVENT)],
      status: 200,
      responseBody: V3_OK,
      headers: { 'content-type': 'application/json' },
      durationMs: expect.any(Number),
      outcome: { kind: 'delivered', failed: [] },
    });
    agent.assertNoPendingInterceptors();
  });

  test('posts the v2 request with a Bearer token and reports failed records', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v2/conversion', method: 'POST', headers: { authorization: 'Bearer demo-token' } })
      .reply(200, { status: 'SUCCESS', reason: 'partial', error_records: [{ reason: 'Unhashed PII', record_indexes: [0] }] });

    const result = await client().send({ ...CONFIG, api_version: 'v2' }, [EVENT]);

    expect(result.url).toBe(`${ORIGIN}/v2/conversion`);
    expect(result.outcome).toEqual({ kind: 'delivered', failed: [{ index: 0, reason: 'Unhashed PII' }] });
  });

  test('reports the event Snapchat blames in a 400', async () => {
    const answer = {
      status: 'INVALID',
      reason: 'Insufficient PII',
      event: 0,
      errors: { codes: ['INSUFFICIENT_PII'], error_msgs: ['Insufficient PII'] },
    };
    agent
      .get(ORIGIN)
      .intercept({ path: `/v3/${PIXEL}/events?access_token=demo-token`, method: 'POST' })
      .reply(400, answer);

    const result = await client().send(CONFIG, [EVENT]);

    expect(result.status).toBe(400);
    expect(result.responseBody).toBe(JSON.stringify(answer));
    expect(result.outcome).toEqual({
      kind: 'invalid_event',
      index: 0,
      reason: 'HTTP 400: Insufficient PII',
      codes: ['INSUFFICIENT_PII'],
    });
  });

  test('reports bad credentials on a 401', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: `/v3/${PIXEL}/events?access_token=demo-token`, method: 'POST' })
      .reply(401, { status: 'INVALID', reason: 'Invalid access token' });
    expect((await client().send(CONFIG, [EVENT])).outcome).toEqual({
      kind: 'credentials',
      reason: 'HTTP 401: Invalid access token',
    });
  });

  test('asks for a retry no sooner than Retry-After on a 429', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: `/v3/${PIXEL}/events?access_token=demo-token`, method: 'POST' })
      .reply(429, '', { headers: { 'retry-after': '7' } });
    expect((await client().send(CONFIG, [EVENT])).outcome).toEqual({
      kind: 'retry',
      code: 'rate_limited',
      reason: 'HTTP 429',
      retryAfterMs: 7000,
    });
  });

  test('asks for a retry, without throwing, when the connection fails', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    agent
      .get(ORIGIN)
      .intercept({ path: `/v3/${PIXEL}/events?access_token=demo-token`, method: 'POST' })
      .replyWithError(reset);

    const result = await client().send(CONFIG, [EVENT]);

    expect(result).toEqual({
      url: `${ORIGIN}/v3/${PIXEL}/events?access_token=***`,
      body: BODY,
      eventJsons: [JSON.stringify(EVENT)],
      durationMs: expect.any(Number),
      outcome: { kind: 'retry', code: 'network_error', reason: 'connection reset (ECONNRESET): read ECONNRESET' },
    });
  });

  test('gives up on a slow answer after the timeout and asks for a retry', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: `/v3/${PIXEL}/events?access_token=demo-token`, method: 'POST' })
      .reply(200, V3_OK)
      .delay(2000);

    const result = await client(50).send(CONFIG, [EVENT]);

    expect(result.status).toBeUndefined();
    expect(result.outcome).toEqual({ kind: 'retry', code: 'timeout', reason: 'timed out after 50 ms without a complete answer' });
    expect(result.durationMs).toBeLessThan(1500);
  });

  test('asks for a retry when nothing answers at the host', async () => {
    const result = await new SnapchatClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 5000 }).send(CONFIG, [EVENT]);
    expect(result.outcome).toMatchObject({
      kind: 'retry',
      code: 'network_error',
      reason: expect.stringMatching(/^connection refused \(ECONNREFUSED\)/u),
    });
  });

  test("throws for an empty batch, which is the caller's bug", async () => {
    await expect(client().send(CONFIG, [])).rejects.toThrow(RangeError);
  });
});

describe('SnapchatClient.validate', () => {
  test('posts to the validate endpoint with the test event code on each event', async () => {
    const answer = { status: 'VALID', test_event: true, reason: 'ok', event_logs: [{ event: 0, status: 'VALID', warnings: [] }] };
    agent
      .get(ORIGIN)
      .intercept({
        path: `/v3/${PIXEL}/events/validate?access_token=demo-token`,
        method: 'POST',
        body: JSON.stringify({ data: [{ ...EVENT, test_event_code: 'TEST1' }] }),
      })
      .reply(200, answer);

    const result = await client().validate(CONFIG, [EVENT], 'TEST1');

    expect(result.url).toBe(`${ORIGIN}/v3/${PIXEL}/events/validate?access_token=***`);
    expect(result.outcome).toEqual({ kind: 'delivered', failed: [] });
    expect(JSON.parse(result.responseBody ?? '')).toEqual(answer);
  });
});
