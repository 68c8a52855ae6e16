import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { call, createIntegration, createSource } from './admin-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
let shop: { id: string; writeKey: string };
let app: { id: string; writeKey: string };
let shopPixel: string;
let appPixel: string;
/** The UTC day the test's events were received on. */
let eventDay: string;

const web = { page: { url: 'https://shop.example.com/checkout' }, ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (test)' };
const order = (messageId: string, properties: Record<string, unknown>) => ({
  type: 'track',
  event: 'Order Completed',
  messageId,
  anonymousId: 'anon-t',
  properties,
  context: web,
});

async function sendAndSettle(source: { id: string; writeKey: string }, batch: Record<string, unknown>[]) {
  const res = await collector.post('/v1/batch', { writeKey: source.writeKey, batch });
  expect(res.status).toBe(200);
  // vi.waitFor, not expect.poll: this runs in beforeAll, outside a test.
  return vi.waitFor(
    async () => {
      const { body } = await call(collector, 'GET', `/v1/admin/events?source_id=${source.id}&limit=500`);
      const settled = body.events.every((e: any) => e.deliveries.every((d: any) => d.status !== 'pending'));
      if (body.events.length !== batch.length || !settled) throw new Error('deliveries still pending');
      return body.events as any[];
    },
    { timeout: 15_000, interval: 100 },
  );
}

beforeAll(async () => {
  collector = await startTestCollector();
  shop = await createSource(collector, 'Trends shop');
  app = await createSource(collector, 'Trends app');
  shopPixel = (await createIntegration(collector, shop.id, { name: 'Shop pixel', consent_categories: ['advertising'] })).id;
  appPixel = (await createIntegration(collector, app.id, { name: 'App pixel' })).id;
  const events = await sendAndSettle(shop, [
    order('o-1', { revenue: 19.99, currency: 'EUR' }),
    order('o-2', { revenue: 39.98, currency: 'EUR' }),
    order('o-3', { revenue: 12.5, currency: 'USD' }),
    // No value: Snapchat takes no PURCHASE without one, so it fails for good.
    order('o-4', { currency: 'EUR' }),
    { type: 'page', messageId: 'p-1', anonymousId: 'anon-t', context: web },
    { type: 'track', event: 'Video Played', messageId: 'v-1', anonymousId: 'anon-t', context: web },
    {
      type: 'track',
      event: 'Product Viewed',
      messageId: 'c-1',
      anonymousId: 'anon-t',
      context: { ...web, consent: { categoryPreferences: { advertising: false } } },
    },
  ]);
  await sendAndSettle(app, [order('a-1', { revenue: 5, currency: 'EUR' })]);
  const days = new Set(events.map((e) => e.received_at.slice(0, 10)));
  expect(days.size).toBe(1);
  eventDay = [...days][0]!;
});
afterAll(() => collector.stopAndClean());

const zero = { delivered: 0, skipped: 0, failed: 0, purchases: 0, revenue: {} };
const shopTotals = { delivered: 4, skipped: 2, failed: 1, purchases: 3, revenue: { EUR: 59.97, USD: 12.5 } };
const appTotals = { delivered: 1, skipped: 0, failed: 0, purchases: 1, revenue: { EUR: 5 } };

describe('GET /v1/admin/trends', () => {
  it("gives a source's delivered, skipped and failed deliveries per day, and its revenue per currency", async () => {
    const { status, body } = await call(collector, 'GET', `/v1/admin/trends?source_id=${shop.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      days: 30,
      from: body.per_day[0].day,
      to: body.per_day[29].day,
      source_id: shop.id,
      integration_id: null,
      per_day: expect.any(Array),
      totals: shopTotals,
      integrations: [{ integration_id: shopPixel, integration_name: 'Shop pixel', source_id: shop.id, ...shopTotals }],
      sources: [{ source_id: shop.id, source_name: 'Trends shop', ...shopTotals }],
    });
    // Every day of the window, one after another; quiet days as zeros.
    expect(body.per_day).toHaveLength(30);
    const dayNumbers = body.per_day.map((day: any) => Date.parse(`${day.day}T00:00:00Z`) / 86_400_000);
    expect(dayNumbers).toEqual(dayNumbers.map((_: number, i: number) => dayNumbers[0] + i));
    expect(body.per_day).toEqual(
      body.per_day.map(({ day }: { day: string }) => (day === eventDay ? { day, ...shopTotals } : { day, ...zero })),
    );
    expect(body.per_day.map((day: any) => day.day)).toContain(eventDay);
  });

  it('lists every integration and source with its totals, and narrows to one integration', async () => {
    const all = await call(collector, 'GET', '/v1/admin/trends?days=7');
    expect(all.body.per_day).toHaveLength(7);
    expect(all.body.totals).toEqual({ delivered: 5, skipped: 2, failed: 1, purchases: 4, revenue: { EUR: 64.97, USD: 12.5 } });
    // The demo source and its pixel, which had no events, are listed too.
    expect(all.body.integrations).toEqual([
      { integration_id: expect.any(String), integration_name: 'Snapchat (demo mock)', source_id: expect.any(String), ...zero },
      { integration_id: shopPixel, integration_name: 'Shop pixel', source_id: shop.id, ...shopTotals },
      { integration_id: appPixel, integration_name: 'App pixel', source_id: app.id, ...appTotals },
    ]);
    expect(all.body.sources).toEqual([
      { source_id: expect.any(String), source_name: 'Demo shop', ...zero },
      { source_id: shop.id, source_name: 'Trends shop', ...shopTotals },
      { source_id: app.id, source_name: 'Trends app', ...appTotals },
    ]);

    const one = await call(collector, 'GET', `/v1/admin/trends?integration_id=${appPixel}&days=1`);
    expect(one.body).toMatchObject({ days: 1, integration_id: appPixel, totals: appTotals });
    expect(one.body.integrations).toEqual([
      { integration_id: appPixel, integration_name: 'App pixel', source_id: app.id, ...appTotals },
    ]);
    expect(one.body.sources).toEqual([{ source_id: app.id, source_name: 'Trends app', ...appTotals }]);
  });

  it('refuses a window that is not 1 to 366 days, and an unknown parameter, with 400', async () => {
    expect(await call(collector, 'GET', '/v1/admin/trends?days=0')).toEqual({
      status: 400,
      body: { error: 'days: an integer from 1 to 366', errors: ['days: an integer from 1 to 366'] },
    });
    expect((await call(collector, 'GET', '/v1/admin/trends?days=1.5&source=x')).body.errors).toEqual([
      'source: unknown parameter (known: days, source_id, integration_id)',
      'days: an integer from 1 to 366',
    ]);
  });
});
