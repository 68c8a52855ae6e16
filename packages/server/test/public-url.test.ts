import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, FAN_UA, json, mockEvents, settled, sourceWithPixel } from './link-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

// Generated URLs start with DATAFIRST_PUBLIC_URL. `Host` and `X-Forwarded-*` are chosen by
// whoever sends the request, so none of them may reach a link, a postback URL or a stored click.

const PUBLIC_URL = 'https://shop.example.com/df';
const FORGED = {
  host: 'evil.example',
  'x-forwarded-proto': 'javascript',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-prefix': '/phish',
};

let collector: TestCollector;
beforeAll(async () => {
  // A trusted proxy hop, so that forwarded headers would be believed if anything still read them.
  collector = await startTestCollector(['--trust-proxy', '1'], { DATAFIRST_PUBLIC_URL: `${PUBLIC_URL}/` });
});
afterAll(() => collector.stopAndClean());

/** A GET to the public listener with headers fetch would not send as given (`Host`); resolves with status and Location. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${collector.url}${path}`, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('DATAFIRST_PUBLIC_URL', () => {
  it('builds the link URL from the configured public URL, whatever Host and X-Forwarded-* say', async () => {
    const { integrationId } = await sourceWithPixel(collector, 'forged-link');
    const res = await collector.admin('/v1/admin/links', {
      method: 'POST',
      headers: FORGED,
      body: JSON.stringify({ name: 'forged', destination_url: 'https://offer.example/', integrations: [integrationId] }),
    });
    const link = await json(res);
    expect(res.status).toBe(201);
    expect(link.url).toBe(`${PUBLIC_URL}/go/${link.id}`);
  });

  it('builds the postback URL from the configured public URL', async () => {
    const { sourceId } = await sourceWithPixel(collector, 'forged-postback');
    const res = await collector.admin(`/v1/admin/sources/${sourceId}/postback-key`, { method: 'POST', headers: FORGED });
    const body = await json(res);
    expect(res.status).toBe(201);
    expect(body.postback_url).toBe(
      `${PUBLIC_URL}/v1/postback?key=${body.postback_key}&click_id={click_id}&event={event}&value={value}&currency={currency}&txid={txid}`,
    );
  });

  it("loads the tag from the public URL in a new source's snippet", async () => {
    const res = await collector.admin('/v1/admin/sources', {
      method: 'POST',
      headers: FORGED,
      body: JSON.stringify({ name: 'snippet' }),
    });
    const body = await json(res);
    expect(res.status).toBe(201);
    expect(body.snippet).toContain(`src="${PUBLIC_URL}/_df.js"`);
  });

  it('stores a click followed with a forged Host with the public URL, and sends that to Snapchat', async () => {
    const { integrationId, pixelId } = await sourceWithPixel(collector, 'forged-click');
    const link = await createLink(collector, {
      name: 'click',
      destination_url: 'https://offer.example/',
      integrations: [integrationId],
    });
    const followed = await rawGet(`/go/${link.id}?ScCid=sc-forged`, {
      ...FORGED,
      'user-agent': FAN_UA,
      'x-forwarded-for': '203.0.113.9',
    });
    expect(followed.status).toBe(302);
    const clickId = new URL(followed.location!).searchParams.get('df_click_id');
    await settled(collector);
    const sent = (await mockEvents(collector, pixelId)).find((e) => e.event.event_id === `click:${clickId}`);
    expect(sent?.event.event_source_url).toBe(`${PUBLIC_URL}/go/${link.id}?ScCid=sc-forged`);
  });
});

describe('without DATAFIRST_PUBLIC_URL', () => {
  it("builds URLs from the public listener's own address, not from Host", async () => {
    const plain = await startTestCollector();
    try {
      const { integrationId } = await sourceWithPixel(plain, 'default-url');
      const res = await plain.admin('/v1/admin/links', {
        method: 'POST',
        headers: FORGED,
        body: JSON.stringify({ name: 'plain', destination_url: 'https://offer.example/', integrations: [integrationId] }),
      });
      const link = await json(res);
      expect([plain.publicUrl, link.url]).toEqual([plain.url, `${plain.url}/go/${link.id}`]);
    } finally {
      await plain.stopAndClean();
    }
  });
});
