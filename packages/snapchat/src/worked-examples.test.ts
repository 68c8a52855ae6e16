import type { EnrichedMessage } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import { toSnapEvent } from './build-event.js';
import type { SnapchatConfig } from './config.js';
import { buildSendRequest } from './request.js';

// The worked examples of docs/snapchat-capi.md §7, byte for byte. Expected bodies are the spec's JSON
// with its layout whitespace removed (parse + stringify keeps key order and every value), except
// the time: v3 event_time is whole seconds (§3), and v2 carries those seconds as ms (§4).

const NOW = new Date('2025-06-02T12:00:00Z');
const BASE_URL = 'https://tr.snapchat.com';
const P = 'https://tr.snapchat.com/v3/6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a/events?access_token=demo-token';
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CONFIG: SnapchatConfig = { pixel_id: '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a', access_token: 'demo-token' };

/** A §7 input as stored: the page's message with the collector's receivedAt and the full UA. */
function stored(json: string): EnrichedMessage {
  const message = JSON.parse(json.replaceAll('"UA"', JSON.stringify(UA))) as EnrichedMessage;
  return { ...message, receivedAt: message.timestamp };
}

function compact(json: string): string {
  return JSON.stringify(JSON.parse(json.replaceAll('"UA"', JSON.stringify(UA))));
}

function requestFor(message: EnrichedMessage, config: SnapchatConfig) {
  const built = toSnapEvent(message, config, { now: NOW });
  if (!built.ok) throw new Error(`not built: ${built.reason}: ${built.detail}`);
  return buildSendRequest(BASE_URL, config, [built.event]);
}

const PAGE_VIEW_AFTER_AD_CLICK = stored(`
{"type":"page","name":"Home","anonymousId":"a-77","messageId":"msg-pv-1","timestamp":"2025-06-02T10:15:30.123Z",
 "context":{"page":{"url":"https://shop.example.com/?ScCid=cid-9d2b1c64"},"userAgent":"UA","ip":"203.0.113.7",
  "snapchat":{"clickId":"cid-9d2b1c64","cookie1":"scid-0f6b3c9e"}}}`);

const PURCHASE_BY_IDENTIFIED_USER = stored(`
{"type":"track","event":"Order Completed","userId":"user1234","messageId":"msg-buy-1","timestamp":"2025-06-02T10:21:04.500Z",
 "properties":{"order_id":"ORD-1001","revenue":59.97,"currency":"gbp","products":[
   {"product_id":"SKU-1","price":19.99,"quantity":2,"brand":"Acme"},{"product_id":"SKU-2","price":19.99,"quantity":1}]},
 "context":{"page":{"url":"https://shop.example.com/thanks"},"userAgent":"UA","ip":"203.0.113.7",
  "traits":{"email":"  Test123@Gmail.com ","phone":"+44 844 412 4653","firstName":"Tester","lastName":"McTest"},
  "snapchat":{"clickId":"cid-9d2b1c64","cookie1":"scid-0f6b3c9e"}}}`);

const SIGN_UP_WITH_PHONE_ONLY = stored(`
{"type":"track","event":"Signed Up","anonymousId":"srv-7781","messageId":"msg-signup-1","timestamp":"2025-06-02T11:02:00.000Z",
 "properties":{"method":"sms"},"context":{"page":{"url":"https://shop.example.com/signup"},"traits":{"phone":"07700 900123"}}}`);

describe('§7.1 v3 page view after a Snap ad click', () => {
  test('posts the exact body to the pixel endpoint with the token in the query', () => {
    const request = requestFor(PAGE_VIEW_AFTER_AD_CLICK, CONFIG);
    expect(request.method).toBe('POST');
    expect(request.url).toBe(P);
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(request.body).toBe(
      compact(`{"data":[{"event_name":"PAGE_VIEW","action_source":"WEB","event_time":1748859330,"event_id":"msg-pv-1",
  "event_source_url":"https://shop.example.com/?ScCid=cid-9d2b1c64",
  "user_data":{"client_ip_address":"203.0.113.7","client_user_agent":"UA","sc_click_id":"cid-9d2b1c64","sc_cookie1":"scid-0f6b3c9e"}}]}`),
    );
  });
});

describe('§7.2 v3 purchase with products and an identified user', () => {
  test('posts hashed PII, raw network ids and the purchase details in the documented order', () => {
    const request = requestFor(PURCHASE_BY_IDENTIFIED_USER, CONFIG);
    expect(request.url).toBe(P);
    expect(request.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(request.body).toBe(
      compact(`{"data":[{"event_name":"PURCHASE","action_source":"WEB","event_time":1748859664,"event_id":"msg-buy-1",
  "event_source_url":"https://shop.example.com/thanks",
  "user_data":{"em":["cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9"],
    "ph":["dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383"],
    "fn":"9bba5c53a0545e0c80184b946153c9f58387e3bd1d4ee35740f29ac2e718b019",
    "ln":"e3e7202354c1f3855b999e4539d3d44bf084154a43025842ee317e4ffc5502c0",
    "external_id":["831c237928e6212bedaa4451a514ace3174562f6761f6a157a2fe5082b36e2fb"],
    "client_ip_address":"203.0.113.7","client_user_agent":"UA","sc_click_id":"cid-9d2b1c64","sc_cookie1":"scid-0f6b3c9e"},
  "custom_data":{"currency":"GBP","value":59.97,"order_id":"ORD-1001","content_ids":["SKU-1","SKU-2"],"num_items":3,
    "contents":[{"id":"SKU-1","quantity":2,"item_price":19.99,"brand":"Acme"},{"id":"SKU-2","quantity":1,"item_price":19.99}]}}]}`),
    );
  });
});

describe('§7.3 v3 sign-up with a phone only', () => {
  test('sends the phone with the default country GB as the only identifier', () => {
    const request = requestFor(SIGN_UP_WITH_PHONE_ONLY, { ...CONFIG, phone_default_country: 'GB' });
    expect(request.url).toBe(P);
    expect(request.body).toBe(
      compact(`{"data":[{"event_name":"SIGN_UP","action_source":"WEB","event_time":1748862120,"event_id":"msg-signup-1",
  "event_source_url":"https://shop.example.com/signup",
  "user_data":{"ph":["033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd"]},"custom_data":{"sign_up_method":"sms"}}]}`),
    );
  });

  test('is not sent without a default country, for want of any identifier', () => {
    const built = toSnapEvent(SIGN_UP_WITH_PHONE_ONLY, CONFIG, { now: NOW });
    expect(built).toEqual({
      ok: false,
      reason: 'insufficient_identifiers',
      detail:
        "Snapchat needs an email, a phone, a mobile ad id, or both IP address and user agent; a phone number without a country code needs the integration's phone_default_country",
    });
  });
});

describe('§7.4 v2: the 7.1 input with api_version v2', () => {
  test('posts a flat array of strings with a Bearer token and the hashed IP', () => {
    const request = requestFor(PAGE_VIEW_AFTER_AD_CLICK, { ...CONFIG, api_version: 'v2' });
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://tr.snapchat.com/v2/conversion');
    expect(request.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer demo-token' });
    expect(request.body).toBe(
      compact(`[{"pixel_id":"6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a","event_type":"PAGE_VIEW","event_conversion_type":"WEB",
  "timestamp":"1748859330000","client_dedup_id":"msg-pv-1","page_url":"https://shop.example.com/?ScCid=cid-9d2b1c64",
  "hashed_ip_address":"fec52565aa0cf18f57d7cf5b3ac728503b8992d2d6f7d46da1d1201090902b02","user_agent":"UA",
  "uuid_c1":"scid-0f6b3c9e","click_id":"cid-9d2b1c64"}]`),
    );
  });

  test('sends the 7.2 purchase with the transaction fields and the 7.2 digests', () => {
    const request = requestFor(PURCHASE_BY_IDENTIFIED_USER, { ...CONFIG, api_version: 'v2' });
    expect(request.url).toBe('https://tr.snapchat.com/v2/conversion');
    expect(request.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer demo-token' });
    expect(request.body).toBe(
      compact(`[{"pixel_id":"6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a","event_type":"PURCHASE","event_conversion_type":"WEB",
  "timestamp":"1748859664000","client_dedup_id":"msg-buy-1","page_url":"https://shop.example.com/thanks",
  "hashed_email":"cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9",
  "hashed_phone_number":"dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383",
  "hashed_first_name_sha":"9bba5c53a0545e0c80184b946153c9f58387e3bd1d4ee35740f29ac2e718b019",
  "hashed_last_name_sha":"e3e7202354c1f3855b999e4539d3d44bf084154a43025842ee317e4ffc5502c0",
  "hashed_ip_address":"fec52565aa0cf18f57d7cf5b3ac728503b8992d2d6f7d46da1d1201090902b02","user_agent":"UA",
  "uuid_c1":"scid-0f6b3c9e","click_id":"cid-9d2b1c64",
  "transaction_id":"ORD-1001","price":"59.97","currency":"GBP","item_ids":"SKU-1;SKU-2","number_items":"3"}]`),
    );
  });
});
