import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { BrowserContext, Page, Request } from '@playwright/test';
import { packageDir, startShop, type ShopServer } from './support/client-page.js';
import { startDatafirst, WRITE_KEY, type DatafirstProcess } from './support/datafirst.js';
import { expect, storedEventsFrom, test, waitForMockEvents } from './support/tag-page.js';

// Segment's analytics-next and RudderStack's analytics-js, unmodified from npm, run in Chromium on
// a shop of another origin and are pointed at the collector only through their public options.
// The Snapchat mock must receive the page view and the purchase with the hashed email, the click
// id of the landing URL, the value, the currency and the time the collector stored.

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A checkout page of its own, its URL carrying Snapchat's click id. */
function checkout(shop: ShopServer): { origin: string; path: string; url: string; clickId: string } {
  const id = randomBytes(4).toString('hex');
  const clickId = `cid-${id}`;
  const path = `/shop-${id}/checkout`;
  return { origin: shop.origin, path, url: `${shop.origin}${path}?ScCid=${clickId}`, clickId };
}

let server: ShopServer | undefined;
test.afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The requests the page made to the collector (method and path), and those that failed. */
function collectorTraffic(page: Page, collector: string): { failed: string[]; paths: string[] } {
  const traffic = { failed: [] as string[], paths: [] as string[] };
  page.on('request', (request: Request) => {
    if (request.url().startsWith(collector)) traffic.paths.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  page.on('requestfailed', (request) => {
    if (request.url().startsWith(collector)) traffic.failed.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  return traffic;
}

/** What the mock received for the shop's page: name, time, hashed email, click id, value, currency. */
async function receivedFrom(urlPrefix: string) {
  const events = await waitForMockEvents(datafirst, urlPrefix, 2);
  const stored = await storedEventsFrom(datafirst, urlPrefix);
  const storedSeconds = new Map(stored.map((e) => [e.message.messageId, Math.floor(Date.parse(e.message.timestamp) / 1000)]));
  return {
    events: events
      .map((event) => ({
        event_name: event.event_name,
        event_time: event.event_time,
        em: event.user_data.em,
        sc_click_id: event.user_data.sc_click_id,
        value: event.custom_data?.value,
        currency: event.custom_data?.currency,
      }))
      .sort((a, b) => String(a.event_name).localeCompare(String(b.event_name))),
    storedSeconds: (id: string) => storedSeconds.get(id),
    eventIds: new Map(events.map((e) => [e.event_name, String(e.event_id)])),
  };
}

const EMAIL = 'Browser.Shopper@Example.com';

/** A shop page of its own that loads analytics-next from npm (its lazy chunks served by the shop, not Segment's CDN). */
async function analyticsNextShop(context: BrowserContext) {
  const vendor = join(packageDir('@segment/analytics-next'), 'dist', 'umd');
  server = await startShop(vendor, '<script src="/vendor/index.js"></script>');
  await context.route('https://cdn.segment.com/analytics-next/bundles/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/javascript',
      path: join(vendor, new URL(route.request().url()).pathname.split('/').pop()!),
    }),
  );
  return checkout(server);
}

/** A shop page of its own that loads RudderStack's analytics-js from npm. */
async function rudderShop() {
  const vendor = join(packageDir('@rudderstack/analytics-js'), 'dist', 'npm', 'modern', 'bundled', 'umd');
  server = await startShop(vendor, '<script src="/vendor/index.js"></script>');
  return checkout(server);
}

test('@segment/analytics-next posts to /v1/p, /v1/i, /v1/t and Snapchat receives the page view and the purchase', async ({
  page,
  context,
}) => {
  const shop = await analyticsNextShop(context);
  const traffic = collectorTraffic(page, datafirst.url);
  await page.goto(shop.url);
  const apiHost = `${new URL(datafirst.url).host}/v1`;
  await page.evaluate(
    async ({ writeKey, apiHost, email }) => {
      const { AnalyticsBrowser } = (window as unknown as { AnalyticsNext: { AnalyticsBrowser: any } }).AnalyticsNext;
      const [analytics] = await AnalyticsBrowser.load({
        writeKey,
        cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol: 'http' } } },
      });
      await analytics.identify('next-user-1', { email });
      await analytics.page('Checkout');
      await analytics.track('Order Completed', { order_id: 'next-order-1', value: 42.5, currency: 'EUR' });
    },
    { writeKey: WRITE_KEY, apiHost, email: EMAIL },
  );
  const received = await receivedFrom(`${shop.origin}${shop.path}`);
  const time = (name: string) => received.storedSeconds(received.eventIds.get(name)!);
  expect(received.events).toEqual([
    {
      event_name: 'PAGE_VIEW',
      event_time: time('PAGE_VIEW'),
      em: [sha256(EMAIL.toLowerCase())],
      sc_click_id: shop.clickId,
      value: undefined,
      currency: undefined,
    },
    {
      event_name: 'PURCHASE',
      event_time: time('PURCHASE'),
      em: [sha256(EMAIL.toLowerCase())],
      sc_click_id: shop.clickId,
      value: 42.5,
      currency: 'EUR',
    },
  ]);
  expect(traffic.failed).toEqual([]);
  expect(traffic.paths.filter((p) => p.startsWith('POST')).sort()).toEqual(['POST /v1/i', 'POST /v1/p', 'POST /v1/t']);
});

test('@rudderstack/analytics-js 3 loads its source config from the collector and Snapchat receives the page view and the purchase', async ({
  page,
}) => {
  const shop = await rudderShop();
  const traffic = collectorTraffic(page, datafirst.url);
  await page.goto(shop.url);
  await page.evaluate(
    async ({ writeKey, collector, email }) => {
      const { RudderAnalytics } = (window as unknown as { rudderanalytics: { RudderAnalytics: any } }).rudderanalytics;
      const analytics = new RudderAnalytics();
      await new Promise<void>((resolve) => {
        analytics.load(writeKey, collector, { configUrl: collector, onLoaded: () => resolve() });
      });
      analytics.identify('rudder-user-1', { email });
      analytics.page('Checkout');
      analytics.track('Order Completed', { order_id: 'rudder-order-1', value: 42.5, currency: 'EUR' });
    },
    { writeKey: WRITE_KEY, collector: datafirst.url, email: EMAIL },
  );
  const received = await receivedFrom(`${shop.origin}${shop.path}`);
  const time = (name: string) => received.storedSeconds(received.eventIds.get(name)!);
  expect(received.events).toEqual([
    {
      event_name: 'PAGE_VIEW',
      event_time: time('PAGE_VIEW'),
      em: [sha256(EMAIL.toLowerCase())],
      sc_click_id: shop.clickId,
      value: undefined,
      currency: undefined,
    },
    {
      event_name: 'PURCHASE',
      event_time: time('PURCHASE'),
      em: [sha256(EMAIL.toLowerCase())],
      sc_click_id: shop.clickId,
      value: 42.5,
      currency: 'EUR',
    },
  ]);
  expect(traffic.failed).toEqual([]);
  expect(traffic.paths).toContain('GET /sourceConfig/');
});

/** The status of every answer the page had from the collector. */
function collectorStatuses(page: Page, collector: string): number[] {
  const statuses: number[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(collector) && response.request().method() === 'POST') statuses.push(response.status());
  });
  return statuses;
}

/**
 * The names and user ids of what the collector stored from the shop's page, once `count` are
 * there, by name: a library may send its calls in several requests at once, stored in any order.
 */
async function storedCalls(urlPrefix: string, count: number) {
  await expect.poll(async () => (await storedEventsFrom(datafirst, urlPrefix)).length, { timeout: 15_000 }).toBe(count);
  return (await storedEventsFrom(datafirst, urlPrefix))
    .map(({ name, message }) => ({ name, userId: message.userId }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

// Before identify, and after reset, analytics.js sends `"userId": null` and RudderStack's SDK
// `"userId": ""`; neither resends a refused call, so a 400 would lose every anonymous visit.
test('@segment/analytics-next: an anonymous visitor, before identify and after reset, has every call stored', async ({
  page,
  context,
}) => {
  const shop = await analyticsNextShop(context);
  const statuses = collectorStatuses(page, datafirst.url);
  await page.goto(shop.url);
  await page.evaluate(
    async ({ writeKey, apiHost }) => {
      const { AnalyticsBrowser } = (window as unknown as { AnalyticsNext: { AnalyticsBrowser: any } }).AnalyticsNext;
      const [analytics] = await AnalyticsBrowser.load({
        writeKey,
        cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol: 'http' } } },
      });
      await analytics.page('Landing');
      await analytics.track('Product Viewed', { product_id: 'p-1' });
      await analytics.identify('next-user-2');
      analytics.reset();
      await analytics.track('Signed Out');
    },
    { writeKey: WRITE_KEY, apiHost: `${new URL(datafirst.url).host}/v1` },
  );
  expect(await storedCalls(`${shop.origin}${shop.path}`, 4)).toEqual([
    { name: 'identify', userId: 'next-user-2' },
    { name: 'page: Landing', userId: undefined },
    { name: 'Product Viewed', userId: undefined },
    { name: 'Signed Out', userId: undefined },
  ]);
  // Every request answered 200, however the library grouped the calls into requests.
  expect(new Set(statuses)).toEqual(new Set([200]));
});

test('@rudderstack/analytics-js: an anonymous visitor, before identify and after reset, has every call stored', async ({
  page,
}) => {
  const shop = await rudderShop();
  const statuses = collectorStatuses(page, datafirst.url);
  await page.goto(shop.url);
  await page.evaluate(
    async ({ writeKey, collector }) => {
      const { RudderAnalytics } = (window as unknown as { rudderanalytics: { RudderAnalytics: any } }).rudderanalytics;
      const analytics = new RudderAnalytics();
      await new Promise<void>((resolve) => {
        analytics.load(writeKey, collector, { configUrl: collector, onLoaded: () => resolve() });
      });
      analytics.page('Landing');
      analytics.track('Product Viewed', { product_id: 'p-1' });
      analytics.identify('rudder-user-2');
      analytics.reset();
      analytics.track('Signed Out');
    },
    { writeKey: WRITE_KEY, collector: datafirst.url },
  );
  expect(await storedCalls(`${shop.origin}${shop.path}`, 4)).toEqual([
    { name: 'identify', userId: 'rudder-user-2' },
    { name: 'page: Landing', userId: undefined },
    { name: 'Product Viewed', userId: undefined },
    { name: 'Signed Out', userId: undefined },
  ]);
  // Every request answered 200, however the library grouped the calls into requests.
  expect(new Set(statuses)).toEqual(new Set([200]));
});
