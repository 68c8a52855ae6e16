import { describe, expect, it } from 'vitest';
import {
  isEventTimeAcceptable,
  isEventTimeInMilliseconds,
  parseEventTimeMs,
  parseV2Body,
  parseV3Body,
  readMockActionSource,
  v2EventAssetId,
  validateV2Event,
  validateV3Event,
} from './mock-validation.js';

const NOW = Date.parse('2025-06-02T12:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const EM = 'cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9';
const PH = 'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383';
const V2_IP = 'fec52565aa0cf18f57d7cf5b3ac728503b8992d2d6f7d46da1d1201090902b02';

const webEvent = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  event_name: 'PAGE_VIEW',
  action_source: 'WEB',
  event_time: 1748859330123,
  event_id: 'msg-pv-1',
  event_source_url: 'https://shop.example.com/',
  user_data: { em: [EM] },
  ...overrides,
});

const v2Event = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  pixel_id: 'pixel-1',
  event_type: 'PAGE_VIEW',
  event_conversion_type: 'WEB',
  timestamp: '1748859330123',
  hashed_email: EM,
  ...overrides,
});

const codes = (errors: { code: string }[]): string[] => errors.map((error) => error.code);

describe('parseEventTimeMs', () => {
  it.each([
    [1748859330123, 1748859330123],
    [1748859330, 1748859330000],
    ['1748859330123', 1748859330123],
    [' 1748859330 ', 1748859330000],
    [99_999_999_999, 99_999_999_999_000],
    [100_000_000_000, 100_000_000_000],
    [1748859330.5, undefined],
    ['1748859330.5', undefined],
    ['2025-06-02T10:15:30Z', undefined],
    [-1, undefined],
    [null, undefined],
    [true, undefined],
  ])('reads %j as %j ms', (input, expected) => {
    expect(parseEventTimeMs(input)).toBe(expected);
  });
});

describe('isEventTimeInMilliseconds', () => {
  it.each([
    [1748859330123, true],
    ['1748859330123', true],
    [100_000_000_000, true],
    [99_999_999_999, false],
    [1748859330, false],
    [0, false],
    ['yesterday', false],
    [1748859330123.5, false],
  ])('reads %j as milliseconds: %j', (input, expected) => {
    expect(isEventTimeInMilliseconds(input)).toBe(expected);
  });
});

describe('validateV3Event: the unit of event_time', () => {
  const offlineEvent = (eventTime: unknown): Record<string, unknown> =>
    webEvent({ action_source: 'OFFLINE', event_source_url: undefined, event_time: eventTime });

  it.each([
    ['OFFLINE in seconds', offlineEvent(1748859330)],
    ['OFFLINE in seconds as a digit string', offlineEvent('1748859330')],
    ['WEB in milliseconds', webEvent({ event_time: 1748859330123 })],
    ['WEB in seconds', webEvent({ event_time: 1748859330 })],
    [
      'MOBILE_APP in milliseconds',
      webEvent({
        action_source: 'MOBILE_APP',
        event_time: 1748859330123,
        app_data: { advertiser_tracking_enabled: 0, extinfo: ['a2'] },
      }),
    ],
  ])('accepts an event %s', (_label, event) => {
    expect(validateV3Event(event, NOW)).toEqual([]);
  });

  it.each([
    ['a number', 1748859330123],
    ['a digit string', '1748859330123'],
  ])("refuses an OFFLINE event in milliseconds given as %s, with Snap's wording", (_label, eventTime) => {
    expect(validateV3Event(offlineEvent(eventTime), NOW)).toEqual([
      { code: 'TIMESTAMP_OUT_OF_RANGE', reason: "Param data['event_time'] is an invalid Unix timestamp." },
    ]);
  });

  it('refuses an OFFLINE event in milliseconds also under the legacy name timestamp', () => {
    const legacy = { ...offlineEvent(undefined), timestamp: 1748859330123 };
    expect(validateV3Event(legacy, NOW)).toEqual([
      { code: 'TIMESTAMP_OUT_OF_RANGE', reason: "Param data['event_time'] is an invalid Unix timestamp." },
    ]);
  });

  it('still judges the age of an OFFLINE event in seconds', () => {
    expect(validateV3Event(offlineEvent(Math.floor((NOW - 38 * DAY) / 1000)), NOW)).toEqual([
      { code: 'TIMESTAMP_OUT_OF_RANGE', reason: 'Timestamp invalid or out of range' },
    ]);
  });
});

describe('isEventTimeAcceptable', () => {
  it.each([
    ['now', NOW, true],
    ['exactly 37 days old', NOW - 37 * DAY, true],
    ['37 days and 1 ms old', NOW - 37 * DAY - 1, false],
    ['exactly 1 hour ahead', NOW + HOUR, true],
    ['1 hour and 1 ms ahead', NOW + HOUR + 1, false],
    ['36 days old in seconds', Math.floor((NOW - 36 * DAY) / 1000), true],
    ['38 days old in seconds', Math.floor((NOW - 38 * DAY) / 1000), false],
  ])('judges an event time %s as acceptable: $2', (_label, value, expected) => {
    expect(isEventTimeAcceptable(value, NOW)).toBe(expected);
  });
});

describe('readMockActionSource', () => {
  it.each([
    ['WEB', 'WEB'],
    ['web', 'WEB'],
    ['MOBILE_APP', 'MOBILE_APP'],
    ['OFFLINE', 'OFFLINE'],
    ['website', 'WEB'],
    ['app', 'MOBILE_APP'],
    ['physical_store', 'OFFLINE'],
    ['phone_call', 'OFFLINE'],
    ['email', 'OFFLINE'],
    ['chat', 'OFFLINE'],
    ['system_generated', 'OFFLINE'],
    ['other', 'OFFLINE'],
    ['TV', undefined],
    [42, undefined],
  ])('maps %j to %j', (input, expected) => {
    expect(readMockActionSource(input)).toBe(expected);
  });
});

describe('parseV3Body', () => {
  it('returns the events of a data array', () => {
    expect(parseV3Body('{"data":[{"a":1},{"b":2}]}')).toEqual({ ok: true, events: [{ a: 1 }, { b: 2 }] });
  });

  it.each([
    ['bad JSON', '{"data":[', 'INVALID_REQUEST', 'Invalid request: the body is not valid JSON'],
    ['an empty body', '', 'INVALID_REQUEST', 'Invalid request: the body is not valid JSON'],
    ['an empty data array', '{"data":[]}', 'INVALID_REQUEST', 'Invalid request: data must be a non-empty array of events'],
    ['no data', '{"events":[{}]}', 'INVALID_REQUEST', 'Invalid request: data must be a non-empty array of events'],
    [
      'a bare v2 array',
      '[{"event_type":"PAGE_VIEW"}]',
      'INVALID_REQUEST',
      'Invalid request: data must be a non-empty array of events',
    ],
    [
      '2001 events',
      JSON.stringify({ data: Array.from({ length: 2001 }, () => ({})) }),
      'TOO_MANY_EVENTS',
      'Too many events: at most 2000 per request',
    ],
  ])('refuses %s', (_label, raw, code, reason) => {
    expect(parseV3Body(raw)).toEqual({ ok: false, error: { code, reason } });
  });

  it('takes exactly 2000 events', () => {
    const parsed = parseV3Body(JSON.stringify({ data: Array.from({ length: 2000 }, () => ({})) }));
    expect(parsed.ok && parsed.events.length).toBe(2000);
  });
});

describe('parseV2Body', () => {
  it('takes an array of flat events', () => {
    expect(parseV2Body('[{"a":1}]')).toEqual({ ok: true, events: [{ a: 1 }] });
  });

  it('takes one bare event as partners send it', () => {
    expect(parseV2Body('{"a":1}')).toEqual({ ok: true, events: [{ a: 1 }] });
  });

  it.each([
    ['bad JSON', 'nope', 'Invalid request: the body is not valid JSON'],
    ['an empty array', '[]', 'Invalid request: the body must be an event or a non-empty array of events'],
    ['a string', '"PAGE_VIEW"', 'Invalid request: the body must be an event or a non-empty array of events'],
  ])('refuses %s', (_label, raw, reason) => {
    expect(parseV2Body(raw)).toEqual({ ok: false, error: { code: 'INVALID_REQUEST', reason } });
  });

  it('refuses more than 2000 events', () => {
    const parsed = parseV2Body(JSON.stringify(Array.from({ length: 2001 }, () => ({}))));
    expect(parsed).toEqual({
      ok: false,
      error: { code: 'TOO_MANY_EVENTS', reason: 'Too many events: at most 2000 per request' },
    });
  });
});

describe('validateV3Event', () => {
  it('accepts a well-formed web event', () => {
    expect(validateV3Event(webEvent(), NOW)).toEqual([]);
  });

  it('names every missing required field', () => {
    expect(validateV3Event({}, NOW)).toEqual([
      { code: 'MISSING_REQUIRED_FIELD', reason: 'Missing required field: event_name' },
      { code: 'MISSING_REQUIRED_FIELD', reason: 'Missing required field: event_time' },
      { code: 'MISSING_REQUIRED_FIELD', reason: 'Missing required field: action_source' },
      { code: 'MISSING_REQUIRED_FIELD', reason: 'Missing required field: user_data' },
    ]);
  });

  it('treats a non-object event as one missing every required field', () => {
    expect(codes(validateV3Event(42, NOW))).toEqual(Array(4).fill('MISSING_REQUIRED_FIELD'));
  });

  it('accepts the legacy v2 field names', () => {
    const legacy = {
      event_type: 'page_view',
      timestamp: '1748859330',
      event_conversion_type: 'WEB',
      page_url: 'https://shop.example.com/',
      user_data: { ph: PH },
    };
    expect(validateV3Event(legacy, NOW)).toEqual([]);
  });

  it('ignores fields it does not know', () => {
    expect(validateV3Event(webEvent({ integration: 'datafirst', favourite_colour: 'teal' }), NOW)).toEqual([]);
  });

  it.each([
    ['WEB without event_source_url', { event_source_url: undefined }, ['Missing required field: event_source_url']],
    ['an empty user_data', { user_data: {} }, ['Insufficient PII']],
    ['a user_data that is not an object', { user_data: 'x' }, ['Missing required field: user_data']],
    ['an unknown event name', { event_name: 'ADD_TO_CART' }, ['Unrecognized event type']],
    ['SPEND_CREDITS', { event_name: 'SPEND_CREDITS' }, ['Unrecognized event type']],
    ['an unknown action source', { action_source: 'TV' }, ['Invalid action source']],
    ['an event time 38 days old', { event_time: NOW - 38 * DAY }, ['Timestamp invalid or out of range']],
    ['an event time 2 hours ahead', { event_time: NOW + 2 * HOUR }, ['Timestamp invalid or out of range']],
    ['an ISO event time', { event_time: '2025-06-02T10:00:00Z' }, ['Timestamp invalid or out of range']],
    ['a plain email', { user_data: { em: ['person@example.com'] } }, ['Unhashed PII']],
    ['an uppercase digest', { user_data: { em: [EM.toUpperCase()] } }, ['Unhashed PII']],
    ['a plain first name beside a hashed email', { user_data: { em: [EM], fn: 'john' } }, ['Unhashed PII']],
    ['a plain external_id', { user_data: { em: [EM], external_id: ['user1234'] } }, ['Unhashed PII']],
    ['a hashed IP address', { user_data: { client_ip_address: V2_IP, client_user_agent: 'UA' } }, ['Invalid hashed IP Address']],
    ['an IP without a user agent', { user_data: { client_ip_address: '203.0.113.7' } }, ['Insufficient PII']],
    [
      'only click id, cookie and external_id',
      { user_data: { sc_click_id: 'c', sc_cookie1: 's', external_id: [EM] } },
      ['Insufficient PII'],
    ],
    ['a mobile_ad_id instead of madid', { user_data: { mobile_ad_id: 'abc' } }, ['Insufficient PII']],
    ['an unknown currency', { custom_data: { currency: 'XBT', value: 1 } }, ['Invalid currency code']],
  ])('rejects %s', (_label, overrides, reasons) => {
    expect(validateV3Event(webEvent(overrides), NOW).map((error) => error.reason)).toEqual(reasons);
  });

  it.each([
    ['an IPv4 address and a user agent', { client_ip_address: '203.0.113.7', client_user_agent: 'UA' }],
    ['an IPv6 address and a user agent', { client_ip_address: '2001:db8::1', client_user_agent: 'UA' }],
    ['a madid', { madid: '87a7def4-b6e9-4bf7-91b6-66372842007a' }],
    ['a phone digest as one string', { ph: PH }],
  ])('counts %s as enough to identify a user', (_label, userData) => {
    expect(validateV3Event(webEvent({ user_data: userData }), NOW)).toEqual([]);
  });

  it.each([
    ['no custom_data', {}],
    ['no currency', { custom_data: { value: 59.97 } }],
    ['no value', { custom_data: { currency: 'GBP' } }],
    ['a non-numeric value', { custom_data: { currency: 'GBP', value: 'lots' } }],
  ])('rejects a PURCHASE with %s', (_label, overrides) => {
    expect(validateV3Event(webEvent({ event_name: 'PURCHASE', ...overrides }), NOW)).toEqual([
      { code: 'MISSING_PURCHASE_VALUE', reason: 'Missing price and/or currency in Purchase events' },
    ]);
  });

  it('accepts a PURCHASE whose value is a numeric string, as Snap docs show', () => {
    expect(validateV3Event(webEvent({ event_name: 'purchase', custom_data: { currency: 'usd', value: '10' } }), NOW)).toEqual([]);
  });

  it('reports a PURCHASE with a bad currency as a currency error only', () => {
    expect(codes(validateV3Event(webEvent({ event_name: 'PURCHASE', custom_data: { currency: 'XBT', value: 1 } }), NOW))).toEqual(
      ['INVALID_CURRENCY'],
    );
  });

  it('asks a MOBILE_APP event for extinfo and advertiser_tracking_enabled', () => {
    const appEvent = webEvent({ action_source: 'MOBILE_APP', event_source_url: undefined, app_data: { extinfo: [] } });
    expect(validateV3Event(appEvent, NOW).map((error) => error.reason)).toEqual([
      'Missing required field: app_data.extinfo',
      'Missing required field: app_data.advertiser_tracking_enabled',
    ]);
  });

  it('accepts a MOBILE_APP event without a URL when app_data is complete', () => {
    const appEvent = webEvent({
      action_source: 'app',
      event_source_url: undefined,
      app_data: { app_id: 'com.example', advertiser_tracking_enabled: 0, extinfo: ['a2', 'com.example'] },
    });
    expect(validateV3Event(appEvent, NOW)).toEqual([]);
  });

  it('lists every code of an event that breaks several rules, in table order', () => {
    const bad = {
      event_name: 'PURCHASE',
      event_time: 'yesterday',
      action_source: 'WEB',
      event_source_url: 'https://x.example/',
      user_data: { em: ['a@b.c'], client_ip_address: 'not-an-ip' },
      custom_data: { currency: 'XBT' },
    };
    expect(codes(validateV3Event(bad, NOW))).toEqual([
      'TIMESTAMP_OUT_OF_RANGE',
      'UNHASHED_PII',
      'INVALID_IP',
      'MISSING_PURCHASE_VALUE',
      'INVALID_CURRENCY',
    ]);
  });
});

describe('validateV2Event', () => {
  it('accepts a well-formed flat event with string fields', () => {
    expect(validateV2Event(v2Event(), NOW)).toEqual([]);
  });

  it('accepts numbers where Snap types strings, as partners send them', () => {
    expect(
      validateV2Event(v2Event({ timestamp: 1748859330123, event_type: 'PURCHASE', price: 15, currency: 'USD' }), NOW),
    ).toEqual([]);
  });

  it('names every missing required field', () => {
    expect(validateV2Event({ hashed_email: EM }, NOW).map((error) => error.reason)).toEqual([
      'Missing required field: event_type',
      'Missing required field: event_conversion_type',
      'Missing required field: timestamp',
      'Missing required field: pixel_id',
    ]);
  });

  it.each([
    ['a WEB event without pixel_id', { pixel_id: undefined }, ['Missing required field: pixel_id']],
    [
      'an OFFLINE event without pixel_id',
      { event_conversion_type: 'OFFLINE', pixel_id: undefined },
      ['Missing required field: pixel_id'],
    ],
    [
      'a MOBILE_APP event without snap_app_id and app_id',
      { event_conversion_type: 'MOBILE_APP' },
      ['Missing required field: snap_app_id', 'Missing required field: app_id'],
    ],
    ['an unknown event type', { event_type: 'ADD_TO_CART' }, ['Unrecognized event type']],
    ['an unknown conversion type', { event_conversion_type: 'TV' }, ['Invalid action source']],
    ['a timestamp 38 days old', { timestamp: String(NOW - 38 * DAY) }, ['Timestamp invalid or out of range']],
    ['a plain hashed_email', { hashed_email: 'person@example.com' }, ['Unhashed PII']],
    ['a plain hashed_first_name_sha', { hashed_first_name_sha: 'john' }, ['Unhashed PII']],
    ['a raw IP in hashed_ip_address', { hashed_ip_address: '8.8.8.8' }, ['Invalid hashed IP Address']],
    ['no identifier', { hashed_email: undefined, hashed_ip_address: V2_IP }, ['Insufficient PII']],
    [
      'a PURCHASE without price',
      { event_type: 'PURCHASE', currency: 'GBP' },
      ['Missing price and/or currency in Purchase events'],
    ],
    ['an unknown currency', { currency: 'XBT' }, ['Invalid currency code']],
  ])('rejects %s', (_label, overrides, reasons) => {
    expect(validateV2Event(v2Event(overrides), NOW).map((error) => error.reason)).toEqual(reasons);
  });

  it('accepts a MOBILE_APP event with snap_app_id, app_id and a hashed mobile ad id', () => {
    const appEvent = v2Event({
      pixel_id: undefined,
      event_conversion_type: 'MOBILE_APP',
      snap_app_id: 'snap-app-1',
      app_id: '123456789',
      hashed_email: undefined,
      hashed_mobile_ad_id: '5af103f270fdc673b5e121ea929d1e47b2cee679e2059226a23c4cba37f8c9a9',
    });
    expect(validateV2Event(appEvent, NOW)).toEqual([]);
  });

  it('counts a hashed IP with a user agent as an identifier', () => {
    expect(validateV2Event(v2Event({ hashed_email: undefined, hashed_ip_address: V2_IP, user_agent: 'UA' }), NOW)).toEqual([]);
  });
});

describe('v2EventAssetId', () => {
  it.each([
    ['the pixel for WEB', { event_conversion_type: 'WEB', pixel_id: 'p', snap_app_id: 's' }, 'p'],
    ['the Snap App ID for MOBILE_APP', { event_conversion_type: 'MOBILE_APP', pixel_id: 'p', snap_app_id: 's' }, 's'],
    ['whichever is given when the type is unknown', { snap_app_id: 's' }, 's'],
    ['nothing when neither is given', { event_conversion_type: 'WEB' }, undefined],
  ])('names %s', (_label, event, expected) => {
    expect(v2EventAssetId(event)).toBe(expected);
  });
});
