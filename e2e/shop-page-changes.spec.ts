import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';
import {
  beaconsSent,
  expect,
  queued,
  recordTagRequests,
  settle,
  spyOnBeacons,
  storedEventsFrom,
  test,
  waitForMockEvents,
} from './support/tag-page.js';

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

test('a visit of the demo shop, page after page, sends each call once and the collector counts no duplicate', async ({
  page,
  context,
}) => {
  const fetched = recordTagRequests(page);
  await spyOnBeacons(context);

  // The shop tracks and then navigates at once (add to cart, buy): those calls leave as the page goes.
  await page.goto(`${datafirst.url}/?ScCid=walk-click`);
  await page.click('a[data-product="SKU-2"]');
  await expect(page.locator('#name')).toHaveText('Merino running socks');
  await page.click('#add');
  await page.waitForURL('**/cart.html');
  await page.click('#checkout');
  await page.waitForURL('**/checkout.html');
  await page.fill('#email', 'walker@example.com');
  await page.click('#buy');
  await page.waitForURL('**/thanks.html**');
  await page.click('text=Keep shopping');
  await page.waitForURL(`${datafirst.url}/`);
  await settle(page, datafirst, `${datafirst.url}/`);
  await waitForMockEvents(datafirst, `${datafirst.url}/`, 10);
  await page.waitForTimeout(1000); // let a late resend show itself

  const sent = [...fetched, ...(await beaconsSent(page))].flatMap((request) => request.messages);
  const timesSent = new Map<string, number>();
  for (const message of sent) timesSent.set(message.messageId, (timesSent.get(message.messageId) ?? 0) + 1);
  const stored = await storedEventsFrom(datafirst, `${datafirst.url}/`);
  // Arrival order is not call order: a beacon can overtake the keepalive request still in flight.
  const calls = stored.map((event) => `${event.message.type} ${event.message.event ?? event.message.name ?? ''}`.trim());
  expect(calls.sort()).toEqual(
    [
      'page',
      'page',
      'track Product Viewed',
      'track Product Added',
      'page',
      'page',
      'track Checkout Started',
      'identify',
      'track Order Completed',
      'page',
      'page',
    ].sort(),
  );
  // No call left the browser twice. (A keepalive request sent as the page goes is not always seen by
  // Playwright, so the collector's own duplicate counter is the check that nothing arrived twice.)
  expect([...timesSent.entries()].filter(([, times]) => times > 1)).toEqual([]);
  const storedIds = new Set(stored.map((event) => event.message.messageId));
  expect([...timesSent.keys()].filter((id) => !storedIds.has(id))).toEqual([]);
  expect(await datafirst.counter('datafirst_events_duplicate_total')).toBe(0);
  expect(await queued(page)).toEqual([]);

  const mock = await waitForMockEvents(datafirst, `${datafirst.url}/`, 10);
  const count = (name: string) => mock.filter((event) => event.event_name === name).length;
  expect(['PAGE_VIEW', 'VIEW_CONTENT', 'ADD_CART', 'START_CHECKOUT', 'PURCHASE'].map(count)).toEqual([6, 1, 1, 1, 1]);
});
