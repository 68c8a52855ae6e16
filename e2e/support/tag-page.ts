import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type BrowserContext, type Page, type Request } from '@playwright/test';
import { WRITE_KEY, type DatafirstProcess, type MockEvent } from './datafirst.js';

export { expect };

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
    [assignment, ...Object.entries(options.data ?? {}).map(([name, value]) => `${script}.dataset.${name}=${JSON.stringify(value)}`)].join(','),
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
  /** Serves a page at `path` (any query string) and returns its URL. */
  page(path: string, options?: TagPageOptions): string;
}

/** Serves pages under `/test/` of `origin` to every page of the context, through Playwright's routing. */
export async function testSite(context: BrowserContext, origin: string): Promise<TestSite> {
  const pages = new Map<string, TagPageOptions>();
  await context.route(
    (url) => url.origin === origin && url.pathname.startsWith('/test/'),
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
    page(path, options = {}) {
      if (!path.startsWith('/test/')) throw new Error(`test pages live under /test/, not ${path}`);
      pages.set(path, options);
      return origin + path;
    },
  };
}

/** One request the tag made to the collector: a fetch, or a beacon (which carries `?writeKey=`). */
export interface TagRequest {
  url: string;
  beacon: boolean;
  messages: Record<string, any>[];
}

/** Records every batch the page posts to `/v1/batch`, including beacons sent as it unloads. */
export function recordTagRequests(page: Page): TagRequest[] {
  const requests: TagRequest[] = [];
  page.on('request', (request: Request) => {
    if (request.method() !== 'POST' || !new URL(request.url()).pathname.endsWith('/v1/batch')) return;
    const body = JSON.parse(request.postData() ?? '{"batch":[]}') as { batch: Record<string, any>[] };
    requests.push({ url: request.url(), beacon: request.url().includes('writeKey='), messages: body.batch });
  });
  return requests;
}

/** The messages waiting in the tag's localStorage queue. */
export async function queued(page: Page): Promise<Record<string, any>[]> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), QUEUE_KEY);
}

/** The tag's cookies as the page's scripts see them. */
export async function documentCookies(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries(document.cookie.split('; ').filter(Boolean).map((pair) => pair.split('=') as [string, string])));
}

/** Events the Snapchat mock accepted from pages whose URL starts with `urlPrefix`. */
export async function mockEventsFrom(datafirst: DatafirstProcess, urlPrefix: string): Promise<MockEvent['event'][]> {
  return (await datafirst.mockEvents()).map((e) => e.event).filter((event) => String(event.event_source_url).startsWith(urlPrefix));
}

/** Waits until the mock has accepted `count` events from pages under `urlPrefix`, and returns them. */
export async function waitForMockEvents(datafirst: DatafirstProcess, urlPrefix: string, count: number): Promise<MockEvent['event'][]> {
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
  deliveries: { status: string; reason?: string | null }[];
}

/** Events the collector stored from pages whose URL starts with `urlPrefix`, oldest first. */
export async function storedEventsFrom(datafirst: DatafirstProcess, urlPrefix: string): Promise<StoredEvent[]> {
  const { events } = await datafirst.admin<{ events: StoredEvent[] }>('/v1/admin/events?limit=500');
  return events.filter((e) => String(e.message.context?.page?.url ?? '').startsWith(urlPrefix)).reverse();
}

/**
 * Waits until nothing more can reach the mock from pages under `urlPrefix`: the page's queue is
 * empty and every stored delivery has an outcome. Counting duplicates is only meaningful after it.
 */
export async function settle(page: Page, datafirst: DatafirstProcess, urlPrefix: string): Promise<void> {
  await expect.poll(() => queued(page), { message: 'the tag queue empties' }).toEqual([]);
  await expect
    .poll(async () => (await storedEventsFrom(datafirst, urlPrefix)).flatMap((e) => e.deliveries).filter((d) => d.status === 'pending').length, {
      message: 'every delivery has an outcome',
      timeout: 15_000,
    })
    .toBe(0);
}

/**
 * Playwright's `test`, failing any test in which the page sees an exception: the tag must never
 * throw into its host page.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await use(page);
    expect(errors, 'exceptions that reached the page').toEqual([]);
  },
});
