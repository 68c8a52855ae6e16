import { MOCK_SUCCESS_REASON, startSnapchatMock, type MockRequest, type SnapchatMock } from '@datafirst/snapchat';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  createIntegration,
  deliveryOf,
  expectExactly,
  IP,
  postBatch,
  receivedEvents,
  settledEvents,
  sha256,
  UA,
} from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

// One message of each event family goes in through the HTTP ingest API, and the test reads back
// the exact requests the Snapchat mock received (URL, auth, body) and the delivery status and
// reason the admin API shows, once for a v3 integration and once for a v2 one. The mock checks
// tokens and Snap's validation rules, so a request Snap would refuse fails here too.

const PIXEL_V3 = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const APP_V3 = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const PIXEL_V2 = '0a7e9c1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
const APP_V2 = 'b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e';
const TOKEN_V3 = 'token-v3';
const TOKEN_V2 = 'token-v2';

const EVENT_MAP = { 'Video Played': 'CUSTOM_EVENT_1', 'Video Shared': 'share', 'Product Purchased': null };
const configFor = (apiVersion: 'v3' | 'v2') => ({
  pixel_id: apiVersion === 'v3' ? PIXEL_V3 : PIXEL_V2,
  snap_app_id: apiVersion === 'v3' ? APP_V3 : APP_V2,
  access_token: apiVersion === 'v3' ? TOKEN_V3 : TOKEN_V2,
  api_version: apiVersion,
  phone_default_country: 'GB',
  event_map: EVENT_MAP,
});

// Every event is a few minutes old, one second apart, so each has its own exact event_time.
const BASE_MS = Date.now() - 30 * 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const at = (second: number) => new Date(BASE_MS + second * 1000).toISOString();
const ms = (second: number) => Date.parse(at(second));
// v3 sends whole seconds (Snap refuses ms on OFFLINE events); v2 sends those seconds as ms.
const v3Time = (second: number) => Math.floor(ms(second) / 1000);
const v2Time = (second: number) => String(v3Time(second) * 1000);

// Digests of the normalised values, from Node's crypto: docs/snapchat-capi.md §7.2's shopper and an identified profile.
const H = {
  ip: sha256(IP), // fec52565…, as in §7.4
  emTest123: 'cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9',
  phUk844: 'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383',
  fnTester: '9bba5c53a0545e0c80184b946153c9f58387e3bd1d4ee35740f29ac2e718b019',
  lnMcTest: 'e3e7202354c1f3855b999e4539d3d44bf084154a43025842ee317e4ffc5502c0',
  extUser1234: '831c237928e6212bedaa4451a514ace3174562f6761f6a157a2fe5082b36e2fb',
  emJane: sha256('jane.doe@example.com'),
  phJane: '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd', // 07700 900123, GB
  fnJane: sha256('jane'),
  lnDoe: sha256('doe'),
  geF: sha256('f'),
  db: sha256('19900515'),
  ctLondon: sha256('london'),
  zp: sha256('sw1a1aa'),
  countryGb: sha256('gb'),
  extUser42: sha256('user-42'),
};

const MADID = '6d92078a-8246-4ba4-ae5b-76104861e7dc';
const IDFV = 'e4f1c2a0-3b5d-4c6e-9f70-8a1b2c3d4e5f';
const APP_UA = 'ExampleShop/2.3.1 (iPhone; iOS 17.5; Scale/3.00)';

type Json = Record<string, unknown>;
const web = (url: string, extra: Json = {}) => ({ page: { url }, ip: IP, userAgent: UA, ...extra });

/** One message and what must become of it, for both API versions. */
interface Family {
  id: string;
  message: Json;
  /** `delivered`, or the final status and the start of its reason. */
  outcome: 'delivered' | { status: 'skipped' | 'failed'; reason: string };
  asset?: 'pixel' | 'app';
  v3?: Json;
  v2?: Json;
}

/** A v3 WEB event: user fields before and after the raw IP and user agent keep the builder's key order. */
function v3Web(
  id: string,
  name: string,
  second: number,
  url: string,
  parts: { userBefore?: Json; userAfter?: Json; rest?: Json } = {},
): Json {
  return {
    event_name: name,
    action_source: 'WEB',
    event_time: v3Time(second),
    event_id: id,
    event_source_url: url,
    user_data: { ...parts.userBefore, client_ip_address: IP, client_user_agent: UA, ...parts.userAfter },
    ...parts.rest,
  };
}

/** A v2 WEB record, in the v2 key order. */
function v2Web(
  pixel: string,
  id: string,
  type: string,
  second: number,
  url: string,
  parts: { before?: Json; after?: Json } = {},
): Json {
  return {
    pixel_id: pixel,
    event_type: type,
    event_conversion_type: 'WEB',
    timestamp: v2Time(second),
    client_dedup_id: id,
    page_url: url,
    ...parts.before,
    hashed_ip_address: H.ip,
    user_agent: UA,
    ...parts.after,
  };
}

/** The families sent in one batch from a browser-like caller, with their expected requests. */
function browserFamilies(prefix: string, pixel: string, app: string): Family[] {
  const id = (name: string) => `${prefix}-${name}`;
  const families: Family[] = [];
  const add = (family: Family) => families.push(family);

  // Page views, named or not. The collector reads the click id off the landing URL.
  const landing = 'https://shop.example.com/?ScCid=cid-9d2b1c64';
  add({
    id: id('page-named'),
    message: {
      type: 'page',
      name: 'Home',
      anonymousId: 'a-77',
      timestamp: at(1),
      context: web(landing, { snapchat: { cookie1: 'scid-0f6b3c9e' } }),
    },
    outcome: 'delivered',
    v3: v3Web(id('page-named'), 'PAGE_VIEW', 1, landing, {
      userAfter: { sc_click_id: 'cid-9d2b1c64', sc_cookie1: 'scid-0f6b3c9e' },
    }),
    v2: v2Web(pixel, id('page-named'), 'PAGE_VIEW', 1, landing, {
      after: { uuid_c1: 'scid-0f6b3c9e', click_id: 'cid-9d2b1c64' },
    }),
  });
  const about = 'https://shop.example.com/about';
  add({
    id: id('page-unnamed'),
    message: { type: 'page', anonymousId: 'a-78', timestamp: at(2), context: web(about) },
    outcome: 'delivered',
    v3: v3Web(id('page-unnamed'), 'PAGE_VIEW', 2, about),
    v2: v2Web(pixel, id('page-unnamed'), 'PAGE_VIEW', 2, about),
  });

  // Every default-mapped track event (Product Purchased is switched off by this event_map).
  const product = 'https://shop.example.com/p/sku-1';
  const defaults: [string, string, Json, Json | undefined, Json | undefined, Json?][] = [
    [
      'Product Viewed',
      'VIEW_CONTENT',
      { product_id: 'SKU-1', name: 'Runner', category: 'Shoes', brand: 'Acme', price: 89.99, currency: 'usd' },
      {
        currency: 'USD',
        value: 89.99,
        content_ids: ['SKU-1'],
        num_items: 1,
        contents: [{ id: 'SKU-1', quantity: 1, item_price: 89.99, brand: 'Acme' }],
        content_category: 'Shoes',
        content_name: 'Runner',
        brands: ['Acme'],
      },
      { price: '89.99', currency: 'USD', item_ids: 'SKU-1', item_category: 'Shoes', number_items: '1' },
    ],
    [
      'Product Added',
      'ADD_CART',
      { product_id: 'SKU-2', price: 19.99, quantity: 2, currency: 'EUR' },
      {
        currency: 'EUR',
        value: 39.98,
        content_ids: ['SKU-2'],
        num_items: 2,
        contents: [{ id: 'SKU-2', quantity: 2, item_price: 19.99 }],
      },
      { price: '39.98', currency: 'EUR', item_ids: 'SKU-2', number_items: '2' },
    ],
    [
      'Checkout Started',
      'START_CHECKOUT',
      {
        order_id: 'ORD-7',
        value: 59.97,
        currency: 'GBP',
        products: [
          { product_id: 'SKU-1', price: 19.99, quantity: 2 },
          { sku: 'SKU-2', price: 19.99 },
        ],
      },
      {
        currency: 'GBP',
        value: 59.97,
        order_id: 'ORD-7',
        content_ids: ['SKU-1', 'SKU-2'],
        num_items: 3,
        contents: [
          { id: 'SKU-1', quantity: 2, item_price: 19.99 },
          { id: 'SKU-2', quantity: 1, item_price: 19.99 },
        ],
      },
      { transaction_id: 'ORD-7', price: '59.97', currency: 'GBP', item_ids: 'SKU-1;SKU-2', number_items: '3' },
    ],
    [
      'Signed Up',
      'SIGN_UP',
      { method: 'email' },
      { sign_up_method: 'email' },
      { sign_up_method: 'email' },
      { traits: { email: '  Test123@Gmail.com ' } },
    ],
    ['Products Searched', 'SEARCH', { query: 'red shoes' }, { search_string: 'red shoes' }, { search_string: 'red shoes' }],
    [
      'Product Added to Wishlist',
      'ADD_TO_WISHLIST',
      { product_id: 'SKU-3' },
      { content_ids: ['SKU-3'], num_items: 1, contents: [{ id: 'SKU-3', quantity: 1 }] },
      { item_ids: 'SKU-3', number_items: '1' },
    ],
    ['Lead Generated', 'SAVE', {}, undefined, undefined],
    ['Payment Info Entered', 'ADD_BILLING', {}, undefined, undefined],
    ['Signed In', 'LOGIN', {}, undefined, undefined],
    [
      'Product List Viewed',
      'LIST_VIEW',
      { category: 'Shoes', content_type: 'product', products: [{ product_id: 'SKU-1' }, { product_id: 'SKU-2' }] },
      {
        content_ids: ['SKU-1', 'SKU-2'],
        num_items: 2,
        contents: [
          { id: 'SKU-1', quantity: 1 },
          { id: 'SKU-2', quantity: 1 },
        ],
        content_category: 'Shoes',
        content_type: 'product',
      },
      { item_ids: 'SKU-1;SKU-2', item_category: 'Shoes', number_items: '2' },
    ],
    [
      'Subscription Started',
      'SUBSCRIBE',
      { value: 9.99, currency: 'USD' },
      { currency: 'USD', value: 9.99 },
      { price: '9.99', currency: 'USD' },
    ],
    ['Trial Started', 'START_TRIAL', {}, undefined, undefined],
  ];
  defaults.forEach(([event, name, properties, customData, v2Custom, extraContext], index) => {
    const second = 10 + index;
    const familyId = id(name.toLowerCase());
    const withEmail = extraContext !== undefined;
    add({
      id: familyId,
      message: {
        type: 'track',
        event,
        anonymousId: 'a-80',
        timestamp: at(second),
        properties,
        context: web(product, extraContext),
      },
      outcome: 'delivered',
      v3: v3Web(familyId, name, second, product, {
        userBefore: withEmail ? { em: [H.emTest123] } : {},
        rest: customData === undefined ? {} : { custom_data: customData },
      }),
      v2: v2Web(pixel, familyId, name, second, product, {
        before: withEmail ? { hashed_email: H.emTest123 } : {},
        after: v2Custom,
      }),
    });
  });

  // The purchase of docs/snapchat-capi.md §7.2, through the HTTP API.
  const thanks = 'https://shop.example.com/thanks';
  add({
    id: id('purchase'),
    message: {
      type: 'track',
      event: 'Order Completed',
      userId: 'user1234',
      timestamp: at(30),
      properties: {
        order_id: 'ORD-1001',
        revenue: 59.97,
        currency: 'gbp',
        products: [
          { product_id: 'SKU-1', price: 19.99, quantity: 2, brand: 'Acme' },
          { product_id: 'SKU-2', price: 19.99, quantity: 1 },
        ],
      },
      context: web(thanks, {
        traits: { email: '  Test123@Gmail.com ', phone: '+44 844 412 4653', firstName: 'Tester', lastName: 'McTest' },
        snapchat: { clickId: 'cid-9d2b1c64', cookie1: 'scid-0f6b3c9e' },
      }),
    },
    outcome: 'delivered',
    v3: v3Web(id('purchase'), 'PURCHASE', 30, thanks, {
      userBefore: { em: [H.emTest123], ph: [H.phUk844], fn: H.fnTester, ln: H.lnMcTest, external_id: [H.extUser1234] },
      userAfter: { sc_click_id: 'cid-9d2b1c64', sc_cookie1: 'scid-0f6b3c9e' },
      rest: {
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
      },
    }),
    v2: v2Web(pixel, id('purchase'), 'PURCHASE', 30, thanks, {
      before: {
        hashed_email: H.emTest123,
        hashed_phone_number: H.phUk844,
        hashed_first_name_sha: H.fnTester,
        hashed_last_name_sha: H.lnMcTest,
      },
      after: {
        uuid_c1: 'scid-0f6b3c9e',
        click_id: 'cid-9d2b1c64',
        transaction_id: 'ORD-1001',
        price: '59.97',
        currency: 'GBP',
        item_ids: 'SKU-1;SKU-2',
        number_items: '3',
      },
    }),
  });

  // identify, then an anonymous track of the same visitor: the profile supplies the PII and the
  // userId it remembered (external_id).
  add({
    id: id('identify'),
    message: {
      type: 'identify',
      userId: 'user-42',
      anonymousId: 'anon-42',
      timestamp: at(31),
      traits: {
        email: 'Jane.Doe@Example.com',
        phone: '07700 900123',
        firstName: 'Jane',
        lastName: 'Doe',
        gender: 'female',
        birthday: '1990-05-15',
        address: { city: 'London', postalCode: 'SW1A 1AA', country: 'United Kingdom' },
      },
      context: web(product),
    },
    outcome: 'delivered', // identify has no delivery; checked separately
  });
  add({
    id: id('enriched'),
    message: {
      type: 'track',
      event: 'Product Added',
      anonymousId: 'anon-42',
      timestamp: at(32),
      properties: { product_id: 'SKU-4' },
      context: web(product),
    },
    outcome: 'delivered',
    v3: v3Web(id('enriched'), 'ADD_CART', 32, product, {
      userBefore: {
        em: [H.emJane],
        ph: [H.phJane],
        fn: H.fnJane,
        ln: H.lnDoe,
        ge: H.geF,
        db: H.db,
        ct: H.ctLondon,
        zp: H.zp,
        country: H.countryGb,
        external_id: [H.extUser42],
      },
      rest: { custom_data: { content_ids: ['SKU-4'], num_items: 1, contents: [{ id: 'SKU-4', quantity: 1 }] } },
    }),
    // v2 has no field for gender, birthday, country or external_id.
    v2: v2Web(pixel, id('enriched'), 'ADD_CART', 32, product, {
      before: {
        hashed_email: H.emJane,
        hashed_phone_number: H.phJane,
        hashed_first_name_sha: H.fnJane,
        hashed_last_name_sha: H.lnDoe,
        hashed_city_sha: H.ctLondon,
        hashed_zip: H.zp,
      },
      after: { item_ids: 'SKU-4', number_items: '1' },
    }),
  });

  // event_map: to a custom event, to a standard event given in lower case, and off.
  add({
    id: id('custom'),
    message: {
      type: 'track',
      event: 'Video Played',
      anonymousId: 'a-81',
      timestamp: at(33),
      properties: { title: 'Intro' },
      context: web(product),
    },
    outcome: 'delivered',
    v3: v3Web(id('custom'), 'CUSTOM_EVENT_1', 33, product),
    v2: v2Web(pixel, id('custom'), 'CUSTOM_EVENT_1', 33, product),
  });
  add({
    id: id('share'),
    message: { type: 'track', event: 'Video Shared', anonymousId: 'a-81', timestamp: at(34), context: web(product) },
    outcome: 'delivered',
    v3: v3Web(id('share'), 'SHARE', 34, product),
    v2: v2Web(pixel, id('share'), 'SHARE', 34, product),
  });
  add({
    id: id('off'),
    message: {
      type: 'track',
      event: 'Product Purchased',
      anonymousId: 'a-81',
      timestamp: at(35),
      properties: { revenue: 5, currency: 'USD' },
      context: web(product),
    },
    outcome: { status: 'skipped', reason: 'disabled: event_map switches track "Product Purchased" off' },
  });
  add({
    id: id('unmapped'),
    message: { type: 'track', event: 'Newsletter Opened', anonymousId: 'a-81', timestamp: at(36), context: web(product) },
    outcome: { status: 'skipped', reason: 'unmapped: no Snapchat event is mapped for track "Newsletter Opened"' },
  });

  // Refused before sending, each with a reason the debugger shows.
  add({
    id: id('no-currency'),
    message: {
      type: 'track',
      event: 'Order Completed',
      anonymousId: 'a-82',
      timestamp: at(37),
      properties: { order_id: 'ORD-X', revenue: 10 },
      context: web(thanks),
    },
    outcome: {
      status: 'failed',
      reason: 'purchase_missing_value_or_currency: PURCHASE needs a currency Snapchat accepts, got null',
    },
  });
  add({
    id: id('too-old'),
    message: {
      type: 'track',
      event: 'Signed In',
      anonymousId: 'a-82',
      timestamp: new Date(Date.now() - 40 * DAY_MS).toISOString(),
      context: web(product),
    },
    outcome: { status: 'failed', reason: 'too_old: the event is 40 days old; Snapchat accepts events up to 37 days old' },
  });

  // An app event: the Snap App ID is the asset, app_data comes from the message's app context.
  add({
    id: id('app'),
    asset: 'app',
    message: {
      type: 'track',
      event: 'Product Viewed',
      anonymousId: 'a-83',
      timestamp: at(38),
      properties: { product_id: 'SKU-9' },
      context: {
        actionSource: 'MOBILE_APP',
        ip: IP,
        userAgent: APP_UA,
        app: { name: 'Example Shop', version: '2.3.1', build: '231', namespace: 'com.example.shop' },
        device: {
          id: IDFV.toUpperCase(),
          advertisingId: MADID.toUpperCase(),
          adTrackingEnabled: true,
          manufacturer: 'Apple',
          model: 'iPhone15,2',
        },
        os: { name: 'iOS', version: '17.5' },
        screen: { width: 390, height: 844, density: 3 },
        network: { carrier: 'EE' },
        locale: 'en-GB',
        timezone: 'UTC',
      },
    },
    outcome: 'delivered',
    v3: {
      event_name: 'VIEW_CONTENT',
      action_source: 'MOBILE_APP',
      event_time: v3Time(38),
      event_id: id('app'),
      user_data: { client_ip_address: IP, client_user_agent: APP_UA, madid: MADID, idfv: IDFV },
      custom_data: { content_ids: ['SKU-9'], num_items: 1, contents: [{ id: 'SKU-9', quantity: 1 }] },
      app_data: {
        app_id: 'com.example.shop',
        advertiser_tracking_enabled: 1,
        extinfo: [
          'i2',
          'com.example.shop',
          '2.3.1',
          '231',
          '17.5',
          'iPhone15,2',
          'en-GB',
          'UTC',
          'EE',
          '390',
          '844',
          '3',
          '',
          '',
          '',
          'UTC',
        ],
      },
    },
    v2: {
      snap_app_id: app,
      app_id: 'com.example.shop',
      event_type: 'VIEW_CONTENT',
      event_conversion_type: 'MOBILE_APP',
      timestamp: v2Time(38),
      client_dedup_id: id('app'),
      hashed_ip_address: H.ip,
      user_agent: APP_UA,
      hashed_mobile_ad_id: sha256(MADID),
      hashed_idfv: sha256(IDFV),
      item_ids: 'SKU-9',
      number_items: '1',
    },
  });

  // Limited data use, asked for by the message's consent context. v2 has no field for it.
  const signup = 'https://shop.example.com/signup';
  add({
    id: id('ldu'),
    message: {
      type: 'track',
      event: 'Signed Up',
      anonymousId: 'a-84',
      timestamp: at(39),
      properties: { method: 'sms' },
      context: web(signup, {
        traits: { email: '  Test123@Gmail.com ' },
        consent: { categoryPreferences: { advertising: true, limited_data_use: true } },
      }),
    },
    outcome: 'delivered',
    v3: v3Web(id('ldu'), 'SIGN_UP', 39, signup, {
      userBefore: { em: [H.emTest123] },
      rest: {
        custom_data: { sign_up_method: 'sms' },
        data_processing_options: ['LDU'],
        data_processing_options_country: 0,
        data_processing_options_state: 0,
      },
    }),
    v2: v2Web(pixel, id('ldu'), 'SIGN_UP', 39, signup, {
      before: { hashed_email: H.emTest123 },
      after: { sign_up_method: 'sms' },
    }),
  });

  return families.map((family) => ({ ...family, message: { ...family.message, messageId: family.id } }));
}

/**
 * Families sent by a server-side caller: the collector does not take a backend's own IP and user
 * agent for its customer's, so only what the message carries identifies anyone.
 */
function serverFamilies(prefix: string, pixel: string): Family[] {
  const id = (name: string) => `${prefix}-${name}`;
  return [
    {
      id: id('no-identifiers'),
      message: {
        type: 'track',
        event: 'Signed In',
        userId: 'srv-1',
        timestamp: at(40),
        context: { page: { url: 'https://shop.example.com/login' } },
      },
      outcome: {
        status: 'failed',
        reason: 'insufficient_identifiers: Snapchat needs an email, a phone, a mobile ad id, or both IP address and user agent',
      },
    },
    {
      id: id('offline'),
      message: {
        type: 'track',
        event: 'Order Completed',
        userId: 'srv-2',
        timestamp: at(41),
        properties: { order_id: 'POS-1', revenue: 25, currency: 'usd' },
        context: { actionSource: 'OFFLINE', traits: { email: 'Jane.Doe@Example.com', phone: '+44 7700 900123' } },
      },
      outcome: 'delivered',
      v3: {
        event_name: 'PURCHASE',
        action_source: 'OFFLINE',
        event_time: v3Time(41),
        event_id: id('offline'),
        user_data: { em: [H.emJane], ph: [H.phJane], external_id: [sha256('srv-2')] },
        custom_data: { currency: 'USD', value: 25, order_id: 'POS-1' },
      },
      v2: {
        pixel_id: pixel,
        event_type: 'PURCHASE',
        event_conversion_type: 'OFFLINE',
        timestamp: v2Time(41),
        client_dedup_id: id('offline'),
        hashed_email: H.emJane,
        hashed_phone_number: H.phJane,
        transaction_id: 'POS-1',
        price: '25',
        currency: 'USD',
      },
    },
  ].map((family) => ({ ...family, message: { ...family.message, messageId: family.id } })) as Family[];
}

let mock: SnapchatMock;
let collector: TestCollector;

beforeAll(async () => {
  // A strict mock: each token may send only for its own pixel and Snap app.
  mock = await startSnapchatMock({ tokens: { [TOKEN_V3]: [PIXEL_V3, APP_V3], [TOKEN_V2]: [PIXEL_V2, APP_V2] } });
  collector = await startTestCollector(['--snapchat-url', mock.url]);
});
afterAll(async () => {
  await collector?.stopAndClean();
  await mock?.close();
});

/** Sends every family of one integration through the HTTP API and waits until each is settled. */
async function runFamilies(apiVersion: 'v3' | 'v2') {
  const pixel = apiVersion === 'v3' ? PIXEL_V3 : PIXEL_V2;
  const app = apiVersion === 'v3' ? APP_V3 : APP_V2;
  const integration = await createIntegration(collector, `Snapchat ${apiVersion}`, configFor(apiVersion));
  const browser = browserFamilies(apiVersion, pixel, app);
  const server = serverFamilies(apiVersion, pixel);
  await postBatch(
    collector,
    integration.writeKey,
    browser.map((family) => family.message),
  );
  await postBatch(
    collector,
    integration.writeKey,
    server.map((family) => family.message),
  );
  const families = [...browser, ...server];
  const events = await settledEvents(collector, integration.sourceId, families.length);
  return { families, events, pixel, app };
}

/** Checks the delivery status and reason of every family, and that identify made no delivery. */
function expectOutcomes(families: Family[], events: Awaited<ReturnType<typeof settledEvents>>): void {
  for (const family of families) {
    if (family.message.type === 'identify') {
      expect(events.get(family.id)?.deliveries).toEqual([]);
      continue;
    }
    const delivery = deliveryOf(events, family.id);
    if (family.outcome === 'delivered') {
      expect({ id: family.id, status: delivery.status, reason: delivery.reason }).toEqual({
        id: family.id,
        status: 'delivered',
        reason: null,
      });
    } else {
      expect({ id: family.id, status: delivery.status }).toEqual({ id: family.id, status: family.outcome.status });
      expect(delivery.reason).toContain(family.outcome.reason);
      expect(delivery.payload).toBeNull();
    }
  }
}

function requestsFor(route: 'v3.send' | 'v2.send', assetId: string): MockRequest[] {
  return mock.requests().filter((request) => request.route === route && request.assetId === assetId);
}

describe('Snapchat delivery through the HTTP API, v3', () => {
  test('sends one message of each event family exactly as Snapchat wants it, and explains every event not sent', async () => {
    const { families, events, pixel, app } = await runFamilies('v3');
    expectOutcomes(families, events);

    for (const [assetId, asset] of [
      [pixel, 'pixel'],
      [app, 'app'],
    ] as const) {
      const requests = requestsFor('v3.send', assetId);
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request.method).toBe('POST');
        expect(request.path).toBe(`/v3/${assetId}/events`);
        expect(request.query).toEqual({ access_token: TOKEN_V3 });
        expect(request.headers.authorization).toBeUndefined();
        expect(request.headers['content-type']).toBe('application/json');
        expect(Object.keys(request.body as object)).toEqual(['data']);
        expect(request.response).toEqual({
          status: 200,
          headers: expect.any(Object),
          body: { status: 'VALID', reason: MOCK_SUCCESS_REASON },
        });
      }
      const received = receivedEvents(requests);
      const expected = families.filter((family) => family.v3 !== undefined && (family.asset ?? 'pixel') === asset);
      expect([...received.keys()].sort()).toEqual(expected.map((family) => family.id).sort());
      for (const family of expected) {
        expectExactly(received.get(family.id), family.v3);
        // The debugger shows the payload as sent, with the token masked in the URL.
        const delivery = deliveryOf(events, family.id);
        expectExactly(delivery.payload, { url: `${mock.url}/v3/${assetId}/events?access_token=***`, event: family.v3 });
        expect(delivery.response).toEqual({ status: 200, body: { status: 'VALID', reason: MOCK_SUCCESS_REASON } });
      }
    }
    // Nothing went anywhere else: no v2 request, no other asset.
    expect(
      mock
        .requests()
        .filter((request) => request.query.access_token === TOKEN_V3)
        .map((request) => request.route),
    ).not.toContain('v2.send');
  });
});

describe('Snapchat delivery through the HTTP API, v2', () => {
  test('sends the same families in the flat v2 shape with a Bearer token, from the same normalisation', async () => {
    const { families, events, pixel, app } = await runFamilies('v2');
    expectOutcomes(families, events);

    for (const [assetId, asset] of [
      [pixel, 'pixel'],
      [app, 'app'],
    ] as const) {
      const requests = requestsFor('v2.send', assetId);
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request.method).toBe('POST');
        expect(request.path).toBe('/v2/conversion');
        expect(request.query).toEqual({});
        expect(request.headers.authorization).toBe(`Bearer ${TOKEN_V2}`);
        expect(request.headers['content-type']).toBe('application/json');
        expect(Array.isArray(request.body)).toBe(true);
        expect(request.response).toEqual({
          status: 200,
          headers: expect.any(Object),
          body: { status: 'SUCCESS', reason: MOCK_SUCCESS_REASON, error_records: [] },
        });
      }
      const received = receivedEvents(requests);
      const expected = families.filter((family) => family.v2 !== undefined && (family.asset ?? 'pixel') === asset);
      expect([...received.keys()].sort()).toEqual(expected.map((family) => family.id).sort());
      for (const family of expected) {
        expectExactly(received.get(family.id), family.v2);
        const delivery = deliveryOf(events, family.id);
        expectExactly(delivery.payload, { url: `${mock.url}/v2/conversion`, event: family.v2 });
      }
    }
  });
});
