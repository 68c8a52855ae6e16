import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestCollector } from './start-collector.js';

// Shared by the smart-link tests: sources, pixels, links and postback keys made through the admin
// API, clicks made by following the link like a browser, and what the built-in Snapchat mock got.

/** The Snapchat in-app browser on an iPhone: what a fan swiping up on an ad arrives with. */
export const FAN_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Snapchat/12.80.0.35';
/** The fan's address, as the reverse proxy in front of Datafirst reports it. */
export const FAN_IP = '198.51.100.23';

export interface MockEvent {
  assetId: string;
  test: boolean;
  event: Record<string, any>;
}

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Creates a source and a Snapchat pixel on it; returns their ids and the pixel id. */
export async function sourceWithPixel(
  collector: TestCollector,
  name: string,
): Promise<{ sourceId: string; integrationId: string; pixelId: string }> {
  const source = await json(await collector.admin('/v1/admin/sources', { method: 'POST', body: JSON.stringify({ name }) }));
  const pixel = await addPixel(collector, source.id, `${name} pixel`);
  return { sourceId: source.id, ...pixel };
}

/** Adds a Snapchat integration with a fresh pixel id to a source. */
export async function addPixel(collector: TestCollector, sourceId: string, name: string, pixelId: string = randomUUID()) {
  const res = await collector.admin('/v1/admin/integrations', {
    method: 'POST',
    body: JSON.stringify({
      source_id: sourceId,
      vendor: 'snapchat',
      name,
      config: { pixel_id: pixelId, access_token: `token-${pixelId.slice(0, 8)}` },
    }),
  });
  const body = await json(res);
  expect(res.status, body.error).toBe(201);
  return { integrationId: body.id as string, pixelId };
}

/** Creates a smart link; expects 201. */
export async function createLink(
  collector: TestCollector,
  body: Record<string, unknown>,
): Promise<{ id: string; url: string } & Record<string, any>> {
  const res = await collector.admin('/v1/admin/links', { method: 'POST', body: JSON.stringify(body) });
  const link = await json(res);
  expect(res.status, JSON.stringify(link)).toBe(201);
  return link;
}

/** Creates (or rotates) a source's postback key and returns it. */
export async function postbackKey(collector: TestCollector, sourceId: string): Promise<string> {
  const res = await collector.admin(`/v1/admin/sources/${sourceId}/postback-key`, { method: 'POST' });
  expect(res.status).toBe(201);
  return (await json(res)).postback_key;
}

/** Follows a smart link as a fan's browser would, without following the redirect. */
export async function follow(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { redirect: 'manual', headers: { 'user-agent': FAN_UA, 'x-forwarded-for': FAN_IP, ...headers } });
  const location = res.headers.get('location');
  const clickParam = location ? new URL(location).searchParams.get('df_click_id') : null;
  return { res, status: res.status, location, clickId: clickParam };
}

/** Sends a postback as an offer network would (GET with every parameter in the query). */
export async function postback(collector: TestCollector, params: Record<string, string>) {
  const res = await fetch(`${collector.url}/v1/postback?${new URLSearchParams(params).toString()}`);
  return { status: res.status, body: await json(res) };
}

/** Live (not test) events the built-in mock accepted for one pixel. */
export async function mockEvents(collector: TestCollector, pixelId: string, test = false): Promise<MockEvent[]> {
  const { events } = await json<{ events: MockEvent[] }>(await collector.admin('/snapchat-mock/__mock/events'));
  return events.filter((e) => e.assetId === pixelId && e.test === test);
}

/** Requests the built-in mock received for one pixel. */
export async function mockRequests(
  collector: TestCollector,
  pixelId: string,
): Promise<{ path: string; body: { data: Record<string, any>[] } }[]> {
  const { requests } = await json<{ requests: any[] }>(await collector.admin('/snapchat-mock/__mock/requests'));
  return requests.filter((r) => r.assetId === pixelId && r.route === 'v3.send');
}

/** Waits until the worker has nothing pending or in flight, so that counts are final. */
export async function settled(collector: TestCollector): Promise<void> {
  await expect
    .poll(async () => (await json(await collector.admin('/v1/admin/events?status=pending&limit=500'))).events.length, {
      timeout: 15_000,
    })
    .toBe(0);
}

/** The events stored for the given message ids, with their deliveries, as the debugger shows them. */
export async function storedEvents(collector: TestCollector, sourceId: string): Promise<Map<string, any>> {
  const { events } = await json(await collector.admin(`/v1/admin/events?source_id=${sourceId}&limit=500`));
  return new Map(events.map((e: any) => [e.message.messageId, e]));
}
