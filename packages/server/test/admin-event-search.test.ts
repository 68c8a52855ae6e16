import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createIntegration, createSource, openStream } from './admin-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
let shop: { id: string; writeKey: string };
let other: { id: string; writeKey: string };
beforeAll(async () => {
  collector = await startTestCollector();
  shop = await createSource(collector, 'Search shop');
  other = await createSource(collector, 'Other shop');
  await createIntegration(collector, shop.id, { name: 'Search pixel' });
});
afterAll(() => collector.stopAndClean());

const browser = { ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (test)' };

async function send(source: { writeKey: string }, batch: Record<string, unknown>[]) {
  const res = await collector.post('/v1/batch', { writeKey: source.writeKey, batch });
  expect(res.status).toBe(200);
}

/** The messageIds the events list answers for a query, newest first. */
async function found(query: string): Promise<string[]> {
  const { status, body } = await call(collector, 'GET', `/v1/admin/events?${query}`);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.events.map((event: any) => event.message.messageId);
}

beforeAll(async () => {
  // Jane lands from an ad, signs in (the only message with her email), orders; Bob browses; the
  // other shop has a customer with Jane's user id.
  await send(shop, [
    {
      type: 'page',
      messageId: 'jane-landing',
      anonymousId: 'anon-jane',
      context: { ...browser, page: { url: 'https://shop.example.com/?ScCid=ad-click-77' } },
    },
    {
      type: 'identify',
      messageId: 'jane-identify',
      userId: 'user-jane',
      anonymousId: 'anon-jane',
      traits: { email: 'Jane.Doe@Example.com' },
      context: browser,
    },
    {
      type: 'track',
      event: 'Order Completed',
      messageId: 'jane-order',
      userId: 'user-jane',
      anonymousId: 'anon-jane',
      properties: { order_id: 'ORD-1001', revenue: 42.5, currency: 'EUR' },
      context: { ...browser, page: { url: 'https://shop.example.com/thanks' } },
    },
    {
      type: 'page',
      messageId: 'bob-page',
      anonymousId: 'anon-bob',
      context: { ...browser, page: { url: 'https://shop.example.com/' } },
    },
  ]);
  await send(other, [{ type: 'track', event: 'Signed Up', messageId: 'other-jane', userId: 'user-jane', context: browser }]);
});

describe('GET /v1/admin/events, searching', () => {
  it('finds by email, as its hash in any case, the events carrying it and those of the ids that carried it', async () => {
    expect(await found('email=jane.doe@example.com')).toEqual(['jane-order', 'jane-identify', 'jane-landing']);
    expect(await found(`email=${encodeURIComponent('  JANE.DOE@example.COM ')}`)).toEqual([
      'jane-order',
      'jane-identify',
      'jane-landing',
    ]);
    expect(await found('email=bob@example.com')).toEqual([]);
  });

  it('finds by user id, anonymous id, order id and click id', async () => {
    expect(await found('user_id=user-jane')).toEqual(['other-jane', 'jane-order', 'jane-identify']);
    expect(await found('anonymous_id=anon-bob')).toEqual(['bob-page']);
    expect(await found('order_id=ORD-1001')).toEqual(['jane-order']);
    // The click id the collector took from the landing page's ScCid.
    expect(await found('click_id=ad-click-77')).toEqual(['jane-landing']);
  });

  it('combines a search with the other filters', async () => {
    expect(await found(`user_id=user-jane&source_id=${shop.id}`)).toEqual(['jane-order', 'jane-identify']);
    expect(await found('email=jane.doe@example.com&name=page')).toEqual(['jane-landing']);
    expect(await found('email=jane.doe@example.com&name=Order%20Completed&limit=1')).toEqual(['jane-order']);
    expect(await found('user_id=user-jane&order_id=ORD-1001')).toEqual(['jane-order']);
    expect(await found('anonymous_id=anon-bob&email=jane.doe@example.com')).toEqual([]);
  });

  it('refuses a bad search with 400, naming each problem', async () => {
    expect(await call(collector, 'GET', '/v1/admin/events?email=jane.example.com')).toEqual({
      status: 400,
      body: {
        error: 'email: an email address such as jane@example.com',
        errors: ['email: an email address such as jane@example.com'],
      },
    });
    const { status, body } = await call(
      collector,
      'GET',
      `/v1/admin/events?user_id=${'u'.repeat(256)}&click_id=a&click_id=b&emial=jane@example.com`,
    );
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      'emial: unknown parameter (known: source_id, integration_id, status, name, limit, user_id, anonymous_id, email, order_id, click_id, after_id)',
      'user_id: at most 255 characters',
      'click_id: give it once',
    ]);
  });

  it('streams only the searched person’s events, and each new one as it arrives', async () => {
    const stream = await openStream(collector, '?anonymous_id=anon-jane');
    try {
      await stream.waitFor((m) => m.event === 'ready');
      const first = stream.messages.filter((m) => m.event === 'event').map((m) => m.data.message.messageId);
      expect(new Set(first)).toEqual(new Set(['jane-landing', 'jane-identify', 'jane-order']));
      await send(shop, [
        { type: 'page', messageId: 'bob-later', anonymousId: 'anon-bob', context: browser },
        { type: 'page', messageId: 'jane-later', anonymousId: 'anon-jane', context: browser },
      ]);
      await stream.waitFor((m) => m.event === 'event' && m.data.message.messageId === 'jane-later');
      const ids = stream.messages.filter((m) => m.event === 'event').map((m) => m.data.message.messageId);
      expect(ids).not.toContain('bob-later');
    } finally {
      stream.close();
    }
  });

  it('refuses a bad search on the live stream before streaming', async () => {
    const stream = await openStream(collector, '?order_id=&email=@');
    expect(stream.status).toBe(400);
    stream.close();
  });
});
