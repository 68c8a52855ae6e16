import type { EnrichedMessage } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import { MAX_EVENT_AGE_MS, toSnapEvent, wantsLimitedDataUse } from './build-event.js';
import type { SnapchatConfig } from './config.js';
import { validateV3Event } from './mock-validation.js';
import { toV2Event } from './v2.js';

const NOW = new Date('2025-06-02T12:00:00Z');
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const SNAP_APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const CONFIG: SnapchatConfig = { pixel_id: PIXEL, access_token: 't' };
const EM_PERSON = '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345';

function message(overrides: Partial<EnrichedMessage> = {}): EnrichedMessage {
  return {
    type: 'track',
    event: 'Product Viewed',
    messageId: 'msg-1',
    timestamp: '2025-06-02T11:00:00.000Z',
    receivedAt: '2025-06-02T11:00:01.000Z',
    context: { page: { url: 'https://shop.example.com/p/1' }, traits: { email: 'person@example.com' } },
    ...overrides,
  };
}

describe('toSnapEvent: a sendable event', () => {
  test('builds the event with its asset, in the documented key order', () => {
    const built = toSnapEvent(message(), CONFIG, { now: NOW });
    expect(built).toEqual({
      ok: true,
      assetId: PIXEL,
      event: {
        event_name: 'VIEW_CONTENT',
        action_source: 'WEB',
        event_time: 1748862000, // 2025-06-02T11:00:00Z in seconds
        event_id: 'msg-1',
        event_source_url: 'https://shop.example.com/p/1',
        user_data: { em: [EM_PERSON] },
      },
    });
    expect(built.ok && Object.keys(built.event)).toEqual([
      'event_name',
      'action_source',
      'event_time',
      'event_id',
      'event_source_url',
      'user_data',
    ]);
  });

  test('takes the URL from properties.url when the page context has none', () => {
    const built = toSnapEvent(
      message({ context: { traits: { email: 'person@example.com' } }, properties: { url: 'https://x.example/a?b=c' } }),
      CONFIG,
      { now: NOW },
    );
    expect(built.ok && built.event.event_source_url).toBe('https://x.example/a?b=c');
  });

  test("sends the integration's site_url as the page of a WEB event that has none", () => {
    const config = { ...CONFIG, site_url: 'https://shop.example.com' };
    const built = toSnapEvent(message({ context: { traits: { email: 'person@example.com' } } }), config, { now: NOW });
    expect(built).toEqual({
      ok: true,
      assetId: PIXEL,
      event: {
        event_name: 'VIEW_CONTENT',
        action_source: 'WEB',
        event_time: 1748862000,
        event_id: 'msg-1',
        event_source_url: 'https://shop.example.com',
        user_data: { em: [EM_PERSON] },
      },
    });
  });

  test.each([
    ['the page context', { page: { url: 'https://shop.example.com/p/1' } }, {}, 'https://shop.example.com/p/1'],
    ['properties.url', {}, { url: 'https://shop.example.com/p/2' }, 'https://shop.example.com/p/2'],
  ])("prefers %s to the integration's site_url", (_, context, properties, expected) => {
    const config = { ...CONFIG, site_url: 'https://site.example.com' };
    const input = message({ context: { ...context, traits: { email: 'person@example.com' } }, properties });
    const built = toSnapEvent(input, config, { now: NOW });
    expect(built.ok && built.event.event_source_url).toBe(expected);
  });

  test('gives OFFLINE events without a page no event_source_url, even with a site_url', () => {
    const config = { ...CONFIG, site_url: 'https://shop.example.com' };
    const input = message({ context: { actionSource: 'OFFLINE', traits: { email: 'person@example.com' } } });
    const built = toSnapEvent(input, config, { now: NOW });
    expect(built.ok && built.event).toEqual({
      event_name: 'VIEW_CONTENT',
      action_source: 'OFFLINE',
      event_time: 1748862000,
      event_id: 'msg-1',
      user_data: { em: [EM_PERSON] },
    });
  });

  test('sends the page URL without the query parameters that hold personal data, in v3 and v2', () => {
    const url = 'https://shop.example.com/thanks?email=jane%40example.com&phone=%2B15551234567&u=jane%40example.com&order=7';
    const built = toSnapEvent(message({ context: { page: { url }, traits: { email: 'person@example.com' } } }), CONFIG, {
      now: NOW,
    });
    expect(built.ok && built.event.event_source_url).toBe('https://shop.example.com/thanks?order=7');
    expect(built.ok && toV2Event(built.event, { ...CONFIG, api_version: 'v2' }).page_url).toBe(
      'https://shop.example.com/thanks?order=7',
    );
  });

  test('sends event_time in seconds, never ahead of now', () => {
    const future = toSnapEvent(message({ timestamp: '2025-06-02T12:30:00.000Z' }), CONFIG, { now: NOW });
    expect(future.ok && future.event.event_time).toBe(1748865600); // NOW
  });

  test.each([
    ['WEB', '2025-06-02T10:15:30.123Z', 1748859330],
    ['OFFLINE', '2025-06-02T10:15:30.999Z', 1748859330],
    ['MOBILE_APP', '2025-06-02T10:15:30.000Z', 1748859330],
  ] as const)('sends %s event_time as whole seconds (%s → %d)', (actionSource, timestamp, expected) => {
    const config: SnapchatConfig = { ...CONFIG, snap_app_id: SNAP_APP, app_id: 'com.example.shop' };
    const built = toSnapEvent(message({ timestamp, context: { ...message().context, actionSource } }), config, {
      now: NOW,
    });
    expect(built.ok && built.event.event_time).toBe(expected);
  });

  test('falls back to receivedAt for a message without a usable timestamp', () => {
    const built = toSnapEvent(message({ timestamp: 'not a date' }), CONFIG, { now: NOW });
    expect(built.ok && built.event.event_time).toBe(1748862001); // 2025-06-02T11:00:01Z
  });

  test('sends an event exactly 37 days old', () => {
    const timestamp = new Date(NOW.getTime() - MAX_EVENT_AGE_MS).toISOString();
    expect(toSnapEvent(message({ timestamp }), CONFIG, { now: NOW }).ok).toBe(true);
  });

  test('asks for limited data use with geolocation when the message does', () => {
    const built = toSnapEvent(message({ context: { ...message().context, limitedDataUse: true } }), CONFIG, { now: NOW });
    expect(
      built.ok &&
        JSON.stringify(built.event).endsWith(
          '"data_processing_options":["LDU"],"data_processing_options_country":0,"data_processing_options_state":0}',
        ),
    ).toBe(true);
  });

  test.each([
    [{}, 0, 0],
    [{ ldu_country: 0 as const, ldu_state: 0 as const }, 0, 0],
    [{ ldu_country: 1 as const }, 1, 0],
    [{ ldu_country: 1 as const, ldu_state: 1000 as const }, 1, 1000],
  ])("sends the integration's limited-data-use codes %j as country %d and state %d", (codes, country, state) => {
    const config: SnapchatConfig = { ...CONFIG, limited_data_use: true, ...codes };
    const built = toSnapEvent(message(), config, { now: NOW });
    expect(built.ok && built.event.data_processing_options).toEqual(['LDU']);
    expect(built.ok && built.event.data_processing_options_country).toBe(country);
    expect(built.ok && built.event.data_processing_options_state).toBe(state);
  });

  test('uses the codes for a message that asks for limited data use itself', () => {
    const config: SnapchatConfig = { ...CONFIG, ldu_country: 1, ldu_state: 1000 };
    const built = toSnapEvent(message({ context: { ...message().context, limitedDataUse: true } }), config, { now: NOW });
    expect(
      built.ok &&
        JSON.stringify(built.event).endsWith(
          '"data_processing_options":["LDU"],"data_processing_options_country":1,"data_processing_options_state":1000}',
        ),
    ).toBe(true);
  });

  test('sends no limited-data-use codes without limited data use', () => {
    const built = toSnapEvent(message(), { ...CONFIG, ldu_country: 1, ldu_state: 1000 }, { now: NOW });
    expect(built.ok && Object.keys(built.event).filter((key) => key.startsWith('data_processing'))).toEqual([]);
  });

  test('adds the test event code last when the operator gives one', () => {
    const built = toSnapEvent(message(), CONFIG, { now: NOW, testEventCode: ' TEST123 ' });
    expect(built.ok && Object.entries(built.event).at(-1)).toEqual(['test_event_code', 'TEST123']);
  });

  test('uses the profile traits when the event has none', () => {
    const built = toSnapEvent(message({ context: { page: { url: 'https://x.example/' } } }), CONFIG, {
      now: NOW,
      profileTraits: { email: 'Person@Example.com' },
    });
    expect(built.ok && built.event.user_data).toEqual({ em: [EM_PERSON] });
  });

  test.each([
    [undefined, undefined, 'WEB'],
    ['OFFLINE', undefined, 'OFFLINE'],
    ['OFFLINE', 'web', 'WEB'],
    [undefined, 'physical_store', 'OFFLINE'],
    ['OFFLINE', 'carrier-pigeon', 'OFFLINE'],
  ] as const)('uses action source %s of the config and %s of the message as %s', (configured, own, expected) => {
    const config: SnapchatConfig = configured === undefined ? CONFIG : { ...CONFIG, action_source: configured };
    const built = toSnapEvent(message({ context: { ...message().context, actionSource: own } }), config, { now: NOW });
    expect(built.ok && built.event.action_source).toBe(expected);
  });

  test('sends OFFLINE events without a URL', () => {
    const built = toSnapEvent(
      message({ context: { traits: { email: 'person@example.com' } } }),
      { ...CONFIG, action_source: 'OFFLINE' },
      { now: NOW },
    );
    expect(built.ok && built.event).toEqual({
      event_name: 'VIEW_CONTENT',
      action_source: 'OFFLINE',
      event_time: 1748862000, // 2025-06-02T11:00:00Z in seconds
      event_id: 'msg-1',
      user_data: { em: [EM_PERSON] },
    });
  });

  test('builds a MOBILE_APP event for the Snap app asset with app_data', () => {
    const built = toSnapEvent(
      message({
        context: {
          app: { namespace: 'com.example.shop', version: '2.0' },
          os: { name: 'Android', version: '14' },
          device: { advertisingId: '87a7def4-b6e9-4bf7-91b6-66372842007a', adTrackingEnabled: true },
        },
      }),
      { ...CONFIG, snap_app_id: SNAP_APP, action_source: 'MOBILE_APP' },
      { now: NOW },
    );
    expect(built).toEqual({
      ok: true,
      assetId: SNAP_APP,
      event: {
        event_name: 'VIEW_CONTENT',
        action_source: 'MOBILE_APP',
        event_time: 1748862000, // 2025-06-02T11:00:00Z in seconds
        event_id: 'msg-1',
        user_data: { madid: '87a7def4-b6e9-4bf7-91b6-66372842007a' },
        app_data: {
          app_id: 'com.example.shop',
          advertiser_tracking_enabled: 1,
          extinfo: ['a2', 'com.example.shop', '', '2.0', '14', '', '', '', '', '', '', '', '', '', '', ''],
        },
      },
    });
  });
});

describe('toSnapEvent: events that are not sent', () => {
  test.each([
    [
      message({ event: 'Newsletter Opened' }),
      CONFIG,
      'unmapped',
      'no Snapchat event is mapped for track "Newsletter Opened"; add it to event_map',
    ],
    [
      message({ type: 'identify', event: undefined }),
      CONFIG,
      'unmapped',
      'identify calls update the profile and are not sent themselves',
    ],
    [
      message(),
      { ...CONFIG, event_map: { 'Product Viewed': null } },
      'disabled',
      'event_map switches track "Product Viewed" off',
    ],
    [
      message({ timestamp: '2025-04-20T11:00:00.000Z' }),
      CONFIG,
      'too_old',
      'the event is 43 days old; Snapchat accepts events up to 37 days old',
    ],
    [
      message({ context: { traits: { email: 'person@example.com' } } }),
      CONFIG,
      'missing_event_source_url',
      "WEB events need context.page.url or properties.url, or the integration's site_url",
    ],
    [
      message({ context: { page: { url: 'https://x.example/' } } }),
      CONFIG,
      'insufficient_identifiers',
      'Snapchat needs an email, a phone, a mobile ad id, or both IP address and user agent',
    ],
    [
      message({
        context: { page: { url: 'https://x.example/' }, ip: '203.0.113.7', snapchat: { clickId: 'c', cookie1: 's' } },
        userId: 'u1',
      }),
      CONFIG,
      'insufficient_identifiers',
      'Snapchat needs an email, a phone, a mobile ad id, or both IP address and user agent',
    ],
    [
      message({ context: { app: { namespace: 'com.example' } } }),
      { ...CONFIG, action_source: 'MOBILE_APP' },
      'missing_app_data',
      "MOBILE_APP events need the integration's snap_app_id",
    ],
    [
      message(),
      { ...CONFIG, action_source: 'MOBILE_APP', snap_app_id: SNAP_APP },
      'missing_app_data',
      "MOBILE_APP events need an app id: the integration's app_id or context.app.namespace",
    ],
  ] as const)('%#: skips with %s', (input, config, reason, detail) => {
    expect(toSnapEvent(input, config as SnapchatConfig, { now: NOW })).toEqual({ ok: false, reason, detail });
  });

  test('does not send an event just over 37 days old', () => {
    const timestamp = new Date(NOW.getTime() - MAX_EVENT_AGE_MS - 1).toISOString();
    expect(toSnapEvent(message({ timestamp }), CONFIG, { now: NOW })).toMatchObject({ ok: false, reason: 'too_old' });
  });

  test.each([
    [{ currency: 'USD' }, 'PURCHASE needs a value: revenue, total, value, products with prices, or price'],
    [{ revenue: 10 }, 'PURCHASE needs a currency Snapchat accepts, got null'],
    [{ revenue: 10, currency: 'XYZ' }, 'PURCHASE needs a currency Snapchat accepts, got "XYZ"'],
  ])('does not send a purchase with properties %j', (properties, detail) => {
    expect(toSnapEvent(message({ event: 'Order Completed', properties }), CONFIG, { now: NOW })).toEqual({
      ok: false,
      reason: 'purchase_missing_value_or_currency',
      detail,
    });
  });

  test.each([
    [{ revenue: -100, currency: 'USD' }, 'value -100 is out of range: amounts are sent from 0 to under 1000000000'],
    [
      { revenue: 1e20, currency: 'USD' },
      'value 100000000000000000000 is out of range: amounts are sent from 0 to under 1000000000',
    ],
    [{ revenue: 1e9, currency: 'USD' }, 'value 1000000000 is out of range: amounts are sent from 0 to under 1000000000'],
  ])('does not send a purchase whose value is out of range: %j', (properties, detail) => {
    expect(toSnapEvent(message({ event: 'Order Completed', properties }), CONFIG, { now: NOW })).toEqual({
      ok: false,
      reason: 'value_out_of_range',
      detail,
    });
  });

  test.each([0, 999_999_999.99])('sends a purchase of value %d', (revenue) => {
    const built = toSnapEvent(message({ event: 'Order Completed', properties: { revenue, currency: 'USD' } }), CONFIG, {
      now: NOW,
    });
    expect(built.ok && built.event.custom_data).toEqual({ currency: 'USD', value: revenue });
  });

  test('sends a purchase whose value comes from its products', () => {
    const built = toSnapEvent(
      message({ event: 'Order Completed', properties: { currency: 'usd', products: [{ sku: 'A', price: 5, quantity: 2 }] } }),
      CONFIG,
      { now: NOW },
    );
    expect(built.ok && built.event.custom_data).toEqual({
      currency: 'USD',
      value: 10,
      content_ids: ['A'],
      num_items: 2,
      contents: [{ id: 'A', quantity: 2, item_price: 5 }],
    });
  });

  test('sends a purchase in any active ISO 4217 currency, valued by its price alone', () => {
    const built = toSnapEvent(message({ event: 'Order Completed', properties: { currency: 'ars', price: '15000' } }), CONFIG, {
      now: NOW,
    });
    expect(built.ok && built.event.custom_data).toEqual({ currency: 'ARS', value: 15000 });
  });

  test.each([
    ['a web event', {}],
    ['an offline event', { actionSource: 'OFFLINE' }],
  ])('sends %s identified by its advertising id alone', (_label, extra) => {
    const built = toSnapEvent(
      message({
        context: {
          page: { url: 'https://x.example/' },
          device: { advertisingId: '87A7DEF4-B6E9-4BF7-91B6-66372842007A' },
          ...extra,
        },
      }),
      CONFIG,
      { now: NOW },
    );
    expect(built.ok && built.event.user_data).toEqual({ madid: '87a7def4-b6e9-4bf7-91b6-66372842007a' });
  });

  test('sends an event identified by the email of its properties', () => {
    const built = toSnapEvent(
      message({ context: { page: { url: 'https://x.example/' } }, properties: { email: 'Person@Example.com' } }),
      CONFIG,
      { now: NOW },
    );
    expect(built.ok && built.event.user_data).toEqual({ em: [EM_PERSON] });
  });

  test('builds OFFLINE events that the mock, like Snap, accepts', () => {
    const built = toSnapEvent(
      message({ timestamp: '2025-06-02T10:15:30.123Z' }),
      { ...CONFIG, action_source: 'OFFLINE' },
      {
        now: NOW,
      },
    );
    expect(built.ok && built.event.event_time).toBe(1748859330);
    expect(built.ok && validateV3Event(built.event, NOW.getTime())).toEqual([]);
  });

  test('refuses a config without a pixel, which validation never lets through', () => {
    expect(() => toSnapEvent(message(), { access_token: 't' } as SnapchatConfig, { now: NOW })).toThrow(TypeError);
  });
});

describe('wantsLimitedDataUse', () => {
  test.each([
    [{}, {}, false],
    [{ limitedDataUse: true }, {}, true],
    [{ limitedDataUse: false }, { limited_data_use: true }, true],
    [{ consent: { categoryPreferences: { limited_data_use: true } } }, {}, true],
    [{ consent: { categoryPreferences: { limited_data_use: false, advertising: true } } }, {}, false],
  ])('is asked for by context %j and config %j: %s', (context, config, expected) => {
    expect(wantsLimitedDataUse({ type: 'track', context }, { ...CONFIG, ...config })).toBe(expected);
  });
});
