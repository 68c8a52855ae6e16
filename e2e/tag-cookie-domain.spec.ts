import config from './playwright.config.js';
import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';
import {
  documentCookies,
  expect,
  messagesOf,
  queueDrained,
  recordTagRequests,
  settle,
  test,
  testSite,
  UUID_V4,
} from './support/tag-page.js';

// Two hosts of one site, www.shop.test and shop.test, both resolved to the collector on 127.0.0.1.
// Chromium counts a page fulfilled by Playwright's routing as a public address, and stops a public
// page on plain http from loading anything from loopback (Local Network Access): these pages stand
// for the site's own pages, so that check is off.
const launchOptions = config.use!.launchOptions!;
test.use({
  launchOptions: {
    ...launchOptions,
    args: [
      ...launchOptions.args!,
      '--host-resolver-rules=MAP *.shop.test 127.0.0.1, MAP shop.test 127.0.0.1',
      '--disable-features=LocalNetworkAccessChecks',
    ],
  },
});

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst({ env: { DATAFIRST_COOKIE_DOMAIN: 'shop.test' } });
});
test.afterAll(async () => {
  await datafirst?.stop();
});

test('with the same cookie domain on the tag and the collector, each identity cookie exists once and the whole site shares it', async ({
  page,
  context,
}) => {
  const port = new URL(datafirst.url).port;
  const www = await testSite(context, `http://www.shop.test:${port}`);
  const apex = await testSite(context, `http://shop.test:${port}`);
  const data = { cookieDomain: 'shop.test' };
  const landing = www.page('landing.html', { data });
  const other = apex.page('other.html', { data });
  const sent = recordTagRequests(page);

  const answered = page.waitForResponse(`http://www.shop.test:${port}/v1/batch`);
  await page.goto(`${landing}?ScCid=domain-click`);
  const setCookie = (await (await answered).headersArray())
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value);
  await settle(page, datafirst, landing);
  const cookies = await documentCookies(page);
  expect(cookies).toEqual({
    _dfid: expect.stringMatching(UUID_V4),
    _scid: expect.stringMatching(UUID_V4),
    _scclid: 'domain-click',
  });
  expect(setCookie).toEqual([
    `_dfid=${cookies._dfid}; Max-Age=34128000; Path=/; SameSite=Lax; Domain=shop.test`,
    `_scid=${cookies._scid}; Max-Age=34128000; Path=/; SameSite=Lax; Domain=shop.test`,
    `_scclid=domain-click; Max-Age=2419200; Path=/; SameSite=Lax; Domain=shop.test`,
  ]);
  expect((await context.cookies()).map((c) => [c.name, c.domain]).sort()).toEqual([
    ['_dfid', '.shop.test'],
    ['_scclid', '.shop.test'],
    ['_scid', '.shop.test'],
  ]);

  await queueDrained(page);
  await page.goto(other);
  await settle(page, datafirst, other);
  const [, onOtherHost] = messagesOf(sent);
  expect([onOtherHost!.context.page.url, onOtherHost!.anonymousId, onOtherHost!.context.snapchat]).toEqual([
    other,
    cookies._dfid,
    { clickId: 'domain-click', cookie1: cookies._scid },
  ]);
});
