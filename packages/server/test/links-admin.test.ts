import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPixel, createLink, follow, json, mockEvents, postback, postbackKey, sourceWithPixel } from './link-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  // Some tests play a reverse proxy in front of the collector.
  collector = await startTestCollector(['--trust-proxy', '1']);
});
afterAll(() => collector.stopAndClean());

const post = (path: string, body: unknown) => collector.admin(path, { method: 'POST', body: JSON.stringify(body) });

describe('POST /v1/admin/links', () => {
  it('creates a link with the defaults of the Smart Links guide and answers its id and URL', async () => {
    const { sourceId, integrationId } = await sourceWithPixel(collector, 'defaults');
    const res = await post('/v1/admin/links', {
      name: 'Snap campaign',
      destination_url: 'https://offer.example/x',
      offer_type: 'tracking_link',
      integrations: [integrationId],
    });
    expect(res.status).toBe(201);
    const link = await json(res);
    expect(link).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9]{10}$/),
      url: `${collector.url}/go/${link.id}`,
      source_id: sourceId,
      name: 'Snap campaign',
      destination_url: 'https://offer.example/x',
      offer_type: 'tracking_link',
      integrations: [integrationId],
      include_source_integrations: true,
      click_id_param: 'df_click_id',
      conversion_window_days: 28,
      currency: null,
      events: {
        click: 'VIEW_CONTENT',
        new_subscriber: 'SIGN_UP',
        first_purchase: 'PURCHASE',
        repeat_purchase: 'PURCHASE',
        message_received: null,
        fan_sent_3_messages: 'LEVEL_COMPLETE',
      },
      archived: false,
      archived_at: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await json(await collector.admin(`/v1/admin/links/${link.id}`))).toEqual(link);
  });

  it('refuses a destination that is not an http(s) URL, so a link can never redirect anywhere else', async () => {
    const { integrationId } = await sourceWithPixel(collector, 'bad-destination');
    for (const [destination, error] of [
      ['javascript:alert(document.cookie)', 'destination_url: must be http or https, not javascript'],
      ['//evil.example/', 'destination_url: "//evil.example/" is not an absolute URL'],
      ['https://offer.example@evil.example/', 'destination_url: must not contain a user name or password'],
    ]) {
      const res = await post('/v1/admin/links', { name: 'x', destination_url: destination, integrations: [integrationId] });
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual({ error, errors: [error] });
    }
  });

  it('refuses unknown integrations, and a link with neither integrations nor a source', async () => {
    const unknown = await post('/v1/admin/links', {
      name: 'x',
      destination_url: 'https://o.example/',
      integrations: ['int_nope'],
    });
    expect(await json(unknown)).toEqual({
      error: 'integrations: no such integration int_nope',
      errors: ['integrations: no such integration int_nope'],
    });
    const orphan = await post('/v1/admin/links', { name: 'x', destination_url: 'https://o.example/' });
    expect(orphan.status).toBe(400);
    expect((await json(orphan)).errors).toEqual(['source_id: required when the link has no integrations']);
  });

  it('requires the admin token for links and postback keys', async () => {
    for (const path of ['/v1/admin/links', '/v1/admin/sources/src_x/postback-key']) {
      const res = await fetch(`${collector.adminUrl}${path}`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, path).toBe(401);
    }
  });
});

describe('managing links', () => {
  it("changes a link's event mapping, window and pixels with PATCH, and lists links with their totals", async () => {
    const { sourceId, integrationId } = await sourceWithPixel(collector, 'patch');
    const extra = await addPixel(collector, sourceId, 'second pixel');
    const link = await createLink(collector, {
      name: 'patch',
      destination_url: 'https://offer.example/',
      integrations: [integrationId],
    });
    const res = await collector.admin(`/v1/admin/links/${link.id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        events: { message_received: 'CUSTOM_EVENT_1', click: null },
        conversion_window_days: 7,
        integrations: [extra.integrationId],
      }),
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      conversion_window_days: 7,
      integrations: [extra.integrationId],
      events: { click: null, message_received: 'CUSTOM_EVENT_1', new_subscriber: 'SIGN_UP' },
    });
    const bad = await collector.admin(`/v1/admin/links/${link.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ events: { click: 'CLICK' } }),
    });
    expect(bad.status).toBe(400);

    await follow(link.url);
    const { links } = await json(await collector.admin(`/v1/admin/links?source_id=${sourceId}`));
    expect(links.map((l: any) => [l.id, l.totals.clicks])).toEqual([[link.id, 1]]);
  });

  it('answers stats for a date range, and refuses a malformed date', async () => {
    const { integrationId, sourceId } = await sourceWithPixel(collector, 'range');
    const key = await postbackKey(collector, sourceId);
    const link = await createLink(collector, {
      name: 'range',
      destination_url: 'https://offer.example/',
      integrations: [integrationId],
    });
    const { clickId } = await follow(link.url);
    await postback(collector, { key, click_id: clickId!, event: 'subscribe', value: '4.99', currency: 'USD', txid: 'range-sub' });
    const today = new Date().toISOString().slice(0, 10);
    const inRange = await json(await collector.admin(`/v1/admin/links/${link.id}/stats?from=${today}&to=${today}`));
    expect(inRange.days).toEqual([
      {
        date: today,
        clicks: 1,
        subscribers: 1,
        purchases: 0,
        renewals: 0,
        messages: 0,
        revenue: { USD: 4.99 },
        revenue_outside_window: {},
      },
    ]);
    const before = await json(await collector.admin(`/v1/admin/links/${link.id}/stats?to=2020-01-01`));
    expect(before.totals.clicks).toBe(0);
    const bad = await collector.admin(`/v1/admin/links/${link.id}/stats?from=yesterday`);
    expect(bad.status).toBe(400);
    expect((await collector.admin('/v1/admin/links/NoSuchLink/stats')).status).toBe(404);
  });
});

describe('send test event', () => {
  it("sends the chosen event as the link would to each of its pixels, through Snapchat's validation endpoint", async () => {
    const { sourceId, integrationId, pixelId } = await sourceWithPixel(collector, 'test-event');
    const second = await addPixel(collector, sourceId, 'test-event second');
    const link = await createLink(collector, {
      name: 'test event',
      destination_url: 'https://offer.example/t',
      integrations: [integrationId, second.integrationId],
      currency: 'GBP',
    });
    const res = await post(`/v1/admin/links/${link.id}/test`, { event: 'first_purchase', value: 12, sc_click_id: 'sc-test' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ link_id: link.id, event: 'first_purchase', snapchat_event: 'PURCHASE' });
    expect(body.results.map((r: any) => [r.integration_id, r.pixel_id, r.response.status, r.outcome.kind])).toEqual([
      [integrationId, pixelId, 200, 'delivered'],
      [second.integrationId, second.pixelId, 200, 'delivered'],
    ]);
    expect(body.results[0].request.url.startsWith(`${collector.snapchatApiUrl}/v3/${pixelId}/events/validate?`)).toBe(true);
    expect(body.results[0].request.url).not.toContain(`token-${pixelId.slice(0, 8)}`);

    const [test] = await mockEvents(collector, pixelId, true);
    expect(test!.event).toEqual({
      event_name: 'PURCHASE',
      action_source: 'WEB',
      event_time: expect.any(Number),
      event_id: expect.stringMatching(/^test-/),
      event_source_url: 'https://offer.example/t',
      user_data: {
        client_ip_address: '203.0.113.7',
        client_user_agent: 'Mozilla/5.0 (Datafirst test event)',
        sc_click_id: 'sc-test',
      },
      custom_data: { currency: 'GBP', value: 12 },
    });
    expect(await mockEvents(collector, pixelId)).toEqual([]); // nothing live, nothing counted
  });

  it('refuses to test an event the link turned off, or a link without pixels', async () => {
    const { integrationId, sourceId } = await sourceWithPixel(collector, 'test-off');
    const link = await createLink(collector, {
      name: 'off',
      destination_url: 'https://offer.example/',
      integrations: [integrationId],
    });
    const off = await post(`/v1/admin/links/${link.id}/test`, { event: 'message_received' });
    expect((await json(off)).errors).toEqual([
      'event: the link sends no Snapchat event for message_received; map it to one first',
    ]);
    const bare = await createLink(collector, {
      name: 'bare',
      destination_url: 'https://offer.example/',
      source_id: sourceId,
      include_source_integrations: false,
    });
    const none = await post(`/v1/admin/links/${bare.id}/test`, {});
    expect(none.status).toBe(400);
    expect((await json(none)).errors).toEqual(['integrations: the link sends to no pixel; attach an enabled integration first']);
  });
});
