import { createHash } from 'node:crypto';
import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';
import {
  beaconsSent,
  expect,
  messagesOf,
  mockEventsFrom,
  queued,
  recordTagRequests,
  settle,
  spyOnBeacons,
  storedEventsFrom,
  test,
  testSite,
  waitForMockEvents,
} from './support/tag-page.js';

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

test('an event tracked right before navigating away arrives, sent by beacon', async ({ page, context }) => {
  const site = await testSite(context, datafirst.url);
  const product = site.page('product.html');
  // The next page has no tag, so only what left with the first page can arrive.
  const elsewhere = site.page('elsewhere.html', { snippets: 0 });
  await spyOnBeacons(context);
  await page.goto(product);
  await expect.poll(() => queued(page)).toEqual([]);
  // From now on every fetch fails, so the event can only leave by beacon, however long the
  // navigation takes. Playwright's routing does not see beacons.
  await page.route(`${datafirst.url}/v1/batch`, (route) => route.abort('connectionrefused'));
  // The next page takes a while, so the tag's fetch has failed by the time the page goes. A request
  // still in flight as the page goes would be left to the browser instead (and this one fails).
  await page.route(elsewhere, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return route.fallback();
  });

  await page.evaluate((next) => {
    _df.track('Product Added', { product_id: 'SKU-LEAVE', price: 12.5, currency: 'USD' });
    location.href = next;
  }, elsewhere);
  await page.waitForURL(elsewhere);

  const [added] = await waitForMockEvents(datafirst, product, 2).then((events) =>
    events.filter((e) => e.event_name === 'ADD_CART'),
  );
  const beacons = await beaconsSent(page);
  expect(beacons.length).toBeGreaterThanOrEqual(1);
  for (const beacon of beacons) {
    expect([beacon.url, beacon.messages.map((m) => m.event)]).toEqual([
      `${datafirst.url}/v1/batch?writeKey=wk_e2e_demo`,
      ['Product Added'],
    ]);
  }
  expect(added!.event_id).toBe(beacons[0]!.messages[0]!.messageId);
  expect(added!.custom_data).toMatchObject({ content_ids: ['SKU-LEAVE'], value: 12.5, currency: 'USD' });
});

test('events tracked offline are sent as soon as the browser is back online', async ({ page, context }) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html');
  await page.goto(url);
  await expect.poll(() => queued(page)).toEqual([]);

  await context.setOffline(true);
  const failed = page.waitForEvent('requestfailed', (request) => request.url() === `${datafirst.url}/v1/batch`);
  await page.evaluate(() => _df.track('Product Viewed', { product_id: 'SKU-ONLINE' }));
  await failed;
  // It stays queued while every try fails.
  const [waiting] = (await queued(page))!;
  expect(waiting).toMatchObject({ type: 'track', event: 'Product Viewed' });
  expect((await storedEventsFrom(datafirst, url)).map((e) => e.message.messageId)).not.toContain(waiting!.messageId);

  await context.setOffline(false);
  await settle(page, datafirst, url);
  const viewed = (await mockEventsFrom(datafirst, url)).filter((e) => e.event_name === 'VIEW_CONTENT');
  expect(viewed.map((e) => e.event_id)).toEqual([waiting!.messageId]);
});

test('events tracked offline arrive after going online and loading the page again', async ({ page, context }) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html');
  await page.goto(url);
  await expect.poll(() => queued(page)).toEqual([]);

  await context.setOffline(true);
  await page.evaluate(() => {
    _df.track('Product Viewed', { product_id: 'SKU-OFFLINE' });
    _df.track('Product Added', { product_id: 'SKU-OFFLINE', price: 3, currency: 'EUR' });
  });
  const offline = (await queued(page))!;
  expect(offline.map((m) => m.event)).toEqual(['Product Viewed', 'Product Added']);
  // Closed while offline: the page gets no chance to send them when the network is back.
  await page.close();
  await context.setOffline(false);

  const again = await context.newPage();
  await again.goto(url);
  await settle(again, datafirst, url);
  const events = await mockEventsFrom(datafirst, url);
  const ids = offline.map((m) => m.messageId);
  expect(
    events
      .filter((e) => ids.includes(e.event_id))
      .map((e) => [e.event_name, e.event_id])
      .sort(),
  ).toEqual(
    [
      ['VIEW_CONTENT', ids[0]],
      ['ADD_CART', ids[1]],
    ].sort(),
  );
  expect(events.map((e) => e.event_name).sort()).toEqual(['ADD_CART', 'PAGE_VIEW', 'PAGE_VIEW', 'VIEW_CONTENT']);
});

test('an event whose fetch failed leaves by beacon as the page reloads, and the next page does not send it again', async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html');
  const fetched = recordTagRequests(page);
  await spyOnBeacons(context);
  await page.goto(url);
  await expect.poll(() => queued(page)).toEqual([]);
  const duplicatesBefore = await datafirst.counter('datafirst_events_duplicate_total');
  // The first fetch of the event fails, so it is still queued, waiting for its retry, when the page
  // goes: it leaves by beacon, once, and the reloaded page leaves it to the beacon.
  let refused = false;
  await page.route(`${datafirst.url}/v1/batch`, (route) => {
    if (refused || !route.request().postData()!.includes('Product Added')) return route.continue();
    refused = true;
    return route.abort('connectionrefused');
  });
  const failed = page.waitForEvent('requestfailed', (request) => request.url() === `${datafirst.url}/v1/batch`);
  await page.evaluate(() => _df.track('Product Added', { product_id: 'SKU-RELOAD', price: 5, currency: 'USD' }));
  await failed;
  const loaded = page.waitForEvent('load');
  await page.evaluate(() => location.reload());
  await loaded;
  await settle(page, datafirst, url);
  await page.waitForTimeout(1000); // let a late resend show itself

  const addedIn = (requests: { messages: Record<string, any>[] }[]) =>
    requests.flatMap((request) => request.messages).filter((m) => m.event === 'Product Added');
  const beaconed = addedIn(await beaconsSent(page));
  const added = addedIn(fetched);
  // The refused fetch, then one more try: by beacon as the page went (or by the retry, had it come first).
  expect(added.length + beaconed.length).toBe(2);
  expect(new Set([...added, ...beaconed].map((m) => m.messageId)).size).toBe(1);
  const events = await mockEventsFrom(datafirst, url);
  expect(events.map((e) => e.event_name).sort()).toEqual(['ADD_CART', 'PAGE_VIEW', 'PAGE_VIEW']);
  expect(events.find((e) => e.event_name === 'ADD_CART')!.event_id).toBe(added[0]!.messageId);
  expect((await storedEventsFrom(datafirst, url)).map((e) => e.name).sort()).toEqual(['Product Added', 'page', 'page']);
  expect(await datafirst.counter('datafirst_events_duplicate_total')).toBe(duplicatesBefore);
});

test('a call retried while the collector is down, then answering 503, keeps its messageId and is delivered once', async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html');
  const attempts: { outcome: string; messageIds: string[] }[] = [];
  await page.route(`${datafirst.url}/v1/batch`, async (route) => {
    const messageIds = (JSON.parse(route.request().postData()!).batch as { messageId: string }[]).map((m) => m.messageId);
    const outcome = ['refused', '503'][attempts.length] ?? 'passed';
    attempts.push({ outcome, messageIds });
    if (outcome === 'refused') return route.abort('connectionrefused');
    if (outcome === '503') return route.fulfill({ status: 503, headers: { 'retry-after': '5' }, body: '{"success":false}' });
    return route.continue();
  });
  await page.goto(url);
  await settle(page, datafirst, url);

  const [first] = attempts;
  expect(attempts.map((a) => a.outcome)).toEqual(['refused', '503', 'passed']);
  expect(attempts.map((a) => a.messageIds)).toEqual([first!.messageIds, first!.messageIds, first!.messageIds]);
  const events = await mockEventsFrom(datafirst, url);
  expect(events.map((e) => [e.event_name, e.event_id])).toEqual([['PAGE_VIEW', first!.messageIds[0]]]);
});

test('calls made before _df.js loads are replayed in call order, each with the URL and time it was made', async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html');
  const sent = recordTagRequests(page);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`${datafirst.url}/_df.js`, async (route) => {
    await released;
    await route.continue();
  });

  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const before = await page.evaluate((path) => {
    _df.identify('user-replay', { email: 'Replay@Example.com' });
    history.pushState(null, '', `${path}?step=2`);
    _df.track('Product Viewed', { product_id: 'SKU-REPLAY' });
    _df.track('Product Added', { product_id: 'SKU-REPLAY', price: 7, currency: 'USD' });
    // Still the snippet's stub: an array of the calls.
    return { stub: Array.isArray(_df), calls: (_df as unknown as unknown[]).length, at: Date.now() };
  }, new URL(url).pathname);
  expect([before.stub, before.calls]).toEqual([true, 4]);
  release();
  await settle(page, datafirst, url);

  const messages = messagesOf(sent);
  expect(messages.map((m) => [m.type, m.name ?? m.event ?? m.userId, m.context.page.url])).toEqual([
    ['page', undefined, url],
    ['identify', 'user-replay', url],
    ['track', 'Product Viewed', `${url}?step=2`],
    ['track', 'Product Added', `${url}?step=2`],
  ]);
  const times = messages.map((m) => Date.parse(m.timestamp));
  expect(times).toEqual([...times].sort((a, b) => a - b));
  expect(times.every((time) => time <= before.at)).toBe(true);

  // The identify came first, so the events after it carry the visitor's hashed email.
  const events = await mockEventsFrom(datafirst, url);
  const byId = new Map(events.map((e) => [e.event_id, e]));
  expect(
    messages
      .filter((m) => m.type === 'track')
      .map((m) => [byId.get(m.messageId)?.event_name, byId.get(m.messageId)?.user_data.em]),
  ).toEqual([
    ['VIEW_CONTENT', [sha256('replay@example.com')]],
    ['ADD_CART', [sha256('replay@example.com')]],
  ]);
});
