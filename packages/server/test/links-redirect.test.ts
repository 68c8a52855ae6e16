import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FAN_IP,
  FAN_UA,
  createLink,
  follow,
  json,
  mockEvents,
  postback,
  postbackKey,
  settled,
  sourceWithPixel,
  storedEvents,
} from './link-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  // The tests play a reverse proxy that forwards the fan's address.
  collector = await startTestCollector(['--trust-proxy', '1']);
});
afterAll(() => collector.stopAndClean());

async function pixelLink(name: string, settings: Record<string, unknown> = {}) {
  const pixel = await sourceWithPixel(collector, name);
  const link = await createLink(collector, {
    name,
    destination_url: 'https://offer.example/land?aff=7',
    integrations: [pixel.integrationId],
    ...settings,
  });
  return { ...pixel, link };
}

const clicksOf = async (linkId: string) => (await json(await collector.admin(`/v1/admin/links/${linkId}/clicks`))).clicks;

describe('GET /go/:id', () => {
  it('records the click and redirects (302) to the destination with every parameter and the click id', async () => {
    const { link } = await pixelLink('redirect');
    const { res, status, location, clickId } = await follow(
      `${link.url}?ScCid=Sc-Case-1&utm_source=snap&tag=a&tag=b&aff=hijack`,
      {
        referer: 'https://www.snapchat.com/',
      },
    );
    expect(status).toBe(302);
    expect(location).toBe(`https://offer.example/land?aff=7&ScCid=Sc-Case-1&utm_source=snap&tag=a&tag=b&df_click_id=${clickId}`);
    expect(res.headers.get('cache-control')).toBe('no-store');

    expect(await clicksOf(link.id)).toEqual([
      {
        id: clickId,
        link_id: link.id,
        sc_click_id: 'Sc-Case-1',
        ip: FAN_IP,
        user_agent: FAN_UA,
        referrer: 'https://www.snapchat.com/',
        query: [
          ['ScCid', 'Sc-Case-1'],
          ['utm_source', 'snap'],
          ['tag', 'a'],
          ['tag', 'b'],
          ['aff', 'hijack'],
        ],
        url: `${link.url}?ScCid=Sc-Case-1&utm_source=snap&tag=a&tag=b&aff=hijack`,
        destination: location,
        created_at: expect.any(String),
        subscribed: false,
        purchases: 0,
        messages: 0,
        revenue: {},
      },
    ]);
  });

  it("puts the click id under the link's own sub-id parameter", async () => {
    const { link } = await pixelLink('sub-id', {
      click_id_param: 'sub1',
      destination_url: 'https://offer.example/?offer=3&sub1=',
    });
    const res = await fetch(`${link.url}?sccid=lower`, { redirect: 'manual', headers: { 'user-agent': FAN_UA } });
    const location = new URL(res.headers.get('location')!);
    expect([...location.searchParams]).toEqual([
      ['offer', '3'],
      ['sccid', 'lower'],
      ['sub1', expect.stringMatching(/^[A-Za-z0-9]{16}$/)],
    ]);
    expect((await clicksOf(link.id))[0].sc_click_id).toBe('lower');
  });

  it('ends the query at a raw # a client sent, so the click id reaches the offer in its query', async () => {
    const { link } = await pixelLink('fragment');
    // fetch and browsers drop a fragment before sending; a raw request can still carry one.
    const url = new URL(link.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () =>
        socket.write(
          `GET ${url.pathname}?x=1#y HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: ${FAN_UA}\r\nConnection: close\r\n\r\n`,
        ),
      );
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const location = /^location: (.*)$/im.exec(answer)?.[1]?.trim();
    expect(location).toMatch(/^https:\/\/offer\.example\/land\?aff=7&x=1&df_click_id=[A-Za-z0-9]{16}$/);
  });

  it('answers an unknown link with a plain 404 page and never redirects, whatever the query asks', async () => {
    for (const path of [
      '/go/NoSuchLink1',
      '/go/NoSuchLink1?url=https://evil.example/',
      '/go/..%2Fadmin',
      '/go/a.b',
      '/go/',
      '/go/a/b',
    ]) {
      const res = await fetch(`${collector.url}${path}`, { redirect: 'manual', headers: { 'user-agent': FAN_UA } });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('location'), path).toBeNull();
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(await res.text(), path).toContain('<h1>Link not found</h1>');
    }
  });

  it('counts a second tap with the same ScCid once and sends the fan on with the same click id', async () => {
    const { link, pixelId } = await pixelLink('double-tap');
    const first = await follow(`${link.url}?ScCid=tap-1&utm_content=a`);
    const second = await follow(`${link.url}?ScCid=tap-1&utm_content=b`);
    expect(second.clickId).toBe(first.clickId);
    expect(first.res.headers.get('x-datafirst-click')).toBe('counted');
    expect(second.res.headers.get('x-datafirst-click')).toBe('not-counted; reason=repeat');
    expect(second.location).toBe(`https://offer.example/land?aff=7&ScCid=tap-1&utm_content=b&df_click_id=${first.clickId}`);
    expect(await clicksOf(link.id)).toHaveLength(1);
    await settled(collector);
    expect((await mockEvents(collector, pixelId)).map((e) => e.event.event_id)).toEqual([`click:${first.clickId}`]);
  });

  it('redirects crawlers, HEAD requests and prefetches without counting a click or sending an event', async () => {
    const { link, pixelId } = await pixelLink('bots');
    const bot = await follow(`${link.url}?ScCid=bot`, {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    const prefetch = await follow(`${link.url}?ScCid=pre`, { 'sec-purpose': 'prefetch' });
    const head = await fetch(link.url, { method: 'HEAD', redirect: 'manual', headers: { 'user-agent': FAN_UA } });
    expect(bot.location).toBe('https://offer.example/land?aff=7&ScCid=bot');
    expect(prefetch.location).toBe('https://offer.example/land?aff=7&ScCid=pre');
    expect(head.status).toBe(302);
    expect(bot.res.headers.get('x-datafirst-click')).toBe('not-counted; reason=bot');
    expect(prefetch.res.headers.get('x-datafirst-click')).toBe('not-counted; reason=prefetch');
    expect(head.headers.get('x-datafirst-click')).toBe('not-counted; reason=head');
    expect(await clicksOf(link.id)).toEqual([]);
    await settled(collector);
    expect(await mockEvents(collector, pixelId)).toEqual([]);
  });

  it('counts a click from curl when it names a browser user agent, as the README tells testers', async () => {
    const { link } = await pixelLink('curl');
    const asCurl = await fetch(link.url, { redirect: 'manual', headers: { 'user-agent': 'curl/8.5.0' } });
    expect(asCurl.headers.get('x-datafirst-click')).toBe('not-counted; reason=bot');
    const asBrowser = await fetch(link.url, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)' } });
    expect(asBrowser.headers.get('x-datafirst-click')).toBe('counted');
    expect(await clicksOf(link.id)).toHaveLength(1);
  });

  it('stores but does not send the click when the link maps it to no Snapchat event', async () => {
    const { link, pixelId, sourceId } = await pixelLink('click-off', { events: { click: null } });
    const { clickId } = await follow(link.url);
    const stored = await storedEvents(collector, sourceId);
    expect(stored.get(`click:${clickId}`).deliveries.map((d: any) => [d.status, d.reason])).toEqual([
      ['skipped', 'disabled: the link sends no Snapchat event for click'],
    ]);
    await settled(collector);
    expect(await mockEvents(collector, pixelId)).toEqual([]);
  });

  it("sends a click without ScCid with the fan's IP and user agent only", async () => {
    const { link, pixelId } = await pixelLink('no-sccid');
    const { clickId } = await follow(link.url);
    await expect
      .poll(async () => (await mockEvents(collector, pixelId)).map((e) => e.event.user_data))
      .toEqual([{ client_ip_address: FAN_IP, client_user_agent: FAN_UA }]);
    expect(clickId).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('stops redirecting an archived link, while conversions of its earlier clicks still count and are sent', async () => {
    const { link, pixelId, sourceId } = await pixelLink('archived');
    const key = await postbackKey(collector, sourceId);
    const { clickId } = await follow(link.url);
    expect((await collector.admin(`/v1/admin/links/${link.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await follow(link.url)).status).toBe(404);
    expect((await json(await collector.admin(`/v1/admin/links/${link.id}`))).archived).toBe(true);
    const res = await postback(collector, {
      key,
      click_id: clickId!,
      event: 'purchase',
      value: '8',
      currency: 'USD',
      txid: 'archived-1',
    });
    expect(res.status).toBe(200);
    await expect.poll(async () => (await mockEvents(collector, pixelId)).map((e) => e.event.event_id)).toContain('pb:archived-1');
    const restored = await collector.admin(`/v1/admin/links/${link.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ archived: false }),
    });
    expect((await json(restored)).archived).toBe(false);
    expect((await follow(link.url)).status).toBe(302);
  });
});
