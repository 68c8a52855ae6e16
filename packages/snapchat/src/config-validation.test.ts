import { describe, expect, test } from 'vitest';
import { validateSnapchatConfig } from './config-validation.js';

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const SNAP_APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const MINIMAL = { pixel_id: PIXEL, access_token: 'demo-token' };

describe('validateSnapchatConfig: accepted configs', () => {
  test('accepts the minimal config unchanged', () => {
    expect(validateSnapchatConfig(MINIMAL)).toEqual({ ok: true, config: MINIMAL });
  });

  test('normalises every setting it accepts', () => {
    const result = validateSnapchatConfig({
      pixel_id: ` ${PIXEL.toUpperCase()} `,
      access_token: ' demo-token ',
      snap_app_id: SNAP_APP,
      app_id: ' com.example.shop ',
      api_version: 'V2',
      action_source: 'website',
      site_url: ' https://shop.example.com/ ',
      phone_default_country: 'gb',
      event_map: { 'Newsletter Opened': 'custom_event_1', 'Order Completed': null, Refund: ' Purchase ' },
      limited_data_use: true,
      ldu_country: 1,
      ldu_state: 1000,
      rate_limit_rps: 12.5,
      rate_limit_burst: 20,
    });
    expect(result).toEqual({
      ok: true,
      config: {
        pixel_id: PIXEL.toUpperCase(),
        access_token: 'demo-token',
        snap_app_id: SNAP_APP,
        app_id: 'com.example.shop',
        api_version: 'v2',
        action_source: 'WEB',
        site_url: 'https://shop.example.com/',
        phone_default_country: 'GB',
        event_map: { 'Newsletter Opened': 'CUSTOM_EVENT_1', 'Order Completed': null, Refund: 'PURCHASE' },
        limited_data_use: true,
        ldu_country: 1,
        ldu_state: 1000,
        rate_limit_rps: 12.5,
        rate_limit_burst: 20,
      },
    });
  });

  test.each([
    ['app', 'MOBILE_APP'],
    ['mobile_app', 'MOBILE_APP'],
    ['OFFLINE', 'OFFLINE'],
    ['physical_store', 'OFFLINE'],
    ['Web', 'WEB'],
  ])('converts action source %j to %s', (actionSource, expected) => {
    const result = validateSnapchatConfig({ ...MINIMAL, snap_app_id: SNAP_APP, action_source: actionSource });
    expect(result.ok && result.config.action_source).toBe(expected);
  });

  test.each([
    [{ ldu_country: 0, ldu_state: 0 }],
    [{ ldu_country: 1, ldu_state: 0 }],
    [{ ldu_country: 1, ldu_state: 1000 }],
    [{ ldu_country: 1 }],
    [{ ldu_state: 0 }],
  ])('accepts the limited-data-use codes %j', (codes) => {
    expect(validateSnapchatConfig({ ...MINIMAL, ...codes })).toEqual({ ok: true, config: { ...MINIMAL, ...codes } });
  });

  test.each(['https://shop.example.com', 'http://localhost:8080/shop', 'https://shop.example.com/landing?utm=x'])(
    'accepts the site URL %s as given',
    (siteUrl) => {
      expect(validateSnapchatConfig({ ...MINIMAL, site_url: siteUrl })).toEqual({
        ok: true,
        config: { ...MINIMAL, site_url: siteUrl },
      });
    },
  );

  test('treats null as an unset optional setting', () => {
    expect(
      validateSnapchatConfig({ ...MINIMAL, snap_app_id: null, event_map: null, rate_limit_rps: null, site_url: null }),
    ).toEqual({
      ok: true,
      config: MINIMAL,
    });
  });
});

describe('validateSnapchatConfig: refused configs', () => {
  test.each([
    [null, ['config: must be a JSON object']],
    [[], ['config: must be a JSON object']],
    [{}, ['pixel_id: is required', 'access_token: is required']],
    [
      { ...MINIMAL, pixel_id: '12345' },
      ['pixel_id: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)'],
    ],
    [{ ...MINIMAL, access_token: '   ' }, ['access_token: is required']],
    [{ ...MINIMAL, access_token: 'two words' }, ['access_token: must not contain spaces']],
    [
      { ...MINIMAL, snap_app_id: 'my-app' },
      ['snap_app_id: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)'],
    ],
    [{ ...MINIMAL, app_id: '' }, ['app_id: must be the app store id (e.g. com.example.app or 123456789)']],
    [{ ...MINIMAL, api_version: 'v4' }, ['api_version: must be "v3" (default) or "v2"']],
    [{ ...MINIMAL, action_source: 'email' }, ['action_source: must be WEB, MOBILE_APP or OFFLINE']],
    [{ ...MINIMAL, action_source: 'MOBILE_APP' }, ['snap_app_id: is required when action_source is MOBILE_APP']],
    [
      { ...MINIMAL, phone_default_country: 'GBR' },
      ['phone_default_country: must be an ISO 3166-1 alpha-2 country code, such as US or GB'],
    ],
    [
      { ...MINIMAL, phone_default_country: 'XX' },
      ['phone_default_country: must be an ISO 3166-1 alpha-2 country code, such as US or GB'],
    ],
    [{ ...MINIMAL, event_map: ['PURCHASE'] }, ['event_map: must be an object of event name → Snapchat event name or null']],
    [
      { ...MINIMAL, event_map: { 'Product Added': 'ADD_TO_CART' } },
      ['event_map.Product Added: "ADD_TO_CART" is not a Snapchat event; use ADD_CART'],
    ],
    [
      { ...MINIMAL, event_map: { 'Credits Used': 'spend_credits' } },
      ['event_map.Credits Used: "spend_credits" is not a Snapchat event; use SPENT_CREDITS'],
    ],
    [
      { ...MINIMAL, event_map: { Foo: 'CUSTOM_EVENT_6' } },
      [
        'event_map.Foo: "CUSTOM_EVENT_6" is not a Snapchat event; use a Snapchat event name (e.g. PURCHASE, CUSTOM_EVENT_1) or null',
      ],
    ],
    [
      { ...MINIMAL, event_map: { Foo: 1 } },
      ['event_map.Foo: 1 is not a Snapchat event; use a Snapchat event name (e.g. PURCHASE, CUSTOM_EVENT_1) or null'],
    ],
    [{ ...MINIMAL, event_map: { ' ': 'PURCHASE' } }, ['event_map: event names must not be empty']],
    [
      { ...MINIMAL, site_url: 'shop.example.com' },
      ['site_url: must be an absolute http or https URL, such as https://shop.example.com'],
    ],
    [
      { ...MINIMAL, site_url: '/checkout' },
      ['site_url: must be an absolute http or https URL, such as https://shop.example.com'],
    ],
    [
      { ...MINIMAL, site_url: 'ftp://shop.example.com' },
      ['site_url: must be an absolute http or https URL, such as https://shop.example.com'],
    ],
    [
      { ...MINIMAL, site_url: 'javascript:alert(1)' },
      ['site_url: must be an absolute http or https URL, such as https://shop.example.com'],
    ],
    [{ ...MINIMAL, site_url: 42 }, ['site_url: must be an absolute http or https URL, such as https://shop.example.com']],
    [{ ...MINIMAL, site_url: '' }, ['site_url: must be an absolute http or https URL, such as https://shop.example.com']],
    [{ ...MINIMAL, site_url: 'https://user:secret@shop.example.com' }, ['site_url: must not contain a user name or password']],
    [{ ...MINIMAL, site_url: 'https://user@shop.example.com' }, ['site_url: must not contain a user name or password']],
    [{ ...MINIMAL, limited_data_use: 'yes' }, ['limited_data_use: must be true or false']],
    [{ ...MINIMAL, ldu_country: 2 }, ['ldu_country: must be 0 or 1 (0 lets Snapchat geolocate the user)']],
    [{ ...MINIMAL, ldu_country: '1' }, ['ldu_country: must be 0 or 1 (0 lets Snapchat geolocate the user)']],
    [{ ...MINIMAL, ldu_state: 1001 }, ['ldu_state: must be 0 or 1000 (0 lets Snapchat geolocate the user)']],
    [{ ...MINIMAL, ldu_state: true }, ['ldu_state: must be 0 or 1000 (0 lets Snapchat geolocate the user)']],
    [{ ...MINIMAL, ldu_state: 1000 }, ['ldu_state: 1000 (California) needs ldu_country 1 (the US)']],
    [{ ...MINIMAL, ldu_country: 0, ldu_state: 1000 }, ['ldu_state: 1000 (California) needs ldu_country 1 (the US)']],
    [{ ...MINIMAL, rate_limit_rps: 0 }, ['rate_limit_rps: must be a number above 0']],
    [{ ...MINIMAL, rate_limit_rps: '50' }, ['rate_limit_rps: must be a number above 0']],
    [{ ...MINIMAL, rate_limit_burst: 0.5 }, ['rate_limit_burst: must be a number of at least 1']],
    [{ ...MINIMAL, rate_limit_burst: Number.POSITIVE_INFINITY }, ['rate_limit_burst: must be a number of at least 1']],
    [
      { ...MINIMAL, pixelId: PIXEL },
      [
        'pixelId: is not a Snapchat setting (known: pixel_id, access_token, snap_app_id, app_id, api_version, action_source, site_url, phone_default_country, event_map, field_map, limited_data_use, ldu_country, ldu_state, rate_limit_rps, rate_limit_burst)',
      ],
    ],
  ])('refuses %j with %j', (input, errors) => {
    expect(validateSnapchatConfig(input)).toEqual({ ok: false, errors });
  });

  test('names every problem at once', () => {
    const result = validateSnapchatConfig({ pixel_id: 'x', api_version: 'v1', rate_limit_rps: -1 });
    expect(result.ok === false && result.errors).toEqual([
      'pixel_id: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)',
      'access_token: is required',
      'api_version: must be "v3" (default) or "v2"',
      'rate_limit_rps: must be a number above 0',
    ]);
  });
});
