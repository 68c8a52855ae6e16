import { describe, expect, test } from 'vitest';
import type { SnapchatConfig } from './config.js';
import { buildSendRequest, buildValidationReportRequest, MAX_EVENTS_PER_REQUEST, maskAccessToken } from './request.js';
import type { SnapV3Event } from './v3-event.js';

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const SNAP_APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const CONFIG: SnapchatConfig = { pixel_id: PIXEL, access_token: 'tok/en+1', snap_app_id: SNAP_APP };

function event(overrides: Partial<SnapV3Event> = {}): SnapV3Event {
  return {
    event_name: 'PAGE_VIEW',
    action_source: 'WEB',
    event_time: 1748859330,
    event_id: 'msg-1',
    event_source_url: 'https://x.example/',
    user_data: { client_ip_address: '203.0.113.7', client_user_agent: 'UA' },
    ...overrides,
  };
}

describe('buildSendRequest: v3', () => {
  test('posts {"data":[…]} to the pixel with the encoded token in the query', () => {
    const request = buildSendRequest('https://tr.snapchat.com/', CONFIG, [event(), event({ event_id: 'msg-2' })]);
    expect(request).toEqual({
      method: 'POST',
      url: `https://tr.snapchat.com/v3/${PIXEL}/events?access_token=tok%2Fen%2B1`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: [event(), event({ event_id: 'msg-2' })] }),
      eventJsons: [JSON.stringify(event()), JSON.stringify(event({ event_id: 'msg-2' }))],
    });
  });

  test('posts to the validate endpoint and marks each event as a test event', () => {
    const request = buildSendRequest('http://127.0.0.1:9090/snapchat-mock', CONFIG, [event()], {
      validate: true,
      testEventCode: 'TEST42',
    });
    expect(request.url).toBe(`http://127.0.0.1:9090/snapchat-mock/v3/${PIXEL}/events/validate?access_token=tok%2Fen%2B1`);
    expect(request.body).toBe(JSON.stringify({ data: [{ ...event(), test_event_code: 'TEST42' }] }));
    // Each event in the body carries the test code, unlike the event as built: no texts to record.
    expect(request.eventJsons).toBeUndefined();
  });

  test('sends app events to the Snap App ID', () => {
    const request = buildSendRequest('https://tr.snapchat.com', CONFIG, [event({ action_source: 'MOBILE_APP' })]);
    expect(request.url).toBe(`https://tr.snapchat.com/v3/${SNAP_APP}/events?access_token=tok%2Fen%2B1`);
  });

  test('sends OFFLINE events to the pixel', () => {
    const request = buildSendRequest('https://tr.snapchat.com', CONFIG, [event({ action_source: 'OFFLINE' }), event()]);
    expect(request.url).toBe(`https://tr.snapchat.com/v3/${PIXEL}/events?access_token=tok%2Fen%2B1`);
  });
});

describe('buildSendRequest: v2', () => {
  const v2: SnapchatConfig = { ...CONFIG, api_version: 'v2' };

  test('posts an array to /v2/conversion with a Bearer token and no token in the URL', () => {
    const request = buildSendRequest('https://tr.snapchat.com', v2, [event()]);
    expect(request.url).toBe('https://tr.snapchat.com/v2/conversion');
    expect(request.headers).toEqual({ 'Content-Type': 'application/json', Authorization: 'Bearer tok/en+1' });
    expect(JSON.parse(request.body)).toHaveLength(1);
  });

  test('posts to /v2/conversion/validate', () => {
    expect(buildSendRequest('https://tr.snapchat.com', v2, [event()], { validate: true }).url).toBe(
      'https://tr.snapchat.com/v2/conversion/validate',
    );
  });
});

describe('buildSendRequest: batches it refuses', () => {
  test('refuses an empty batch', () => {
    expect(() => buildSendRequest('https://tr.snapchat.com', CONFIG, [])).toThrow(RangeError);
  });

  test('refuses more than 2000 events', () => {
    const events = Array.from({ length: MAX_EVENTS_PER_REQUEST + 1 }, () => event());
    expect(() => buildSendRequest('https://tr.snapchat.com', CONFIG, events)).toThrow('at most 2000 events, got 2001');
    expect(() => buildSendRequest('https://tr.snapchat.com', CONFIG, events.slice(1))).not.toThrow();
  });

  test('refuses events of two assets in one request', () => {
    expect(() => buildSendRequest('https://tr.snapchat.com', CONFIG, [event(), event({ action_source: 'MOBILE_APP' })])).toThrow(
      'share one asset',
    );
  });
});

describe('maskAccessToken', () => {
  test.each([
    ['https://tr.snapchat.com/v3/p/events?access_token=secret', 'https://tr.snapchat.com/v3/p/events?access_token=***'],
    ['https://h/v3/p/events/validate?x=1&access_token=s3cr3t&y=2', 'https://h/v3/p/events/validate?x=1&access_token=***&y=2'],
    ['https://h/p?ACCESS_TOKEN=secret#frag', 'https://h/p?ACCESS_TOKEN=***#frag'],
    ['https://h/p?access_token=', 'https://h/p?access_token=***'],
    ['https://h/v2/conversion', 'https://h/v2/conversion'],
    ['https://h/p?my_access_token=keep', 'https://h/p?my_access_token=keep'],
  ])('masks %s as %s', (url, masked) => {
    expect(maskAccessToken(url)).toBe(masked);
  });
});

describe('buildValidationReportRequest', () => {
  test('reads v3 logs and stats of the pixel, or of another asset, with the token in the query', () => {
    expect(buildValidationReportRequest('https://tr.snapchat.com/', CONFIG, 'logs')).toEqual({
      method: 'GET',
      url: `https://tr.snapchat.com/v3/${PIXEL}/events/validate/logs?access_token=tok%2Fen%2B1`,
      headers: {},
    });
    expect(buildValidationReportRequest('https://tr.snapchat.com', CONFIG, 'stats', SNAP_APP).url).toBe(
      `https://tr.snapchat.com/v3/${SNAP_APP}/events/validate/stats?access_token=tok%2Fen%2B1`,
    );
  });

  test('reads v2 logs and stats with the asset in the query and a Bearer token', () => {
    expect(buildValidationReportRequest('https://tr.snapchat.com', { ...CONFIG, api_version: 'v2' }, 'stats')).toEqual({
      method: 'GET',
      url: `https://tr.snapchat.com/v2/conversion/validate/stats?asset_id=${PIXEL}`,
      headers: { Authorization: 'Bearer tok/en+1' },
    });
  });
});
