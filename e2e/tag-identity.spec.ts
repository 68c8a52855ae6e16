import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';
import {
  queueDrained,
  documentCookies,
  expect,
  messagesOf,
  recordTagRequests,
  settle,
  test,
  testSite,
  UUID_V4,
  waitForMockEvents,
} from './support/tag-page.js';

// A 7-day attribution window on both sides, so that a lifetime that ignores it shows.
const ATTRIBUTION_DAYS = '7';
const DAY_S = 86_400;

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst({ env: { DATAFIRST_ATTRIBUTION_DAYS: ATTRIBUTION_DAYS } });
});
test.afterAll(async () => {
  await datafirst?.stop();
});

const tagData = { attributionDays: ATTRIBUTION_DAYS };

test('a click in sccid or SCCID is kept, and the latest click wins on the pages after it', async ({ page, context }) => {
  const site = await testSite(context, datafirst.url);
  const landing = site.page('landing.html', { data: tagData });
  const next = site.page('next.html', { data: tagData });
  const sent = recordTagRequests(page);

  await page.goto(`${landing}?sccid=click-lower`);
  await expect.poll(async () => (await documentCookies(page))._scclid).toBe('click-lower');
  await queueDrained(page);
  await page.goto(`${landing}?SCCID=click-upper`);
  await expect.poll(async () => (await documentCookies(page))._scclid).toBe('click-upper');
  await queueDrained(page);
  await page.goto(next);

  const events = await waitForMockEvents(datafirst, site.root, 3);
  const scid = (await documentCookies(page))._scid;
  expect(scid).toMatch(UUID_V4);
  const pageViews = messagesOf(sent)
    .filter((m) => m.type === 'page')
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const byId = new Map(events.map((event) => [event.event_id, event]));
  expect(
    pageViews.map((m) => [m.context.page.url, byId.get(m.messageId)?.event_name, byId.get(m.messageId)?.user_data.sc_click_id]),
  ).toEqual([
    [`${landing}?sccid=click-lower`, 'PAGE_VIEW', 'click-lower'],
    [`${landing}?SCCID=click-upper`, 'PAGE_VIEW', 'click-upper'],
    [next, 'PAGE_VIEW', 'click-upper'],
  ]);
  expect(events.map((event) => event.user_data.sc_cookie1)).toEqual([scid, scid, scid]);
});

test("the collector's Set-Cookie and the tag agree on _dfid, _scid and _scclid, with SameSite=Lax and long lifetimes", async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const landing = site.page('landing.html', { data: tagData });
  const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/batch');
  const loadedAt = Date.now() / 1000;
  await page.goto(`${landing}?ScCid=click-cookie`);
  const setCookie = (await (await answered).headersArray())
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value);

  const tagCookies = await documentCookies(page);
  expect(tagCookies).toEqual({
    _dfid: expect.stringMatching(UUID_V4),
    _scid: expect.stringMatching(UUID_V4),
    _scclid: 'click-cookie',
  });
  expect(setCookie).toEqual([
    `_dfid=${tagCookies._dfid}; Max-Age=${395 * DAY_S}; Path=/; SameSite=Lax`,
    `_scid=${tagCookies._scid}; Max-Age=${395 * DAY_S}; Path=/; SameSite=Lax`,
    `_scclid=click-cookie; Max-Age=${7 * DAY_S}; Path=/; SameSite=Lax`,
  ]);

  // One cookie of each name: the tag's and the collector's have the same name, domain and path.
  const jar = await context.cookies(datafirst.url);
  expect(jar.map((c) => [c.name, c.value, c.domain, c.path, c.sameSite, c.httpOnly]).sort()).toEqual([
    ['_dfid', tagCookies._dfid, '127.0.0.1', '/', 'Lax', false],
    ['_scclid', 'click-cookie', '127.0.0.1', '/', 'Lax', false],
    ['_scid', tagCookies._scid, '127.0.0.1', '/', 'Lax', false],
  ]);
  const lifetime = (name: string) => Math.round((jar.find((c) => c.name === name)!.expires - loadedAt) / DAY_S);
  expect([lifetime('_dfid'), lifetime('_scid'), lifetime('_scclid')]).toEqual([395, 395, 7]);
});

test('_df.reset() forgets the user id and the cookies, and the next call is a new visitor', async ({ page, context }) => {
  const site = await testSite(context, datafirst.url);
  const landing = site.page('landing.html', { data: tagData });
  const account = site.page('account.html', { data: tagData });
  const sent = recordTagRequests(page);

  await page.goto(`${landing}?ScCid=click-reset`);
  await page.evaluate(() => _df.identify('user-reset', { email: 'reset@example.com' }));
  await queueDrained(page);
  await page.goto(account);
  await settle(page, datafirst, site.root);
  const before = await documentCookies(page);
  expect(before).toEqual({
    _dfid: expect.stringMatching(UUID_V4),
    _scid: expect.stringMatching(UUID_V4),
    _scclid: 'click-reset',
  });

  // The usual logout: a last event of the signed-in visitor, then reset, while that event is unsent.
  const afterReset = await page.evaluate(() => {
    _df.track('Signed Out');
    _df.reset();
    return { cookies: document.cookie, userId: localStorage.getItem('_df_uid') };
  });
  expect(afterReset).toEqual({ cookies: '', userId: null });
  await settle(page, datafirst, site.root);

  await page.evaluate(() => _df.track('Product Viewed', { product_id: 'SKU-RESET' }));
  const views = await waitForMockEvents(datafirst, site.root, 3).then((events) =>
    events.filter((event) => event.event_name === 'VIEW_CONTENT'),
  );
  const after = await documentCookies(page);
  const messages = messagesOf(sent);
  const signedOut = messages.find((m) => m.event === 'Signed Out')!;
  const viewed = messages.find((m) => m.event === 'Product Viewed')!;

  expect([signedOut.userId, signedOut.anonymousId, signedOut.context.snapchat]).toEqual([
    'user-reset',
    before._dfid,
    { clickId: 'click-reset', cookie1: before._scid },
  ]);
  expect(after).toEqual({ _dfid: expect.stringMatching(UUID_V4), _scid: expect.stringMatching(UUID_V4) });
  expect([after._dfid === before._dfid, after._scid === before._scid]).toEqual([false, false]);
  expect([viewed.userId, viewed.anonymousId, viewed.context.snapchat]).toEqual([
    undefined,
    after._dfid,
    { cookie1: after._scid },
  ]);
  expect(views).toHaveLength(1);
  expect(views[0]!.event_id).toBe(viewed.messageId);
  expect(views[0]!.user_data.sc_cookie1).toBe(after._scid);
  expect(views[0]!.user_data.sc_click_id).toBeUndefined();
  expect(views[0]!.user_data.em).toBeUndefined();
});
