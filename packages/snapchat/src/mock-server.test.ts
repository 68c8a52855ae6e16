import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSnapchatMock, startSnapchatMock, type SnapchatMock } from './mock-server.js';

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CLOCK_START = Date.parse('2025-06-02T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const SUCCESS_TEXT = '{"status":"VALID","reason":"Events have been processed successfully."}';
const SUCCESS = { status: 'VALID', reason: 'Events have been processed successfully.' };
const V2_SUCCESS = { status: 'SUCCESS', reason: 'Events have been processed successfully.', error_records: [] };

// docs/snapchat-capi.md §7.1: a page view after a Snap ad click.
const PAGE_VIEW = {
  event_name: 'PAGE_VIEW',
  action_source: 'WEB',
  event_time: 1748859330123,
  event_id: 'msg-pv-1',
  event_source_url: 'https://shop.example.com/?ScCid=cid-9d2b1c64',
  user_data: {
    client_ip_address: '203.0.113.7',
    client_user_agent: UA,
    sc_click_id: 'cid-9d2b1c64',
    sc_cookie1: 'scid-0f6b3c9e',
  },
};

// §7.2: a purchase with products and an identified user.
const PURCHASE = {
  event_name: 'PURCHASE',
  action_source: 'WEB',
  event_time: 1748859664500,
  event_id: 'msg-buy-1',
  event_source_url: 'https://shop.example.com/thanks',
  user_data: {
    em: ['cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9'],
    ph: ['dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383'],
    fn: '9bba5c53a0545e0c80184b946153c9f58387e3bd1d4ee35740f29ac2e718b019',
    ln: 'e3e7202354c1f3855b999e4539d3d44bf084154a43025842ee317e4ffc5502c0',
    external_id: ['831c237928e6212bedaa4451a514ace3174562f6761f6a157a2fe5082b36e2fb'],
    client_ip_address: '203.0.113.7',
    client_user_agent: UA,
    sc_click_id: 'cid-9d2b1c64',
    sc_cookie1: 'scid-0f6b3c9e',
  },
  custom_data: {
    currency: 'GBP',
    value: 59.97,
    order_id: 'ORD-1001',
    content_ids: ['SKU-1', 'SKU-2'],
    num_items: 3,
    contents: [
      { id: 'SKU-1', quantity: 2, item_price: 19.99, brand: 'Acme' },
      { id: 'SKU-2', quantity: 1, item_price: 19.99 },
    ],
  },
};

// §7.3: a server-side sign-up with a phone only.
const SIGN_UP = {
  event_name: 'SIGN_UP',
  action_source: 'WEB',
  event_time: 1748862120000,
  event_id: 'msg-signup-1',
  event_source_url: 'https://shop.example.com/signup',
  user_data: { ph: ['033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'] },
  custom_data: { sign_up_method: 'sms' },
};

// §7.4: the 7.1 input sent to v2.
const V2_PAGE_VIEW = {
  pixel_id: PIXEL,
  event_type: 'PAGE_VIEW',
  event_conversion_type: 'WEB',
  timestamp: '1748859330123',
  client_dedup_id: 'msg-pv-1',
  page_url: 'https://shop.example.com/?ScCid=cid-9d2b1c64',
  hashed_ip_address: 'fec52565aa0cf18f57d7cf5b3ac728503b8992d2d6f7d46da1d1201090902b02',
  user_agent: UA,
  uuid_c1: 'scid-0f6b3c9e',
  click_id: 'cid-9d2b1c64',
};

interface CallOptions {
  method?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

async function call(url: string, options: CallOptions = {}): Promise<CallResult> {
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...options.headers },
    body,
    signal: options.signal,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

let nowMs = CLOCK_START;
const clock = (): Date => new Date(nowMs);
let mock: SnapchatMock;

const v3 = (suffix = '', asset = PIXEL, token = 'demo-token'): string =>
  `${mock.url}/v3/${asset}/events${suffix}?access_token=${token}`;
const v2 = (suffix = ''): string => `${mock.url}/v2/conversion${suffix}`;
const bearer = (token = 'demo-token'): Record<string, string> => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  mock = await startSnapchatMock({ now: clock });
});

afterAll(async () => {
  await mock.close();
});

beforeEach(() => {
  nowMs = CLOCK_START;
  mock.clearRequests();
  mock.clearEvents();
  mock.clearFaults();
});

describe('the §7 worked examples', () => {
  it.each([
    ['7.1 page view', PAGE_VIEW],
    ['7.2 purchase', PURCHASE],
    ['7.3 sign-up', SIGN_UP],
  ])('accepts the v3 %s with the exact success body', async (_label, event) => {
    const response = await call(v3(), { body: { data: [event] } });
    expect(response.status).toBe(200);
    expect(response.text).toBe(SUCCESS_TEXT);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(mock.events()).toEqual([
      {
        requestId: mock.requests()[0]!.id,
        assetId: PIXEL,
        apiVersion: 'v3',
        test: false,
        receivedAt: '2025-06-02T12:00:00.000Z',
        event,
        duplicate: { eventId: false, orderId: false },
      },
    ]);
  });

  it('accepts the 7.4 v2 page view with the SUCCESS body', async () => {
    const response = await call(v2(), { body: [V2_PAGE_VIEW], headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.json).toEqual(V2_SUCCESS);
    expect(mock.events()).toEqual([
      {
        requestId: mock.requests()[0]!.id,
        assetId: PIXEL,
        apiVersion: 'v2',
        test: false,
        receivedAt: '2025-06-02T12:00:00.000Z',
        event: V2_PAGE_VIEW,
        duplicate: { eventId: false, orderId: false },
      },
    ]);
  });

  it('accepts all three v3 examples in one batch', async () => {
    const response = await call(v3(), { body: { data: [PAGE_VIEW, PURCHASE, SIGN_UP] } });
    expect(response.text).toBe(SUCCESS_TEXT);
    expect(mock.events().map((event) => event.event.event_id)).toEqual(['msg-pv-1', 'msg-buy-1', 'msg-signup-1']);
  });
});

describe('v3 send', () => {
  it('rejects the request at the first bad event, with its 0-based index and all its codes, and keeps nothing', async () => {
    const bad = { ...PURCHASE, event_time: 'yesterday', custom_data: { currency: 'XBT' } };
    const alsoBad = { ...PAGE_VIEW, event_name: 'ADD_TO_CART' };
    const response = await call(v3(), { body: { data: [PAGE_VIEW, bad, alsoBad] } });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      status: 'INVALID',
      reason: 'Timestamp invalid or out of range',
      event: 1,
      errors: {
        codes: ['TIMESTAMP_OUT_OF_RANGE', 'MISSING_PURCHASE_VALUE', 'INVALID_CURRENCY'],
        error_msgs: [
          'Timestamp invalid or out of range',
          'Missing price and/or currency in Purchase events',
          'Invalid currency code',
        ],
      },
    });
    expect(mock.events()).toEqual([]);
  });

  it.each([
    ['a missing event_name', { event_name: undefined }, 'MISSING_REQUIRED_FIELD', 'Missing required field: event_name'],
    ['a missing event_time', { event_time: undefined }, 'MISSING_REQUIRED_FIELD', 'Missing required field: event_time'],
    ['a missing action_source', { action_source: undefined }, 'MISSING_REQUIRED_FIELD', 'Missing required field: action_source'],
    ['a missing user_data', { user_data: undefined }, 'MISSING_REQUIRED_FIELD', 'Missing required field: user_data'],
    [
      'a WEB event without URL',
      { event_source_url: undefined },
      'MISSING_REQUIRED_FIELD',
      'Missing required field: event_source_url',
    ],
    [
      'a MOBILE_APP event without advertiser_tracking_enabled',
      { action_source: 'MOBILE_APP', app_data: { extinfo: ['a2'] } },
      'MISSING_REQUIRED_FIELD',
      'Missing required field: app_data.advertiser_tracking_enabled',
    ],
    ['ADD_TO_CART', { event_name: 'ADD_TO_CART' }, 'UNRECOGNIZED_EVENT_TYPE', 'Unrecognized event type'],
    ['an unknown action source', { action_source: 'KIOSK' }, 'INVALID_ACTION_SOURCE', 'Invalid action source'],
    [
      'an event 38 days old',
      { event_time: CLOCK_START - 38 * DAY },
      'TIMESTAMP_OUT_OF_RANGE',
      'Timestamp invalid or out of range',
    ],
    [
      'an event 2 hours ahead',
      { event_time: CLOCK_START + 2 * HOUR },
      'TIMESTAMP_OUT_OF_RANGE',
      'Timestamp invalid or out of range',
    ],
    [
      'an OFFLINE event in milliseconds, as Snap does',
      { action_source: 'OFFLINE', event_time: 1748859330123 },
      'TIMESTAMP_OUT_OF_RANGE',
      "Param data['event_time'] is an invalid Unix timestamp.",
    ],
    ['a plain email', { user_data: { em: ['person@example.com'] } }, 'UNHASHED_PII', 'Unhashed PII'],
    [
      'a hashed IP',
      {
        user_data: {
          client_ip_address: 'fec52565aa0cf18f57d7cf5b3ac728503b8992d2d6f7d46da1d1201090902b02',
          client_user_agent: UA,
        },
      },
      'INVALID_IP',
      'Invalid hashed IP Address',
    ],
    ['only a click id', { user_data: { sc_click_id: 'cid-9d2b1c64' } }, 'INSUFFICIENT_PII', 'Insufficient PII'],
    [
      'a PURCHASE without value',
      { event_name: 'PURCHASE', custom_data: { currency: 'GBP' } },
      'MISSING_PURCHASE_VALUE',
      'Missing price and/or currency in Purchase events',
    ],
    ['an unknown currency', { custom_data: { currency: 'BTC', value: 1 } }, 'INVALID_CURRENCY', 'Invalid currency code'],
  ])('answers %s with 400 and code $2', async (_label, overrides, code, reason) => {
    const response = await call(v3(), { body: { data: [{ ...PAGE_VIEW, ...overrides }] } });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ status: 'INVALID', reason, event: 0, errors: { codes: [code], error_msgs: [reason] } });
  });

  it.each([
    ['bad JSON', '{"data":[', 'INVALID_REQUEST', 'Invalid request: the body is not valid JSON'],
    ['an empty data array', '{"data":[]}', 'INVALID_REQUEST', 'Invalid request: data must be a non-empty array of events'],
    [
      '2001 events',
      JSON.stringify({ data: Array.from({ length: 2001 }, () => PAGE_VIEW) }),
      'TOO_MANY_EVENTS',
      'Too many events: at most 2000 per request',
    ],
  ])('refuses %s with a 400 that names no event', async (_label, raw, code, reason) => {
    const response = await call(v3(), { raw });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ status: 'INVALID', reason, errors: { codes: [code], error_msgs: [reason] } });
  });

  it.each([
    ['WEB', 1748859330],
    ['WEB', 1748859330123],
    ['OFFLINE', 1748859330],
    ['OFFLINE', '1748859330'],
  ])('accepts a %s event with event_time %j', async (actionSource, eventTime) => {
    const event = { ...PAGE_VIEW, action_source: actionSource, event_time: eventTime };
    const response = await call(v3(), { body: { data: [event] } });
    expect(response.text).toBe(SUCCESS_TEXT);
  });

  it('accepts a full batch of 2000 events', async () => {
    const data = Array.from({ length: 2000 }, (_, index) => ({ ...PAGE_VIEW, event_id: `e-${index}` }));
    const response = await call(v3(), { body: { data } });
    expect(response.text).toBe(SUCCESS_TEXT);
    expect(mock.events()).toHaveLength(2000);
  });

  it('accepts the legacy v2 field names, event times in seconds and unknown fields', async () => {
    const legacy = {
      event_type: 'page_view',
      timestamp: 1748859330,
      event_conversion_type: 'website',
      page_url: 'https://shop.example.com/',
      user_data: PAGE_VIEW.user_data,
      integration: 'datafirst',
      not_a_snap_field: { nested: true },
    };
    const response = await call(v3(), { body: { data: [legacy], test_event_code: 'unused' } });
    expect(response.text).toBe(SUCCESS_TEXT);
  });
});

describe('v3 validate', () => {
  it('lists every event in event_logs and answers 400 when any is bad, keeping nothing', async () => {
    const bad = { ...PAGE_VIEW, user_data: { em: ['person@example.com'] } };
    const response = await call(v3('/validate'), { body: { data: [PAGE_VIEW, bad] } });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      status: 'INVALID',
      test_event: true,
      reason: 'Unhashed PII',
      event_logs: [
        { event: 0, status: 'VALID', errors: { codes: [], error_msgs: [] }, warnings: [] },
        { event: 1, status: 'INVALID', errors: { codes: ['UNHASHED_PII'], error_msgs: ['Unhashed PII'] }, warnings: [] },
      ],
    });
    expect(mock.events()).toEqual([]);
  });

  it('accepts good events as test events only', async () => {
    const response = await call(v3('/validate'), { body: { data: [PAGE_VIEW] } });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'VALID',
      test_event: true,
      reason: 'Events have been processed successfully.',
      event_logs: [{ event: 0, status: 'VALID', errors: { codes: [], error_msgs: [] }, warnings: [] }],
    });
    expect(mock.events({ test: true })).toHaveLength(1);
    expect(mock.events({ test: false })).toEqual([]);
  });

  it('refuses bad JSON as a test request', async () => {
    const response = await call(v3('/validate'), { raw: 'nope' });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      status: 'INVALID',
      test_event: true,
      reason: 'Invalid request: the body is not valid JSON',
      errors: { codes: ['INVALID_REQUEST'], error_msgs: ['Invalid request: the body is not valid JSON'] },
    });
  });
});

describe('v3 logs and stats', () => {
  it('logs the test events of the last 24 hours with their status and reasons', async () => {
    const bad = { ...PAGE_VIEW, event_id: 'bad-1', event_name: 'ADD_TO_CART' };
    await call(v3('/validate'), { body: { data: [PAGE_VIEW, bad] } });
    await call(v3(), { body: { data: [PURCHASE] } });
    const response = await call(v3('/validate/logs'));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'SUCCESS',
      reason: '',
      logs: [
        {
          event_name: 'PAGE_VIEW',
          raw_event_name: 'PAGE_VIEW',
          event_time: '1748859330123',
          action_source: 'WEB',
          status: 'VALID',
          integration: '',
          asset_id: PIXEL,
          error_records: [],
          warning_records: [],
          event_metadata: { pixel_id: PIXEL, conversion_info: PAGE_VIEW },
        },
        {
          event_name: 'ADD_TO_CART',
          raw_event_name: 'ADD_TO_CART',
          event_time: '1748859330123',
          action_source: 'WEB',
          status: 'INVALID',
          integration: '',
          asset_id: PIXEL,
          error_records: ['Unrecognized event type'],
          warning_records: [],
          event_metadata: { pixel_id: PIXEL, conversion_info: bad },
        },
      ],
    });
    nowMs = CLOCK_START + 25 * HOUR;
    expect((await call(v3('/validate/logs'))).json).toEqual({ status: 'SUCCESS', reason: '', logs: [] });
  });

  it('counts accepted test and live events of the past hour', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW, SIGN_UP] } });
    nowMs = CLOCK_START + 1000;
    await call(v3('/validate'), { body: { data: [PURCHASE] } });
    expect((await call(v3('/validate/stats'))).json).toEqual({
      status: 'SUCCESS',
      reason: '',
      stats: {
        test: { event_count_past_hour: 1, latest_event_ts: CLOCK_START + 1000 },
        live: { event_count_past_hour: 2, latest_event_ts: CLOCK_START },
      },
    });
    nowMs = CLOCK_START + 2 * HOUR;
    expect((await call(v3('/validate/stats'))).json).toEqual({
      status: 'SUCCESS',
      reason: '',
      stats: {
        test: { event_count_past_hour: 0, latest_event_ts: CLOCK_START + 1000 },
        live: { event_count_past_hour: 0, latest_event_ts: CLOCK_START },
      },
    });
  });

  it('keeps each asset to itself', async () => {
    await call(v3('/validate', 'other-pixel'), { body: { data: [PAGE_VIEW] } });
    expect((await call(v3('/validate/logs'))).json).toEqual({ status: 'SUCCESS', reason: '', logs: [] });
    expect((await call(v3('/validate/stats', 'other-pixel'))).json).toMatchObject({
      stats: { test: { event_count_past_hour: 1 } },
    });
  });
});

describe('v2', () => {
  it('answers 200 SUCCESS, keeps the good records and groups the bad ones by reason', async () => {
    const unhashed = { ...V2_PAGE_VIEW, hashed_email: 'person@example.com' };
    const unhashedBadCurrency = { ...unhashed, currency: 'XBT' };
    const second = { ...V2_PAGE_VIEW, client_dedup_id: 'msg-pv-2' };
    const response = await call(v2(), { body: [V2_PAGE_VIEW, unhashed, unhashedBadCurrency, second], headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'SUCCESS',
      reason: 'Some events failed validation',
      error_records: [
        { reason: 'Unhashed PII', record_indexes: [1, 2] },
        { reason: 'Invalid currency code', record_indexes: [2] },
      ],
    });
    expect(mock.events().map((event) => event.event.client_dedup_id)).toEqual(['msg-pv-1', 'msg-pv-2']);
  });

  it('still answers SUCCESS when every record fails', async () => {
    const response = await call(v2(), { body: [{ ...V2_PAGE_VIEW, pixel_id: undefined }], headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      status: 'SUCCESS',
      reason: 'Some events failed validation',
      error_records: [{ reason: 'Missing required field: pixel_id', record_indexes: [0] }],
    });
    expect(mock.events()).toEqual([]);
  });

  it('takes one bare event, as partners send it', async () => {
    const response = await call(v2(), { body: V2_PAGE_VIEW, headers: bearer() });
    expect(response.json).toEqual(V2_SUCCESS);
  });

  it('takes a MOBILE_APP event under its Snap App ID', async () => {
    const appEvent = {
      snap_app_id: 'snap-app-1',
      app_id: '123456789',
      event_type: 'APP_OPEN',
      event_conversion_type: 'MOBILE_APP',
      timestamp: String(CLOCK_START),
      hashed_mobile_ad_id: '5af103f270fdc673b5e121ea929d1e47b2cee679e2059226a23c4cba37f8c9a9',
    };
    expect((await call(v2(), { body: [appEvent], headers: bearer() })).json).toEqual(V2_SUCCESS);
    expect(mock.events()[0]!.assetId).toBe('snap-app-1');
  });

  it.each([
    ['bad JSON', 'nope', 'Invalid request: the body is not valid JSON'],
    ['an empty array', '[]', 'Invalid request: the body must be an event or a non-empty array of events'],
    [
      '2001 events',
      JSON.stringify(Array.from({ length: 2001 }, () => V2_PAGE_VIEW)),
      'Too many events: at most 2000 per request',
    ],
  ])('refuses %s with 400 FAILED', async (_label, raw, reason) => {
    const response = await call(v2(), { raw, headers: bearer() });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ status: 'FAILED', reason });
  });

  it('validates test events, logs them under asset_id and counts them', async () => {
    const bad = { ...V2_PAGE_VIEW, event_type: 'ADD_TO_CART' };
    const response = await call(v2('/validate'), { body: [V2_PAGE_VIEW, bad], headers: bearer() });
    expect(response.json).toEqual({
      status: 'SUCCESS',
      reason: 'Some events failed validation',
      error_records: [{ reason: 'Unrecognized event type', record_indexes: [1] }],
      warning_records: [],
    });
    expect(mock.events({ test: true })).toHaveLength(1);

    const logs = await call(`${v2('/validate/logs')}?asset_id=${PIXEL}`, { headers: bearer() });
    expect(logs.json).toEqual({
      status: 'SUCCESS',
      reason: '',
      logs: [
        {
          timestamp: '1748859330123',
          event_type: 'PAGE_VIEW',
          event_conversion_type: 'WEB',
          status: 'VALID',
          integration: '',
          event_metadata: V2_PAGE_VIEW,
          error_records: [],
          warning_records: [],
        },
        {
          timestamp: '1748859330123',
          event_type: 'ADD_TO_CART',
          event_conversion_type: 'WEB',
          status: 'INVALID',
          integration: '',
          event_metadata: bad,
          error_records: ['Unrecognized event type'],
          warning_records: [],
        },
      ],
    });

    const stats = await call(`${v2('/validate/stats')}?asset_id=${PIXEL}`, { headers: bearer() });
    expect(stats.json).toEqual({
      status: 'SUCCESS',
      reason: '',
      stats: {
        test: { event_count_past_hour: 1, latest_event_ts: CLOCK_START },
        live: { event_count_past_hour: 0, latest_event_ts: 0 },
      },
    });
  });

  it.each(['/validate/logs', '/validate/stats'])('asks %s for an asset_id', async (suffix) => {
    const response = await call(v2(suffix), { headers: bearer() });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({ status: 'FAILED', reason: 'Missing required field: asset_id' });
  });
});

describe('auth with a token map', () => {
  let strict: SnapchatMock;
  const strictV3 = (token?: string, asset = PIXEL): string =>
    `${strict.url}/v3/${asset}/events${token === undefined ? '' : `?access_token=${token}`}`;

  beforeAll(async () => {
    strict = await startSnapchatMock({ now: clock, tokens: { 'good-token': [PIXEL], 'other-token': ['other-pixel'] } });
  });

  afterAll(async () => {
    await strict.close();
  });

  beforeEach(() => {
    strict.clearRequests();
    strict.clearEvents();
  });

  it.each([
    ['no token', undefined, {}, 401, 'Invalid access token'],
    ['an unknown token', 'forged', {}, 401, 'Invalid access token'],
    ['a token for another asset', 'other-token', {}, 403, 'Access token is not authorized for this asset'],
    ['its token in the query', 'good-token', {}, 200, 'Events have been processed successfully.'],
    [
      'its token as a Bearer header',
      undefined,
      { authorization: 'Bearer good-token' },
      200,
      'Events have been processed successfully.',
    ],
  ])('answers a v3 send with %s with $3', async (_label, token, headers, status, reason) => {
    const response = await call(strictV3(token), { body: { data: [PAGE_VIEW] }, headers });
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ status: status === 200 ? 'VALID' : 'INVALID', reason });
  });

  it('checks the token before the body', async () => {
    const response = await call(strictV3('forged'), { raw: 'not json' });
    expect(response.status).toBe(401);
  });

  it.each([
    ['v3 logs', '/validate/logs'],
    ['v3 stats', '/validate/stats'],
    ['v3 validate', '/validate'],
  ])('guards %s with the same rules', async (_label, suffix) => {
    const forbidden = await call(`${strict.url}/v3/${PIXEL}/events${suffix}?access_token=other-token`, {
      method: suffix === '/validate' ? 'POST' : 'GET',
      raw: suffix === '/validate' ? JSON.stringify({ data: [PAGE_VIEW] }) : undefined,
    });
    expect(forbidden.status).toBe(403);
  });

  it.each([
    ['a token only in the query', 401, '?access_token=good-token', {}, 'Invalid access token'],
    ['an unknown Bearer token', 401, '', { authorization: 'Bearer forged' }, 'Invalid access token'],
    [
      'a Bearer token for another asset',
      403,
      '',
      { authorization: 'Bearer other-token' },
      'Access token is not authorized for this asset',
    ],
  ])('answers a v2 send with %s with %i FAILED', async (_label, status, query, headers, reason) => {
    const response = await call(`${strict.url}/v2/conversion${query}`, { body: [V2_PAGE_VIEW], headers });
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ status: 'FAILED', reason });
  });

  it('refuses a v2 batch that names any asset its token may not send for', async () => {
    const foreign = { ...V2_PAGE_VIEW, pixel_id: 'other-pixel' };
    const response = await call(`${strict.url}/v2/conversion`, { body: [V2_PAGE_VIEW, foreign], headers: bearer('good-token') });
    expect(response.status).toBe(403);
    expect(strict.events()).toEqual([]);
  });

  it('accepts a v2 send with its Bearer token', async () => {
    const response = await call(`${strict.url}/v2/conversion`, { body: [V2_PAGE_VIEW], headers: bearer('good-token') });
    expect(response.json).toEqual(V2_SUCCESS);
  });

  it('guards v2 logs by the asset_id asked for', async () => {
    const response = await call(`${strict.url}/v2/conversion/validate/logs?asset_id=${PIXEL}`, {
      headers: bearer('other-token'),
    });
    expect(response.status).toBe(403);
  });
});

describe('auth in demo mode', () => {
  it('accepts any non-empty token', async () => {
    expect((await call(v3('', PIXEL, 'whatever'), { body: { data: [PAGE_VIEW] } })).status).toBe(200);
  });

  it.each([
    ['an empty access_token', '?access_token='],
    ['no token at all', ''],
  ])('still answers 401 to %s', async (_label, query) => {
    const response = await call(`${mock.url}/v3/${PIXEL}/events${query}`, { body: { data: [PAGE_VIEW] } });
    expect(response.status).toBe(401);
    expect(response.json).toEqual({ status: 'INVALID', reason: 'Invalid access token' });
  });
});

describe('recording', () => {
  it('records every request: time, method, path, query, headers, raw and parsed body, route, asset and response', async () => {
    const raw = JSON.stringify({ data: [PAGE_VIEW] });
    await call(v3(), { raw, headers: { 'x-trace': 'abc' } });
    expect(mock.requests()).toEqual([
      {
        id: expect.any(Number),
        receivedAt: '2025-06-02T12:00:00.000Z',
        method: 'POST',
        path: `/v3/${PIXEL}/events`,
        query: { access_token: 'demo-token' },
        headers: expect.objectContaining({ 'content-type': 'application/json', 'x-trace': 'abc' }),
        bodyBytes: Buffer.byteLength(raw),
        rawBody: raw,
        body: { data: [PAGE_VIEW] },
        route: 'v3.send',
        assetId: PIXEL,
        fault: null,
        response: {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: SUCCESS,
        },
      },
    ]);
  });

  it('records a body that is not JSON as raw text only', async () => {
    await call(v3(), { raw: 'not json' });
    expect(mock.requests()[0]).toMatchObject({ rawBody: 'not json', body: undefined, response: { status: 400 } });
  });

  it('records the asset a v2 request names in its events', async () => {
    await call(v2(), { body: [V2_PAGE_VIEW], headers: bearer() });
    expect(mock.requests()[0]).toMatchObject({ route: 'v2.send', assetId: PIXEL });
  });

  it('answers and records an unknown path with 404', async () => {
    const response = await call(`${mock.url}/v1/conversion`, { body: {} });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ status: 'FAILED', reason: 'Not found' });
    expect(mock.requests()[0]).toMatchObject({ path: '/v1/conversion', route: null, response: { status: 404 } });
  });

  it('answers the wrong method with 405 and Allow', async () => {
    const response = await call(v3());
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('tolerates a trailing slash', async () => {
    const response = await call(`${mock.url}/v3/${PIXEL}/events/?access_token=t`, { body: { data: [PAGE_VIEW] } });
    expect(response.text).toBe(SUCCESS_TEXT);
  });
});

describe('deduplication counters', () => {
  it('marks a repeated event_id as a duplicate within 48 hours and not after', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    nowMs = CLOCK_START + 48 * HOUR;
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    nowMs = CLOCK_START + 48 * HOUR + 1;
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect(mock.events().map((event) => event.duplicate)).toEqual([
      { eventId: false, orderId: false },
      { eventId: true, orderId: false },
      { eventId: false, orderId: false },
    ]);
  });

  it('marks a repeated PURCHASE order_id as a duplicate within 30 days, even under a new event_id', async () => {
    await call(v3(), { body: { data: [PURCHASE] } });
    nowMs = CLOCK_START + 30 * DAY;
    await call(v3(), { body: { data: [{ ...PURCHASE, event_id: 'msg-buy-2' }] } });
    nowMs = CLOCK_START + 31 * DAY;
    await call(v3(), { body: { data: [{ ...PURCHASE, event_id: 'msg-buy-3' }] } });
    expect(mock.events().map((event) => event.duplicate)).toEqual([
      { eventId: false, orderId: false },
      { eventId: false, orderId: true },
      { eventId: false, orderId: false },
    ]);
  });

  it('ignores the order_id of events other than PURCHASE', async () => {
    const checkout = { ...PAGE_VIEW, event_name: 'START_CHECKOUT', custom_data: { order_id: 'ORD-1' } };
    await call(v3(), { body: { data: [checkout, { ...checkout, event_id: 'other' }] } });
    expect(mock.events().map((event) => event.duplicate.orderId)).toEqual([false, false]);
  });

  it('matches a v2 client_dedup_id against a v3 event_id for the same asset', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    await call(v2(), { body: [V2_PAGE_VIEW], headers: bearer() });
    expect(mock.events().map((event) => event.duplicate.eventId)).toEqual([false, true]);
  });

  it('keeps test events apart from live ones and assets apart from each other', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    await call(v3('/validate'), { body: { data: [PAGE_VIEW] } });
    await call(v3('', 'other-pixel'), { body: { data: [PAGE_VIEW] } });
    expect(mock.events().map((event) => event.duplicate.eventId)).toEqual([false, false, false]);
  });

  it('counts a retried batch as duplicates, as a resend after a lost answer would be', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW, PURCHASE] } });
    await call(v3(), { body: { data: [PAGE_VIEW, PURCHASE] } });
    expect(mock.events().map((event) => event.duplicate)).toEqual([
      { eventId: false, orderId: false },
      { eventId: false, orderId: false },
      { eventId: true, orderId: false },
      { eventId: true, orderId: true },
    ]);
  });
});

describe('control routes', () => {
  const control = (resource: string): string => `${mock.url}/__mock/${resource}`;

  it('lists recorded requests, leaving the control calls out', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    const response = await call(control('requests'));
    expect(response.status).toBe(200);
    const { requests } = response.json as { requests: { path: string; response: { status: number } }[] };
    expect(requests.map((request) => [request.path, request.response.status])).toEqual([[`/v3/${PIXEL}/events`, 200]]);
  });

  it('forgets recorded requests on DELETE', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect((await call(control('requests'), { method: 'DELETE' })).status).toBe(204);
    expect(mock.requests()).toEqual([]);
  });

  it('lists accepted events, filtered by asset and by test or live', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    await call(v3('/validate'), { body: { data: [SIGN_UP] } });
    await call(v3('', 'other-pixel'), { body: { data: [PURCHASE] } });
    const ids = async (query: string): Promise<unknown[]> => {
      const { events } = (await call(`${control('events')}${query}`)).json as { events: { event: { event_id: string } }[] };
      return events.map((event) => event.event.event_id);
    };
    expect(await ids('')).toEqual(['msg-pv-1', 'msg-signup-1', 'msg-buy-1']);
    expect(await ids(`?assetId=${PIXEL}`)).toEqual(['msg-pv-1', 'msg-signup-1']);
    expect(await ids(`?assetId=${PIXEL}&test=false`)).toEqual(['msg-pv-1']);
    expect(await ids('?test=true')).toEqual(['msg-signup-1']);
    expect((await call(`${control('events')}?test=maybe`)).status).toBe(400);
  });

  it('forgets accepted events and the dedup windows on DELETE', async () => {
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect((await call(control('events'), { method: 'DELETE' })).status).toBe(204);
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect(mock.events().map((event) => event.duplicate.eventId)).toEqual([false]);
  });

  it('arms one fault or a list on PUT and shows them with their defaults', async () => {
    const one = await call(control('faults'), { method: 'PUT', body: { mode: 'status', status: 503 } });
    expect(one.json).toEqual({ faults: [{ mode: 'status', count: 1, probability: 1, route: 'all', status: 503 }] });
    const list = await call(control('faults'), {
      method: 'PUT',
      body: [
        { mode: 'rate_limit', retryAfter: 5 },
        { mode: 'delay', ms: 10, route: 'send' },
      ],
    });
    expect(list.json).toEqual({
      faults: [
        { mode: 'rate_limit', count: 1, probability: 1, route: 'all', retryAfter: 5 },
        { mode: 'delay', count: 1, probability: 1, route: 'send', ms: 10 },
      ],
    });
    expect((await call(control('faults'))).json).toEqual(list.json);
    expect(mock.faults()).toEqual((list.json as { faults: unknown }).faults);
  });

  it('refuses a bad fault spec with 400 and keeps the armed faults', async () => {
    mock.setFaults({ mode: 'hang', route: 'validate' });
    const response = await call(control('faults'), { method: 'PUT', body: { mode: 'teapot' } });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: 'fault mode must be one of status, rate_limit, delay, hang, reset, reset_after_accept',
    });
    expect((await call(control('faults'), { method: 'PUT', raw: '{' })).json).toEqual({ error: 'body is not valid JSON' });
    expect(mock.faults().map((fault) => fault.mode)).toEqual(['hang']);
  });

  it('disarms every fault on DELETE', async () => {
    await call(control('faults'), { method: 'PUT', body: { mode: 'status', count: 0 } });
    expect((await call(control('faults'), { method: 'DELETE' })).status).toBe(204);
    expect((await call(v3(), { body: { data: [PAGE_VIEW] } })).status).toBe(200);
  });

  it('answers unknown control routes with 404 and wrong methods with 405', async () => {
    expect((await call(control('nothing'))).status).toBe(404);
    const response = await call(control('events'), { method: 'PUT', body: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, DELETE');
  });
});

describe('faults', () => {
  it.each([500, 503, 504])('answers %i with a JSON body once, then behaves', async (status) => {
    mock.setFaults({ mode: 'status', status });
    const faulty = await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect(faulty.status).toBe(status);
    expect(faulty.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(mock.events()).toEqual([]);
    expect((await call(v3(), { body: { data: [PAGE_VIEW] } })).text).toBe(SUCCESS_TEXT);
  });

  it('answers 502 with an HTML page', async () => {
    mock.setFaults({ mode: 'status', status: 502 });
    const response = await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<title>502 Bad Gateway</title>');
    expect(mock.requests()[0]!.response?.body).toBe(response.text);
  });

  it('answers a rate limit with 429 and Retry-After', async () => {
    mock.setFaults({ mode: 'rate_limit', retryAfter: 30 });
    const response = await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(response.json).toEqual({ status: 'FAILED', reason: 'Too many requests' });
  });

  it('can send Retry-After with a 503', async () => {
    mock.setFaults({ mode: 'status', status: 503, retryAfter: 120 });
    expect((await call(v3(), { body: { data: [PAGE_VIEW] } })).headers.get('retry-after')).toBe('120');
  });

  it('records the fault it applied', async () => {
    mock.setFaults({ mode: 'status', status: 504 });
    await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect(mock.requests()[0]).toMatchObject({
      fault: { mode: 'status', status: 504, count: 1, probability: 1, route: 'all' },
      response: { status: 504 },
    });
  });

  it('strikes before auth and validation', async () => {
    mock.setFaults({ mode: 'status', status: 503, count: 2 });
    expect((await call(`${mock.url}/v3/${PIXEL}/events`, { raw: 'garbage' })).status).toBe(503);
    expect((await call(v2(), { raw: 'garbage' })).status).toBe(503);
  });

  it('waits on a delay and then answers normally', async () => {
    mock.setFaults({ mode: 'delay', ms: 200 });
    const started = Date.now();
    const response = await call(v3(), { body: { data: [PAGE_VIEW] } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(response.text).toBe(SUCCESS_TEXT);
    expect(mock.events()).toHaveLength(1);
  });

  it('never answers on a hang', async () => {
    mock.setFaults({ mode: 'hang' });
    await expect(call(v3(), { body: { data: [PAGE_VIEW] }, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(mock.requests()[0]).toMatchObject({ fault: { mode: 'hang' }, response: null });
    expect(mock.events()).toEqual([]);
  });

  it('resets the connection before processing', async () => {
    mock.setFaults({ mode: 'reset' });
    await expect(call(v3(), { body: { data: [PAGE_VIEW] } })).rejects.toThrow(/fetch failed/);
    expect(mock.events()).toEqual([]);
    expect(mock.requests()[0]).toMatchObject({ fault: { mode: 'reset' }, response: null });
  });

  it('accepts the events and then resets, so the retry shows up as a duplicate', async () => {
    mock.setFaults({ mode: 'reset_after_accept' });
    await expect(call(v3(), { body: { data: [PAGE_VIEW] } })).rejects.toThrow(/fetch failed/);
    expect(mock.events().map((event) => event.event.event_id)).toEqual(['msg-pv-1']);
    expect((await call(v3(), { body: { data: [PAGE_VIEW] } })).text).toBe(SUCCESS_TEXT);
    expect(mock.events().map((event) => event.duplicate.eventId)).toEqual([false, true]);
  });

  it('hits only the route it is armed for', async () => {
    mock.setFaults({ mode: 'status', route: 'validate' });
    expect((await call(v3(), { body: { data: [PAGE_VIEW] } })).status).toBe(200);
    expect((await call(v3('/validate'), { body: { data: [PAGE_VIEW] } })).status).toBe(500);
  });

  it('never hits logs, stats or the control routes', async () => {
    mock.setFaults({ mode: 'status', count: 0 });
    expect((await call(v3('/validate/logs'))).status).toBe(200);
    expect((await call(v3('/validate/stats'))).status).toBe(200);
    expect((await call(`${mock.url}/__mock/events`)).status).toBe(200);
  });

  it('keeps a count-0 fault until cleared', async () => {
    mock.setFaults({ mode: 'status', status: 503, count: 0 });
    for (let i = 0; i < 3; i++) expect((await call(v3(), { body: { data: [PAGE_VIEW] } })).status).toBe(503);
    mock.clearFaults();
    expect((await call(v3(), { body: { data: [PAGE_VIEW] } })).status).toBe(200);
  });

  it('fires a probabilistic fault by the injected random', async () => {
    const rolls = [0.7, 0.2];
    const lucky = await startSnapchatMock({ now: clock, random: () => rolls.shift() ?? 1 });
    try {
      lucky.setFaults({ mode: 'status', probability: 0.5, count: 0 });
      const url = `${lucky.url}/v3/${PIXEL}/events?access_token=t`;
      expect((await call(url, { body: { data: [PAGE_VIEW] } })).status).toBe(200);
      expect((await call(url, { body: { data: [PAGE_VIEW] } })).status).toBe(500);
      expect((await call(url, { body: { data: [PAGE_VIEW] } })).status).toBe(200);
    } finally {
      await lucky.close();
    }
  });

  it('refuses a bad spec from JS with a TypeError', () => {
    expect(() => mock.setFaults({ mode: 'status', status: 404 })).toThrow(TypeError);
  });
});

describe('body size', () => {
  it('answers 413 beyond the default 10 MB', async () => {
    const raw = JSON.stringify({ data: [{ ...PAGE_VIEW, padding: 'x'.repeat(10 * 1024 * 1024) }] });
    const response = await call(v3(), { raw });
    expect(response.status).toBe(413);
    expect(response.json).toEqual({ status: 'INVALID', reason: 'Request body too large' });
    expect(mock.requests()[0]).toMatchObject({ bodyBytes: Buffer.byteLength(raw), rawBody: '', response: { status: 413 } });
  });

  it('answers 413 beyond a configured limit and takes a body right at it', async () => {
    const raw = JSON.stringify({ data: [PAGE_VIEW] });
    const small = await startSnapchatMock({ now: clock, maxBodyBytes: Buffer.byteLength(raw) });
    try {
      const url = `${small.url}/v3/${PIXEL}/events?access_token=t`;
      expect((await call(url, { raw })).status).toBe(200);
      expect((await call(url, { raw: `${raw} ` })).status).toBe(413);
    } finally {
      await small.close();
    }
  });
});

describe('mounting', () => {
  async function listen(server: http.Server): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('serves under basePath inside another node server and leaves other paths to it', async () => {
    const mounted = createSnapchatMock({ now: clock, basePath: '/snapchat-mock' });
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/snapchat-mock')) return mounted.handle(req, res);
      res.writeHead(418).end('host');
    });
    const origin = await listen(server);
    try {
      const send = await call(`${origin}/snapchat-mock/v3/${PIXEL}/events?access_token=t`, { body: { data: [PAGE_VIEW] } });
      expect(send.text).toBe(SUCCESS_TEXT);
      expect(mounted.requests()[0]!.path).toBe(`/v3/${PIXEL}/events`);
      const events = await call(`${origin}/snapchat-mock/__mock/events`);
      expect((events.json as { events: unknown[] }).events).toHaveLength(1);
      expect((await call(`${origin}/elsewhere`)).status).toBe(418);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('also serves a URL whose mount path was already stripped, as Express does', async () => {
    const mounted = createSnapchatMock({ now: clock, basePath: '/snapchat-mock' });
    const server = http.createServer((req, res) => {
      req.url = req.url?.slice('/snapchat-mock'.length) || '/';
      mounted.handle(req, res);
    });
    const origin = await listen(server);
    try {
      const send = await call(`${origin}/snapchat-mock/v3/${PIXEL}/events?access_token=t`, { body: { data: [PAGE_VIEW] } });
      expect(send.text).toBe(SUCCESS_TEXT);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('puts basePath into the URL of a standalone mock', async () => {
    const prefixed = await startSnapchatMock({ now: clock, basePath: 'snapchat-mock/' });
    try {
      expect(prefixed.url).toBe(`http://127.0.0.1:${prefixed.port}/snapchat-mock`);
      expect((await call(`${prefixed.url}/v3/${PIXEL}/events?access_token=t`, { body: { data: [PAGE_VIEW] } })).text).toBe(
        SUCCESS_TEXT,
      );
    } finally {
      await prefixed.close();
    }
  });
});

describe('close', () => {
  it('finishes even while a connection hangs', async () => {
    const hanging = await startSnapchatMock({ now: clock });
    hanging.setFaults({ mode: 'hang', count: 0 });
    const pending = call(`${hanging.url}/v3/${PIXEL}/events?access_token=t`, { body: { data: [PAGE_VIEW] } });
    const settled = pending.then(
      () => 'answered',
      () => 'failed',
    );
    while (hanging.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await hanging.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await settled).toBe('failed');
  });

  it('finishes while a delayed answer is pending, and can be called twice', async () => {
    const delayed = await startSnapchatMock({ now: clock });
    delayed.setFaults({ mode: 'delay', ms: 60_000 });
    const settled = call(`${delayed.url}/v3/${PIXEL}/events?access_token=t`, { body: { data: [PAGE_VIEW] } }).catch(
      () => 'failed',
    );
    while (delayed.requests().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([delayed.close(), delayed.close()]);
    expect(await settled).toBe('failed');
    expect(delayed.events()).toEqual([]);
  });
});
