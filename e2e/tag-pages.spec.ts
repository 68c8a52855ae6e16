import { createHash } from 'node:crypto';
import type { BrowserContext } from '@playwright/test';
import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';
import {
  expect,
  messagesOf,
  mockEventsFrom,
  recordTagRequests,
  settle,
  snippet,
  storedEventsFrom,
  test,
  testSite,
  waitForMockEvents,
  WRITE_KEY,
} from './support/tag-page.js';

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

test('with data-spa, each new URL of a single-page app is a page view, and a new fragment or state is not', async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const app = site.page('app.html', { data: { spa: 'true' } });
  const sent = recordTagRequests(page);
  await page.goto(app);

  await page.evaluate((path) => {
    history.pushState(null, '', `${path}products`);
    history.replaceState(null, '', `${path}products#reviews`);
    history.replaceState({ scrollY: 420 }, '', `${path}products#reviews`);
    document.title = 'Trail shoes';
    history.pushState(null, '', `${path}products/sku-1?color=red`);
  }, site.path);
  const popped = page.evaluate(() => new Promise((resolve) => addEventListener('popstate', resolve, { once: true })));
  await page.goBack({ waitUntil: 'commit' });
  await popped;
  await waitForMockEvents(datafirst, site.root, 4);
  await settle(page, datafirst, site.root);

  const pages = messagesOf(sent).filter((m) => m.type === 'page');
  expect(pages.map((m) => [m.context.page.url, m.context.page.title])).toEqual([
    [app, 'Test page'],
    [`${site.root}products`, 'Test page'],
    [`${site.root}products/sku-1?color=red`, 'Trail shoes'],
    [`${site.root}products`, 'Trail shoes'],
  ]);
  const events = await mockEventsFrom(datafirst, site.root);
  const byId = new Map(events.map((e) => [e.event_id, e]));
  expect(pages.map((m) => [byId.get(m.messageId)?.event_name, byId.get(m.messageId)?.event_source_url])).toEqual(
    pages.map((m) => ['PAGE_VIEW', m.context.page.url]),
  );
  expect(events).toHaveLength(4);
});

test('a page that includes the snippet twice and _df.js once more records one page view and each call once', async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html', {
    snippets: 2,
    head: `<script src="/_df.js" data-write-key="${WRITE_KEY}"></script>`,
  });
  await page.goto(url);
  await page.evaluate(() => _df.track('Product Viewed', { product_id: 'SKU-DOUBLE' }));
  await settle(page, datafirst, url);

  expect(await page.evaluate(() => [document.querySelectorAll('script[src="/_df.js"]').length, Array.isArray(_df)])).toEqual([
    2,
    false,
  ]);
  expect((await storedEventsFrom(datafirst, url)).map((e) => e.name)).toEqual(['page', 'Product Viewed']);
  expect((await mockEventsFrom(datafirst, url)).map((e) => e.event_name).sort()).toEqual(['PAGE_VIEW', 'VIEW_CONTENT']);
});

/** Records the page's Content-Security-Policy violations, from before any of its scripts runs. */
async function recordViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const violations: string[] = ((window as any).__violations = []);
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
}

// A script that the policy must block: proof that it is enforced.
const UNSAFE_INLINE = '<script>window.unsafeInlineRan = true</script>';

test('under a strict nonce-based Content-Security-Policy the snippet loads the tag and events arrive', async ({
  page,
  context,
}) => {
  await recordViolations(context);
  const site = await testSite(context, datafirst.url);
  const nonce = 'cDFmZi1ub25jZS0x';
  const url = site.page('nonce.html', {
    nonce,
    body: UNSAFE_INLINE,
    headers: {
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic'; connect-src 'self'; base-uri 'none'; object-src 'none'; form-action 'none'; frame-ancestors 'none'`,
    },
  });
  await page.goto(url);
  await page.evaluate(() => _df.track('Product Viewed', { product_id: 'SKU-CSP' }));
  await settle(page, datafirst, url);

  expect((await mockEventsFrom(datafirst, url)).map((e) => e.event_name).sort()).toEqual(['PAGE_VIEW', 'VIEW_CONTENT']);
  expect(await page.evaluate(() => [(window as any).unsafeInlineRan, (window as any).__violations])).toEqual([
    undefined,
    ['script-src-elem inline'],
  ]);
});

test('under a Content-Security-Policy that allows the snippet by its hash and the tag by its origin, events arrive', async ({
  page,
  context,
}) => {
  await recordViolations(context);
  const site = await testSite(context, datafirst.url);
  const code = snippet().replace(/^<script>|<\/script>$/g, '');
  const hash = createHash('sha256').update(code).digest('base64');
  const url = site.page('hash.html', {
    body: UNSAFE_INLINE,
    headers: { 'content-security-policy': `default-src 'none'; script-src 'sha256-${hash}' 'self'; connect-src 'self'` },
  });
  await page.goto(url);
  await waitForMockEvents(datafirst, url, 1);
  await settle(page, datafirst, url);

  expect((await mockEventsFrom(datafirst, url)).map((e) => e.event_name)).toEqual(['PAGE_VIEW']);
  expect(await page.evaluate(() => [(window as any).unsafeInlineRan, (window as any).__violations])).toEqual([
    undefined,
    ['script-src-elem inline'],
  ]);
});

test("with the collector behind a path of the site, data-api sends the tag's batches there", async ({ page, context }) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html', { src: '/df/_df.js', data: { api: '/df' } });
  // The site's reverse proxy: /df/… is the collector's /…, as in the README's nginx example.
  const proxied: string[] = [];
  await context.route(`${datafirst.url}/df/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    proxied.push(`${route.request().method()} ${path}`);
    const response = await route.fetch({ url: datafirst.url + path.slice('/df'.length) });
    await route.fulfill({ response });
  });
  const sent = recordTagRequests(page);

  await page.goto(`${url}?ScCid=api-click`);
  await page.evaluate(() => _df.track('Product Viewed', { product_id: 'SKU-API' }));
  await settle(page, datafirst, url);

  expect(new Set(sent.map((r) => r.url))).toEqual(new Set([`${datafirst.url}/df/v1/batch`]));
  expect(proxied[0]).toBe('GET /df/_df.js');
  expect(new Set(proxied.slice(1))).toEqual(new Set(['POST /df/v1/batch']));
  const events = await mockEventsFrom(datafirst, url);
  expect(events.map((e) => [e.event_name, e.user_data.sc_click_id]).sort()).toEqual([
    ['PAGE_VIEW', 'api-click'],
    ['VIEW_CONTENT', 'api-click'],
  ]);
});

test('bad calls are dropped without an exception reaching the page, and the calls after them still arrive', async ({
  page,
  context,
}) => {
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html');
  await page.goto(url);

  const outcome = await page.evaluate(() => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    try {
      _df.track('Circular', circular);
      _df.track('Big number', { value: 10n });
      _df.page(
        new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('hostile properties');
            },
          },
        ),
      );
      (_df.consent as (choice?: unknown) => void)();
      (_df.consent as (choice?: unknown) => void)(null);
      _df.track('Product Viewed', { product_id: 'SKU-GUEST' });
      return 'no exception';
    } catch (error) {
      return String(error);
    }
  });
  expect(outcome).toBe('no exception');
  await settle(page, datafirst, url);
  expect((await storedEventsFrom(datafirst, url)).map((e) => e.name)).toEqual(['page', 'Product Viewed']);
  expect((await mockEventsFrom(datafirst, url)).map((e) => e.event_name).sort()).toEqual(['PAGE_VIEW', 'VIEW_CONTENT']);
});

test('where localStorage throws, as in sandboxed frames, the tag keeps its queue in memory and still delivers', async ({
  page,
  context,
}) => {
  await context.addInitScript(() =>
    Object.defineProperty(window, 'localStorage', {
      get: () => {
        throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError');
      },
    }),
  );
  const site = await testSite(context, datafirst.url);
  const url = site.page('page.html');
  await page.goto(url);
  expect(
    await page.evaluate(() => {
      try {
        return typeof localStorage;
      } catch (error) {
        return (error as DOMException).name;
      }
    }),
  ).toBe('SecurityError');
  await page.evaluate(() => _df.track('Product Viewed', { product_id: 'SKU-NO-STORAGE' }));

  const events = await waitForMockEvents(datafirst, url, 2);
  expect(events.map((e) => e.event_name).sort()).toEqual(['PAGE_VIEW', 'VIEW_CONTENT']);
});
