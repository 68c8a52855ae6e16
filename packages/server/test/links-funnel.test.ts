import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAN_IP,
  FAN_UA,
  createLink,
  follow,
  json,
  mockEvents,
  mockRequests,
  postback,
  postbackKey,
  settled,
  sourceWithPixel,
  storedEvents,
} from './link-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

/** An ISO time as the whole Unix seconds of Snapchat's event_time. */
const toSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

// A fan swipes up on a Snap ad, lands on the offer through a smart link, subscribes, buys twice
// and sends three messages; the offer network reports each step with a postback.

let collector: TestCollector;
beforeAll(async () => {
  // The tests play a reverse proxy that forwards the fan's address.
  collector = await startTestCollector(['--trust-proxy', '1']);
});
afterAll(() => collector.stopAndClean());

describe('the smart-link funnel against the Snapchat mock', () => {
  it("sends the click, subscriber, first and repeat purchase and the 3-message milestone, each once, with the click's identifiers", async () => {
    const { sourceId, integrationId, pixelId } = await sourceWithPixel(collector, 'Creator');
    const key = await postbackKey(collector, sourceId);
    const link = await createLink(collector, {
      name: 'Snap spring campaign',
      destination_url: 'https://offer.example/creator?aff=42',
      offer_type: 'free_trial',
      integrations: [integrationId],
    });
    expect(link.url).toBe(`${collector.url}/go/${link.id}`);

    // The click.
    const click = await follow(`${link.url}?ScCid=sc-funnel-1&utm_source=snap`, { referer: 'https://www.snapchat.com/' });
    expect(click.status).toBe(302);
    const clickId = click.clickId!;
    expect(clickId).toMatch(/^[A-Za-z0-9]{16}$/);
    const destination = `https://offer.example/creator?aff=42&ScCid=sc-funnel-1&utm_source=snap&df_click_id=${clickId}`;
    expect(click.location).toBe(destination);

    // The conversions, in the order the offer network reports them.
    const base = { key, click_id: clickId };
    const subscribed = await postback(collector, { ...base, event: 'subscribe', value: '9.99', currency: 'usd', txid: 'sub-1' });
    const first = await postback(collector, { ...base, event: 'purchase', value: '20', currency: 'USD', txid: 'tip-1' });
    const repeat = await postback(collector, { ...base, event: 'purchase', value: '5.50', currency: 'USD', txid: 'ppv-2' });
    const messages = [];
    for (const txid of ['msg-1', 'msg-2', 'msg-3']) messages.push(await postback(collector, { ...base, event: 'message', txid }));

    expect(subscribed.status).toBe(200);
    expect(subscribed.body).toEqual({
      success: true,
      duplicate: false,
      conversion: {
        id: expect.any(Number),
        click_id: clickId,
        link_id: link.id,
        txid: 'sub-1',
        event: 'subscribe',
        value: 9.99,
        currency: 'USD',
        within_window: true,
        received_at: expect.any(String),
      },
      events: [
        {
          event: 'new_subscriber',
          name: 'New Subscriber',
          snapchat_event: 'SIGN_UP',
          message_id: 'pb:sub-1',
          deliveries: [{ integration_id: integrationId, status: 'pending', reason_code: null, reason: null }],
        },
      ],
    });
    expect(first.body.events.map((e: any) => [e.event, e.snapchat_event, e.message_id])).toEqual([
      ['first_purchase', 'PURCHASE', 'pb:tip-1'],
    ]);
    expect(repeat.body.events.map((e: any) => [e.event, e.snapchat_event, e.message_id])).toEqual([
      ['repeat_purchase', 'PURCHASE', 'pb:ppv-2'],
    ]);
    expect(
      messages.map((m) => m.body.events.map((e: any) => [e.event, e.snapchat_event, e.message_id, e.deliveries[0].status])),
    ).toEqual([
      [['message_received', null, 'pb:msg-1', 'skipped']],
      [['message_received', null, 'pb:msg-2', 'skipped']],
      [
        ['message_received', null, 'pb:msg-3', 'skipped'],
        ['fan_sent_3_messages', 'LEVEL_COMPLETE', `msg3:${clickId}`, 'pending'],
      ],
    ]);

    await settled(collector);
    const received = await mockEvents(collector, pixelId);
    expect(received).toHaveLength(5);
    const byId = new Map(received.map((e) => [e.event.event_id, e.event]));
    const clickTime = toSeconds((await json(await collector.admin(`/v1/admin/links/${link.id}/clicks/${clickId}`))).created_at);
    const timeOf = (response: { body: any }) => toSeconds(response.body.conversion.received_at);
    const user = { client_ip_address: FAN_IP, client_user_agent: FAN_UA, sc_click_id: 'sc-funnel-1' };

    expect(byId.get(`click:${clickId}`)).toEqual({
      event_name: 'VIEW_CONTENT',
      action_source: 'WEB',
      event_time: clickTime,
      event_id: `click:${clickId}`,
      event_source_url: `${link.url}?ScCid=sc-funnel-1&utm_source=snap`,
      user_data: user,
    });
    expect(byId.get('pb:sub-1')).toEqual({
      event_name: 'SIGN_UP',
      action_source: 'WEB',
      event_time: timeOf(subscribed),
      event_id: 'pb:sub-1',
      event_source_url: destination,
      user_data: user,
      custom_data: { currency: 'USD', value: 9.99, order_id: 'sub-1' },
    });
    expect(byId.get('pb:tip-1')).toEqual({
      event_name: 'PURCHASE',
      action_source: 'WEB',
      event_time: timeOf(first),
      event_id: 'pb:tip-1',
      event_source_url: destination,
      user_data: user,
      custom_data: { currency: 'USD', value: 20, order_id: 'tip-1' },
    });
    expect(byId.get('pb:ppv-2')).toEqual({
      event_name: 'PURCHASE',
      action_source: 'WEB',
      event_time: timeOf(repeat),
      event_id: 'pb:ppv-2',
      event_source_url: destination,
      user_data: user,
      custom_data: { currency: 'USD', value: 5.5, order_id: 'ppv-2' },
    });
    expect(byId.get(`msg3:${clickId}`)).toEqual({
      event_name: 'LEVEL_COMPLETE',
      action_source: 'WEB',
      event_time: timeOf(messages[2]!),
      event_id: `msg3:${clickId}`,
      event_source_url: destination,
      user_data: user,
    });

    // Each event went in a request to this pixel's v3 endpoint, and no event went twice.
    const requests = await mockRequests(collector, pixelId);
    const sentIds = requests.flatMap((r) => r.body.data.map((event) => event.event_id));
    expect(sentIds.sort()).toEqual([`click:${clickId}`, `msg3:${clickId}`, 'pb:ppv-2', 'pb:sub-1', 'pb:tip-1']);
    expect(requests.every((r) => r.path === `/v3/${pixelId}/events`)).toBe(true);

    // Messages are stored and visible in the debugger, not sent, because the link maps them to nothing.
    const stored = await storedEvents(collector, sourceId);
    expect(stored.get('pb:msg-1').deliveries.map((d: any) => [d.status, d.reason])).toEqual([
      ['skipped', 'disabled: the link sends no Snapchat event for message_received'],
    ]);
    expect(stored.get(`click:${clickId}`).message).toMatchObject({
      type: 'track',
      event: 'Smart Link Click',
      anonymousId: clickId,
      properties: { link_id: link.id, link_name: 'Snap spring campaign', offer_type: 'free_trial', click_id: clickId },
      context: {
        consent: { categoryPreferences: { advertising: true } },
        snapchat: { clickId: 'sc-funnel-1', eventName: 'VIEW_CONTENT' },
      },
    });

    // The link's stats and the click's lifetime revenue.
    const stats = await json(await collector.admin(`/v1/admin/links/${link.id}/stats`));
    const totals = {
      clicks: 1,
      subscribers: 1,
      purchases: 2,
      renewals: 0,
      messages: 3,
      revenue: { USD: 35.49 },
      revenue_outside_window: {},
    };
    expect(stats).toEqual({
      link_id: link.id,
      from: null,
      to: null,
      totals,
      days: [{ date: new Date().toISOString().slice(0, 10), ...totals }],
    });
    const clickDetail = await json(await collector.admin(`/v1/admin/links/${link.id}/clicks/${clickId}`));
    expect(clickDetail).toMatchObject({
      subscribed: true,
      purchases: 2,
      messages: 3,
      revenue: { USD: 35.49 },
      sc_click_id: 'sc-funnel-1',
    });
    expect(clickDetail.conversions.map((c: any) => c.txid)).toEqual(['sub-1', 'tip-1', 'ppv-2', 'msg-1', 'msg-2', 'msg-3']);
  });
});
