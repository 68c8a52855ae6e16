import type { EnrichedMessage } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import { REASON_CODES } from '@datafirst/destination';
import { SnapchatClient } from './client.js';
import { createSnapchatDestination, SNAPCHAT_FIELDS } from './destination.js';

const NOW = new Date('2025-06-02T12:00:00Z');
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const SNAP_APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const CONFIG = { pixel_id: PIXEL, access_token: 'token' };
const EM_PERSON = '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345';
const snapchat = createSnapchatDestination(new SnapchatClient({ baseUrl: 'http://127.0.0.1:9' }));

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

describe('the Snapchat destination: declared settings', () => {
  test('declares the access token as its only secret, and the pixel, token and app id as credentials', () => {
    expect(SNAPCHAT_FIELDS.filter((f) => f.secret).map((f) => f.key)).toEqual(['access_token']);
    expect(SNAPCHAT_FIELDS.filter((f) => f.credential).map((f) => f.key)).toEqual(['pixel_id', 'access_token', 'snap_app_id']);
    expect(SNAPCHAT_FIELDS.filter((f) => f.required).map((f) => f.key)).toEqual(['pixel_id', 'access_token']);
  });

  test('declares the site URL as the setting that cures parked events without a page URL', () => {
    expect(SNAPCHAT_FIELDS.filter((f) => f.cures).map((f) => [f.key, f.cures])).toEqual([
      ['site_url', ['missing_event_source_url']],
    ]);
    expect(SNAPCHAT_FIELDS.find((f) => f.key === 'site_url')).toMatchObject({
      label: 'Site URL',
      type: 'string',
      required: false,
      secret: false,
      credential: false,
      placeholder: 'https://shop.example.com',
    });
  });

  test('validates a config with the library validator and the rate-limit bounds', () => {
    expect(snapchat.validateConfig({ ...CONFIG, rate_limit_rps: 2000, rate_limit_burst: 20_000 })).toEqual({
      ok: false,
      errors: ['rate_limit_rps: at most 1000 (Snapchat advises no more requests a second)', 'rate_limit_burst: at most 10000'],
    });
    expect(snapchat.validateConfig({ pixel_id: 'nope' })).toEqual({
      ok: false,
      errors: [
        'pixel_id: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)',
        'access_token: is required',
      ],
    });
    expect(snapchat.validateConfig({ ...CONFIG, rate_limit_rps: 10 })).toEqual({
      ok: true,
      config: { ...CONFIG, rate_limit_rps: 10 },
    });
  });

  test('rate limit: 50 requests a second with a burst of 100 unless configured', () => {
    expect(snapchat.rateLimit(CONFIG)).toEqual({ rps: 50, burst: 100 });
    expect(snapchat.rateLimit({ ...CONFIG, rate_limit_rps: 5, rate_limit_burst: 7 })).toEqual({ rps: 5, burst: 7 });
  });

  test('the account of an event is its pixel, or the Snap app for app events, lowercased', () => {
    expect(snapchat.accountOf(message(), { ...CONFIG, pixel_id: PIXEL.toUpperCase() })).toBe(PIXEL);
    expect(snapchat.accountOf(message({ context: { actionSource: 'MOBILE_APP' } }), { ...CONFIG, snap_app_id: SNAP_APP })).toBe(
      SNAP_APP,
    );
    expect(snapchat.accountOf(message({ context: { actionSource: 'MOBILE_APP' } }), CONFIG)).toBeUndefined();
  });
});

describe('the Snapchat destination: build', () => {
  test('builds a sendable event batched by its pixel', () => {
    expect(snapchat.build(message(), CONFIG, { now: NOW })).toEqual({
      ok: true,
      batchKey: PIXEL,
      event: {
        event_name: 'VIEW_CONTENT',
        action_source: 'WEB',
        event_time: 1748862000,
        event_id: 'msg-1',
        event_source_url: 'https://shop.example.com/p/1',
        user_data: { em: [EM_PERSON] },
      },
    });
  });

  test.each([
    [message({ event: 'Video Played' }), 'skipped', 'unmapped'],
    [message(), 'skipped', 'event_disabled', { event_map: { 'Product Viewed': null } }],
    [message({ context: { page: { url: 'https://shop.example.com/' } } }), 'failed', 'insufficient_identifiers'],
    [message({ event: 'Order Completed' }), 'failed', 'missing_value_or_currency'],
    [message({ event: 'Order Completed', properties: { revenue: -100, currency: 'USD' } }), 'failed', 'value_out_of_range'],
    [message({ context: { traits: { email: 'a@b.example' } } }), 'blocked', 'missing_event_source_url'],
    [message({ timestamp: '2025-04-01T00:00:00.000Z' }), 'failed', 'too_old'],
  ] as const)('refuses %j as %s with the code %s', (input, status, code, extra: object = {}) => {
    const built = snapchat.build(input, { ...CONFIG, ...extra }, { now: NOW });
    expect(built).toMatchObject({ ok: false, status, code });
    // A refusal is recorded with the status its reason code stands for.
    expect(REASON_CODES[code].outcome).toBe(status);
    // The detail keeps the words the debugger has always shown, led by Snapchat's own reason.
    expect(!built.ok && built.detail).toMatch(/^[a-z_]+: /);
  });
});

describe('the Snapchat destination: purchases', () => {
  const built = (input: EnrichedMessage, config: object = CONFIG) => {
    const result = snapchat.build(input, { ...CONFIG, ...config }, { now: NOW });
    if (!result.ok) throw new Error(result.detail);
    return result.event;
  };

  test('reports the value and currency of a PURCHASE, as sent', () => {
    const order = message({ event: 'Order Completed', properties: { revenue: 59.97, currency: 'eur' } });
    expect(snapchat.purchaseOf!(built(order))).toEqual({ value: 59.97, currency: 'EUR' });
  });

  test('reports no purchase for another event, even one with a value, nor for an event mapped away from PURCHASE', () => {
    const cart = message({ event: 'Product Added', properties: { price: 10, currency: 'EUR' } });
    expect(snapchat.purchaseOf!(built(cart))).toBeUndefined();
    const order = message({ event: 'Order Completed', properties: { revenue: 10, currency: 'EUR' } });
    expect(snapchat.purchaseOf!(built(order, { event_map: { 'Order Completed': 'CUSTOM_EVENT_1' } }))).toBeUndefined();
  });
});
