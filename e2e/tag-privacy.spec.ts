import type { Page } from '@playwright/test';
import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';
import {
  documentCookies,
  expect,
  messagesOf,
  mockEventsFrom,
  recordTagRequests,
  settle,
  storedEventsFrom,
  test,
  testSite,
  UUID_V4,
  waitForMockEvents,
} from './support/tag-page.js';

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

const SKIPPED = [{ status: 'skipped', reason: 'no_consent: advertising' }];

/** The Set-Cookie values of the collector's answer to the next batch the page sends. */
async function nextSetCookie(page: Page, send: () => Promise<unknown>): Promise<string[]> {
  const answered = page.waitForResponse(`${datafirst.url}/v1/batch`);
  await send();
  const headers = await (await answered).headersArray();
  return headers.filter((h) => h.name.toLowerCase() === 'set-cookie').map((h) => h.value);
}

test('with advertising consent denied nothing reaches the Snapchat mock; once granted, the next events do', async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const url = `${site.page('page.html', { data: { consent: 'denied' } })}?ScCid=consent-click`;
  const sent = recordTagRequests(page);

  await page.goto(url);
  await settle(page, datafirst, url);
  expect((await storedEventsFrom(datafirst, url)).map((e) => [e.name, e.deliveries])).toEqual([['page', SKIPPED]]);
  expect(await mockEventsFrom(datafirst, url)).toEqual([]);
  // Neither the tag nor the collector wrote Snapchat's cookies.
  expect(Object.keys(await documentCookies(page))).toEqual(['_dfid']);
  expect((await context.cookies()).map((c) => c.name)).toEqual(['_dfid']);

  await page.evaluate(() => {
    _df.consent({ advertising: true });
    _df.track('Product Added', { product_id: 'SKU-CONSENT', price: 4, currency: 'USD' });
  });
  const [added] = await waitForMockEvents(datafirst, url, 1);
  const granted = await documentCookies(page);
  expect(granted).toEqual({
    _dfid: expect.stringMatching(UUID_V4),
    _scid: expect.stringMatching(UUID_V4),
    _scclid: 'consent-click',
  });
  const addedMessage = messagesOf(sent).find((m) => m.event === 'Product Added')!;
  expect([added!.event_name, added!.event_id, added!.user_data.sc_click_id, added!.user_data.sc_cookie1]).toEqual([
    'ADD_CART',
    addedMessage.messageId,
    'consent-click',
    granted._scid,
  ]);

  // Withdrawn again: the cookies that exist are sent, but not refreshed, and nothing is forwarded.
  const setCookie = await nextSetCookie(page, () =>
    page.evaluate(() => {
      _df.consent({ advertising: false });
      _df.track('Product Viewed', { product_id: 'SKU-CONSENT' });
    }),
  );
  expect(setCookie).toEqual([`_dfid=${granted._dfid}; Max-Age=34128000; Path=/; SameSite=Lax`]);
  await settle(page, datafirst, url);
  expect(
    (await storedEventsFrom(datafirst, url)).map((e) => [e.name, e.message.context.consent, e.deliveries.map((d) => d.status)]),
  ).toEqual([
    ['page', { categoryPreferences: { advertising: false } }, ['skipped']],
    ['Product Added', { categoryPreferences: { advertising: true } }, ['delivered']],
    ['Product Viewed', { categoryPreferences: { advertising: false } }, ['skipped']],
  ]);
  expect((await mockEventsFrom(datafirst, url)).map((e) => e.event_name)).toEqual(['ADD_CART']);
});

test('Global Privacy Control opts the visitor out in the tag and at the collector, even after consent is granted', async ({
  page,
  context,
}) => {
  // Chromium has no GPC setting: the page sees the signal through navigator, the collector through the header.
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }));
  await context.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
  const site = await testSite(context, datafirst.url);
  const url = `${site.page('both.html')}?ScCid=gpc-click`;
  const sent = recordTagRequests(page);

  await page.goto(url);
  await page.evaluate(() => {
    _df.consent({ advertising: true });
    _df.track('Product Added', { product_id: 'SKU-GPC', price: 4, currency: 'USD' });
  });
  await settle(page, datafirst, url);

  expect(messagesOf(sent).map((m) => [m.type, m.context.consent])).toEqual([
    ['page', { categoryPreferences: { advertising: false } }],
    ['track', { categoryPreferences: { advertising: false } }],
  ]);
  expect((await storedEventsFrom(datafirst, url)).map((e) => [e.name, e.deliveries])).toEqual([
    ['page', SKIPPED],
    ['Product Added', SKIPPED],
  ]);
  expect(await mockEventsFrom(datafirst, url)).toEqual([]);
  expect((await context.cookies()).map((c) => c.name)).toEqual(['_dfid']);
});

test('the Sec-GPC header alone makes the collector withhold what the tag sent with consent, and refresh no Snapchat cookie', async ({
  page,
  context,
}) => {
  await context.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
  const site = await testSite(context, datafirst.url);
  const url = `${site.page('header.html')}?ScCid=header-click`;
  const sent = recordTagRequests(page);

  const setCookie = await nextSetCookie(page, () => page.goto(url));
  await settle(page, datafirst, url);

  const cookies = await documentCookies(page);
  expect(cookies).toEqual({
    _dfid: expect.stringMatching(UUID_V4),
    _scid: expect.stringMatching(UUID_V4),
    _scclid: 'header-click',
  });
  expect(setCookie).toEqual([`_dfid=${cookies._dfid}; Max-Age=34128000; Path=/; SameSite=Lax`]);
  expect(messagesOf(sent).map((m) => m.context.consent)).toEqual([{ categoryPreferences: { advertising: true } }]);
  expect((await storedEventsFrom(datafirst, url)).map((e) => [e.name, e.message.context.consent, e.deliveries])).toEqual([
    ['page', { categoryPreferences: { advertising: false } }, SKIPPED],
  ]);
  expect(await mockEventsFrom(datafirst, url)).toEqual([]);
});
