import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type BrowserContext, type Page, type Request } from '@playwright/test';
import { WRITE_KEY, type DatafirstProcess, type MockEvent } from './datafirst.js';

export { expect };
export { WRITE_KEY };

/** localStorage key of the tag's send queue for the e2e write key. */
export const QUEUE_KEY = `_df_q:${WRITE_KEY}`;

/** A UUID v4, as the tag makes its ids and messageIds. */
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const template = readFileSync(fileURLToPath(new URL('../../packages/tag/dist/snippet.html', import.meta.url)), 'utf8');

/** How a synthetic page carries the tag. */
export interface TagPageOptions {
  /** Extra `data-` attributes of the tag's script element, by dataset name: `{ spa: 'true' }`. */
  data?: Record<string, string>;
  /** Where `_df.js` is loaded from (default `/_df.js`, the collector's own). */
  src?: string;
  /** How many times the snippet is pasted (default 1; 0 for a page without the tag). */
  snippets?: number;
  /** A `nonce` attribute for the snippet's script element. */
  nonce?: string;
  /** More HTML for `<head>`, after the snippet. */
  head?: string;
  /** The `<body>`'s HTML. */
  body?: string;
  /** Response headers, such as a Content-Security-Policy. */
  headers?: Record<string, string>;
  title?: string;
}

/**
 * The snippet exactly as the tag package builds it, filled in as a site owner would: `_df.js` and
 * the e2e write key, plus any `data-` attributes set on the script element before it is added, as
 * the tag's README shows.
 */
export function snippet(options: Pick<TagPageOptions, 'data' | 'src' | 'nonce'> = {}): string {
  const filled = template.replaceAll('__DF_SRC__', options.src ?? '/_df.js').replaceAll('__DF_WRITE_KEY__', WRITE_KEY);
  const withData = filled.replace(/(\w+)\.dataset\.writeKey=("[^"]*")/, (assignment, script: string) =>
    [
      assignment,
      ...Object.entries(options.data ?? {}).map(([name, value]) => `${script}.dataset.${name}=${JSON.stringify(value)}`),
    ].join(','),
  );
  return options.nonce ? withData.replace('<script>', `<script nonce="${options.nonce}">`) : withData;
}

/** A whole HTML page carrying the snippet. */
export function tagPageHtml(options: TagPageOptions = {}): string {
  const snippets = Array.from({ length: options.snippets ?? 1 }, () => snippet(options)).join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${options.title ?? 'Test page'}</title>
${snippets}
${options.head ?? ''}
</head><body>${options.body ?? ''}</body></html>`;
}

/** Synthetic pages served on the collector's own origin; the tag and the collector stay real. */
export interface TestSite {
  /**
   * The path every page of this site starts with, `/test/<random>/`: the events of one test's pages
   * are those whose URL starts with `root`, however many tests share the collector.
   */
  path: string;
  /** The origin and `path`. */
  root: string;
  /** Serves a page at `root` + `name` (with any query string) and returns its URL. */
  page(name: string, options?: TagPageOptions): string;
}

/**
 * Serves pages under a fresh `/test/<random>/` of `origin` to every page of the context, through
 * Playwright's routing.
 *
 * Routing pauses every request of the context until Playwright lets it go on, and Playwright lets
 * none go on whose page has already gone: a keepalive request still in flight as such a page is left
 * never reaches the collector, although a browser without routing sends it (the demo shop's tests,
 * which use no routing, show the tag's hand-over at page changes). A test of a routed site whose
 * point is not that hand-over waits for `queueDrained` before it leaves a page.
 */
export async function testSite(context: BrowserContext, origin: string): Promise<TestSite> {
  const path = `/test/${randomBytes(4).toString('hex')}/`;
  const pages = new Map<string, TagPageOptions>();
  await context.route(
    (url) => url.origin === origin && url.pathname.startsWith(path),
    (route) => {
      const options = pages.get(new URL(route.request().url()).pathname);
      if (!options) return route.fulfill({ status: 404, body: 'no such test page' });
      return route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        headers: { 'cache-control': 'no-store', ...options.headers },
        body: tagPageHtml(options),
      });
    },
  );
  return {
    path,
    root: origin + path,
    page(name, options = {}) {
      pages.set(path + name, options);
      return origin + path + name;
    },
  };
}

/** One batch the tag posted to the collector. */
export interface TagRequest {
  url: string;
  messages: Record<string, any>[];
}

/** Records every batch the page posts to `/v1/batch` with fetch (Playwright does not see beacons). */
export function recordTagRequests(page: Page): TagRequest[] {
  const requests: TagRequest[] = [];
  page.on('request', (request: Request) => {
    if (request.method() !== 'POST' || !new URL(request.url()).pathname.endsWith('/v1/batch')) return;
    const body = JSON.parse(request.postData() ?? '{"batch":[]}') as { batch: Record<string, any>[] };
    requests.push({ url: request.url(), messages: body.batch });
  });
  return requests;
}

/**
 * The messages of these requests in the order they were first sent, each once: a message whose
 * request failed is sent again, and the collector keeps one.
 */
export function messagesOf(requests: TagRequest[]): Record<string, any>[] {
  const seen = new Set<string>();
  return requests.flatMap((request) => request.messages).filter((m) => !seen.has(m.messageId) && seen.add(m.messageId));
}

const BEACON_LOG = '__test_beacons';

/**
 * Records every `navigator.sendBeacon` call of the context's pages in sessionStorage, where the
 * next page of the tab can read it: beacons go out as a page unloads, and neither Playwright's
 * network events nor its routing see them. The beacon itself is still sent by the browser.
 */
export async function spyOnBeacons(context: BrowserContext): Promise<void> {
  await context.addInitScript((key) => {
    const send = navigator.sendBeacon.bind(navigator);
    // The tag beacons its batches as JSON text.
    navigator.sendBeacon = (url, body) => {
      const log = JSON.parse(sessionStorage.getItem(key) ?? '[]') as unknown[];
      sessionStorage.setItem(key, JSON.stringify([...log, { url: String(url), body: body as string }]));
      return send(url, body);
    };
  }, BEACON_LOG);
}

/** The beacons this tab's pages have sent, as `spyOnBeacons` recorded them. */
export async function beaconsSent(page: Page): Promise<TagRequest[]> {
  const log = await page.evaluate(
    (key) => JSON.parse(sessionStorage.getItem(key) ?? '[]') as { url: string; body: string }[],
    BEACON_LOG,
  );
  return log.map(({ url, body }) => ({ url, messages: (JSON.parse(body) as { batch: Record<string, any>[] }).batch }));
}

/** The messages waiting in the tag's localStorage queue, or null before the tag has written it. */
export async function queued(page: Page): Promise<Record<string, any>[] | null> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), QUEUE_KEY);
}

/** The tag's cookies as the page's scripts see them. */
export async function documentCookies(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      document.cookie
        .split('; ')
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
  );
}

/** Events the Snapchat mock accepted from pages whose URL starts with `urlPrefix`. */
export async function mockEventsFrom(datafirst: DatafirstProcess, urlPrefix: string): Promise<MockEvent['event'][]> {
  return (await datafirst.mockEvents())
    .map((e) => e.event)
    .filter((event) => String(event.event_source_url).startsWith(urlPrefix));
}

/** Waits until the mock has accepted `count` events from pages under `urlPrefix`, and returns them. */
export async function waitForMockEvents(
  datafirst: DatafirstProcess,
  urlPrefix: string,
  count: number,
): Promise<MockEvent['event'][]> {
  let events: MockEvent['event'][] = [];
  await expect
    .poll(async () => (events = await mockEventsFrom(datafirst, urlPrefix)).length, {
      message: `events from ${urlPrefix} at the Snapchat mock`,
      timeout: 15_000,
    })
    .toBeGreaterThanOrEqual(count);
  return events;
}

/** An event as `GET /v1/admin/events` shows it. */
export interface StoredEvent {
  id: string;
  name: string;
  message: Record<string, any>;
  /** Each delivery's outcome, and why when it was not sent. */
  deliveries: { status: string; reason: string | null }[];
}

/** Events the collector stored from pages whose URL starts with `urlPrefix`, oldest first. */
export async function storedEventsFrom(datafirst: DatafirstProcess, urlPrefix: string): Promise<StoredEvent[]> {
  const { events } = await datafirst.admin<{ events: StoredEvent[] }>('/v1/admin/events?limit=500');
  return events
    .filter((e) => String(e.message.context?.page?.url ?? '').startsWith(urlPrefix))
    .map(({ id, name, message, deliveries }) => ({
      id,
      name,
      message,
      deliveries: deliveries.map(({ status, reason }) => ({ status, reason })),
    }))
    .reverse();
}

/** Waits until the tag has its queue answered for: nothing stored, nothing in flight. */
export async function queueDrained(page: Page): Promise<void> {
  await expect.poll(() => queued(page), { message: 'the tag queue empties' }).toEqual([]);
}

/**
 * Waits until nothing more can reach the mock from pages under `urlPrefix`: the page's queue is
 * empty and every stored delivery has an outcome. Counting duplicates is only meaningful after it.
 */
export async function settle(page: Page, datafirst: DatafirstProcess, urlPrefix: string): Promise<void> {
  await queueDrained(page);
  await expect
    .poll(
      async () =>
        (await storedEventsFrom(datafirst, urlPrefix)).flatMap((e) => e.deliveries).filter((d) => d.status === 'pending').length,
      {
        message: 'every delivery has an outcome',
        timeout: 15_000,
      },
    )
    .toBe(0);
}

/**
 * Playwright's `test`, failing any test in which a page of its context sees an uncaught exception:
 * the tag must never throw into its host page.
 */
export const test = base.extend({
  context: async ({ context }, use) => {
    const errors: string[] = [];
    context.on('weberror', (error) => errors.push(`${error.page()?.url()}: ${String(error.error())}`));
    await use(context);
    expect(errors, 'exceptions that reached a page').toEqual([]);
  },
});
