import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addPixel,
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

const DAY_MS = 24 * 60 * 60 * 1000;

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(() => collector.stopAndClean());

/** A source with a pixel, its postback key, a link to that pixel, and one click on it. */
async function clickedLink(name: string, linkSettings: Record<string, unknown> = {}) {
  const pixel = await sourceWithPixel(collector, name);
  const key = await postbackKey(collector, pixel.sourceId);
  const link = await createLink(collector, {
    name,
    destination_url: 'https://offer.example/',
    integrations: [pixel.integrationId],
    ...linkSettings,
  });
  const { clickId } = await follow(`${link.url}?ScCid=sc-${name}`);
  return { ...pixel, key, link, clickId: clickId! };
}

/** Moves a click back in time, as if the fan had clicked `days` days ago. */
function ageClick(clickId: string, days: number): void {
  const db = new Database(collector.dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE link_clicks SET created_at = created_at - ? WHERE id = ?').run(days * DAY_MS, clickId);
  } finally {
    db.close();
  }
}

describe('postback authentication', () => {
  it('refuses a postback without a key, or with a wrong one, with 401 and records nothing', async () => {
    const { link, clickId, key } = await clickedLink('auth');
    const params = { click_id: clickId, event: 'purchase', value: '10', currency: 'USD', txid: 'auth-1' };
    expect(await postback(collector, params)).toEqual({
      status: 401,
      body: {
        success: false,
        error: 'missing postback key: send it as ?key=, a key field in the body, or an X-Postback-Key header',
      },
    });
    expect(await postback(collector, { ...params, key: `${key}x` })).toEqual({
      status: 401,
      body: { success: false, error: 'invalid postback key' },
    });
    const stats = await json(await collector.admin(`/v1/admin/links/${link.id}/stats`));
    expect(stats.totals.purchases).toBe(0);
  });

  it('shows a postback key once, and only masked afterwards; rotating it retires the old one', async () => {
    const { sourceId, clickId, key } = await clickedLink('rotate');
    const shown = await json(await collector.admin(`/v1/admin/sources/${sourceId}/postback-key`));
    expect(shown).toEqual({ source_id: sourceId, postback_key: `pbk_****${key.slice(-4)}`, created_at: expect.any(String) });
    const rotated = await json(await collector.admin(`/v1/admin/sources/${sourceId}/postback-key`, { method: 'POST' }));
    expect(rotated).toMatchObject({
      source_id: sourceId,
      rotated: true,
      postback_key: expect.stringMatching(/^pbk_[A-Za-z0-9]{32}$/),
    });
    expect(rotated.postback_url).toBe(
      `${collector.url}/v1/postback?key=${rotated.postback_key}&click_id={click_id}&event={event}&value={value}&currency={currency}&txid={txid}`,
    );
    expect((await postback(collector, { key, click_id: clickId, event: 'message' })).status).toBe(401);
    expect((await postback(collector, { key: rotated.postback_key, click_id: clickId, event: 'message' })).status).toBe(200);
  });

  it('takes the key from an X-Postback-Key header and the parameters from a form body', async () => {
    const { clickId, key, pixelId } = await clickedLink('form');
    const res = await fetch(`${collector.url}/v1/postback`, {
      method: 'POST',
      headers: { 'x-postback-key': key, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ click_id: clickId, event: 'sale', value: '12.5', currency: 'EUR', txid: 'form-1' }),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => (await mockEvents(collector, pixelId)).find((e) => e.event.event_id === 'pb:form-1')?.event.custom_data)
      .toEqual({
        currency: 'EUR',
        value: 12.5,
        order_id: 'form-1',
      });
  });
});

describe('postback errors', () => {
  it("answers 404 with the reason for an unknown click, and for a click on another source's link", async () => {
    const mine = await clickedLink('mine');
    const theirs = await clickedLink('theirs');
    const reason = (id: string) => `unknown click_id "${id}": no click on this source's smart links has this id`;
    expect(await postback(collector, { key: mine.key, click_id: 'NoSuchClick12345', event: 'purchase' })).toEqual({
      status: 404,
      body: { success: false, error: reason('NoSuchClick12345') },
    });
    expect(await postback(collector, { key: mine.key, click_id: theirs.clickId, event: 'purchase' })).toEqual({
      status: 404,
      body: { success: false, error: reason(theirs.clickId) },
    });
  });

  it('answers 400 naming every bad parameter', async () => {
    const { key, clickId } = await clickedLink('bad-params');
    const { status, body } = await postback(collector, { key, click_id: clickId, event: 'refund', value: '1,50' });
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      'event: "refund" is not known; one of subscribe, subscriber, new_subscriber, subscription, sub, purchase, sale, tip, ppv, ' +
        'transaction, renewal, rebill, message, message_received',
      'value: "1,50" is not an amount; use digits and a decimal point, like 9.99',
    ]);
  });

  it('answers malformed JSON with 400 saying so, and no answer of it may be cached', async () => {
    const { key } = await clickedLink('bad-json');
    const res = await fetch(`${collector.url}/v1/postback?key=${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"click_id": ',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(((await res.json()) as { error: string }).error).toMatch(/^malformed JSON: /);
  });
});

describe('no double counting', () => {
  it('delivers a conversion reported twice with the same txid once, and counts its revenue once', async () => {
    const { key, clickId, link, pixelId } = await clickedLink('dup');
    const params = { key, click_id: clickId, event: 'purchase', value: '30', currency: 'USD', txid: 'dup-1' };
    const first = await postback(collector, params);
    const again = await postback(collector, { ...params, value: '31' });
    expect(first.body.duplicate).toBe(false);
    expect(again).toEqual({
      status: 200,
      body: {
        success: true,
        duplicate: true,
        note: 'this txid was already recorded: the conversion counts once and nothing is sent again',
        conversion: first.body.conversion,
        events: [
          {
            event: 'first_purchase',
            name: 'First Purchase',
            snapchat_event: 'PURCHASE',
            message_id: 'pb:dup-1',
            duplicate: true,
          },
        ],
      },
    });
    await settled(collector);
    const sent = (await mockRequests(collector, pixelId)).flatMap((r) => r.body.data).filter((e) => e.event_id === 'pb:dup-1');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.custom_data).toEqual({ currency: 'USD', value: 30, order_id: 'dup-1' });
    const stats = await json(await collector.admin(`/v1/admin/links/${link.id}/stats`));
    expect(stats.totals).toMatchObject({ purchases: 1, revenue: { USD: 30 } });
  });

  it("refuses a sender's event under a postback's id, so a forged pb:<txid> cannot stand in for the real conversion", async () => {
    const { key, clickId, pixelId, sourceId } = await clickedLink('forged');
    // The write key of a browser source is in every page: anyone has it.
    const { write_key: writeKey } = await json(
      await collector.admin(`/v1/admin/sources/${sourceId}/rotate-key`, { method: 'POST' }),
    );
    const forged = {
      type: 'track',
      event: 'Order Completed',
      messageId: 'pb:ORDER-5001',
      anonymousId: 'attacker',
      properties: { revenue: 0.01 },
    };
    // The schema trims ids, so one with a blank before the prefix would be stored under it too.
    const variants = [forged, { ...forged, messageId: 'PB:ORDER-5001' }, { ...forged, messageId: ' \tpb:ORDER-5001' }];
    const ingest = await collector.post('/v1/batch', { writeKey, batch: variants });
    expect(ingest.status).toBe(400);
    expect(await ingest.json()).toEqual({
      success: false,
      error: 'no valid message: all 3 were invalid',
      accepted: 0,
      rejected: [
        { index: 0, messageId: 'pb:ORDER-5001', errors: ['messageId: ids starting with "pb:" are made by the server'] },
        { index: 1, messageId: 'PB:ORDER-5001', errors: ['messageId: ids starting with "pb:" are made by the server'] },
        { index: 2, messageId: ' \tpb:ORDER-5001', errors: ['messageId: ids starting with "pb:" are made by the server'] },
      ],
    });
    const real = await postback(collector, {
      key,
      click_id: clickId,
      event: 'purchase',
      value: '49.99',
      currency: 'USD',
      txid: 'ORDER-5001',
    });
    expect(real.body.events).toEqual([
      {
        event: 'first_purchase',
        name: 'First Purchase',
        snapchat_event: 'PURCHASE',
        message_id: 'pb:ORDER-5001',
        deliveries: [expect.objectContaining({ status: 'pending', reason_code: null })],
      },
    ]);
    await expect
      .poll(
        async () => (await mockEvents(collector, pixelId)).find((e) => e.event.event_id === 'pb:ORDER-5001')?.event.custom_data,
      )
      .toEqual({ currency: 'USD', value: 49.99, order_id: 'ORDER-5001' });
  });

  it("sends each conversion once to a pixel attached both to the link and to the link's source", async () => {
    // The source's own pixel, attached to the link as well; the same pixel again through another
    // source's integration (its own token); and a pixel only the link sends to.
    const { sourceId, integrationId, pixelId } = await sourceWithPixel(collector, 'both-levels');
    const other = await json(
      await collector.admin('/v1/admin/sources', { method: 'POST', body: JSON.stringify({ name: 'agency' }) }),
    );
    const samePixel = await addPixel(collector, other.id, 'agency copy of the pixel', pixelId);
    const linkOnly = await addPixel(collector, other.id, 'campaign pixel');
    const key = await postbackKey(collector, sourceId);
    const link = await createLink(collector, {
      name: 'both levels',
      destination_url: 'https://offer.example/',
      integrations: [integrationId, samePixel.integrationId, linkOnly.integrationId],
    });
    const { clickId } = await follow(`${link.url}?ScCid=sc-both`);
    const sub = await postback(collector, { key, click_id: clickId!, event: 'subscribe', txid: 'both-sub' });
    const buy = await postback(collector, {
      key,
      click_id: clickId!,
      event: 'purchase',
      value: '7',
      currency: 'GBP',
      txid: 'both-buy',
    });
    const routed = [integrationId, linkOnly.integrationId].map((id) => ({
      integration_id: id,
      status: 'pending',
      reason_code: null,
      reason: null,
    }));
    expect(sub.body.events[0].deliveries).toEqual(routed);
    expect(buy.body.events[0].deliveries).toEqual(routed);

    await settled(collector);
    const idsTo = async (pixel: string) =>
      (await mockRequests(collector, pixel)).flatMap((r) => r.body.data.map((e) => e.event_id)).sort();
    const expected = [`click:${clickId}`, 'pb:both-buy', 'pb:both-sub'];
    expect(await idsTo(pixelId)).toEqual(expected);
    expect(await idsTo(linkOnly.pixelId)).toEqual(expected);
  });

  it("sends a link's events to its source's pixels too, unless the link opts out", async () => {
    const { sourceId, pixelId } = await sourceWithPixel(collector, 'source-level');
    const included = await createLink(collector, {
      name: 'included',
      destination_url: 'https://offer.example/',
      source_id: sourceId,
    });
    const excluded = await createLink(collector, {
      name: 'excluded',
      destination_url: 'https://offer.example/',
      source_id: sourceId,
      include_source_integrations: false,
    });
    const a = await follow(included.url);
    const b = await follow(excluded.url);
    await settled(collector);
    const ids = (await mockEvents(collector, pixelId)).map((e) => e.event.event_id);
    expect(ids).toContain(`click:${a.clickId}`);
    expect(ids).not.toContain(`click:${b.clickId}`);
    const stored = await storedEvents(collector, sourceId);
    expect(stored.get(`click:${b.clickId}`).deliveries).toEqual([]);
  });
});

describe('attribution', () => {
  it('records a conversion after the conversion window and counts its revenue, but does not send it', async () => {
    const late = await clickedLink('late', { conversion_window_days: 28 });
    const onTime = await clickedLink('on-time', { conversion_window_days: 28 });
    ageClick(late.clickId, 29);
    ageClick(onTime.clickId, 27);

    const buy = (clicked: typeof late, value: string, txid: string) =>
      postback(collector, { key: clicked.key, click_id: clicked.clickId, event: 'purchase', value, currency: 'USD', txid });
    const lateBuy = await buy(late, '40', 'late-1');
    const onTimeBuy = await buy(onTime, '15', 'on-time-1');
    expect(lateBuy.body.conversion.within_window).toBe(false);
    expect(lateBuy.body.events[0].deliveries).toEqual([
      {
        integration_id: late.integrationId,
        status: 'skipped',
        reason_code: 'outside_conversion_window',
        reason: 'outside_conversion_window: 29 days after the click; the link attributes conversions for 28 days',
      },
    ]);
    expect(onTimeBuy.body.conversion.within_window).toBe(true);

    await settled(collector);
    expect((await mockEvents(collector, late.pixelId)).map((e) => e.event.event_id)).toEqual([`click:${late.clickId}`]);
    expect((await mockEvents(collector, onTime.pixelId)).map((e) => e.event.event_id)).toEqual([
      `click:${onTime.clickId}`,
      'pb:on-time-1',
    ]);

    const stats = await json(await collector.admin(`/v1/admin/links/${late.link.id}/stats`));
    expect(stats.totals).toMatchObject({ purchases: 1, revenue: { USD: 40 }, revenue_outside_window: { USD: 40 } });
    const clicks = await json(await collector.admin(`/v1/admin/links/${late.link.id}/clicks`));
    expect(clicks.clicks).toEqual([expect.objectContaining({ id: late.clickId, purchases: 1, revenue: { USD: 40 } })]);
  });

  it("sends the value with the link's currency when a postback gives none, and no order id for a postback without a txid", async () => {
    const { key, clickId, pixelId } = await clickedLink('currency', { currency: 'eur' });
    const res = await postback(collector, { key, click_id: clickId, event: 'tip', value: '3' });
    expect(res.body.conversion).toMatchObject({ value: 3, currency: 'EUR', txid: expect.stringMatching(/^df-auto-/) });
    const id = `pb:${res.body.conversion.txid}`;
    await expect
      .poll(async () => (await mockEvents(collector, pixelId)).find((e) => e.event.event_id === id)?.event.custom_data)
      .toEqual({
        currency: 'EUR',
        value: 3,
      });
  });

  it('does not send the conversions of a click whose browser sent Global Privacy Control', async () => {
    const pixel = await sourceWithPixel(collector, 'gpc');
    const key = await postbackKey(collector, pixel.sourceId);
    const link = await createLink(collector, {
      name: 'gpc',
      destination_url: 'https://offer.example/',
      integrations: [pixel.integrationId],
    });
    const { clickId } = await follow(link.url, { 'sec-gpc': '1' });
    const res = await postback(collector, { key, click_id: clickId!, event: 'subscribe', txid: 'gpc-sub' });
    expect(res.body.events[0].deliveries).toEqual([
      { integration_id: pixel.integrationId, status: 'skipped', reason_code: 'no_consent', reason: 'no_consent: advertising' },
    ]);
    const stored = await storedEvents(collector, pixel.sourceId);
    expect(stored.get(`click:${clickId}`).deliveries[0].status).toBe('skipped');
    expect((await json(await collector.admin(`/v1/admin/links/${link.id}/stats`))).totals.subscribers).toBe(1);
  });
});
