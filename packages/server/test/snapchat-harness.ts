import { createHash } from 'node:crypto';
import type { MockRequest } from '@datafirst/snapchat';
import { expect } from 'vitest';
import type { TestCollector } from './start-collector.js';

// Shared by the tests that drive a real Datafirst against a standalone Snapchat mock: sources and
// integrations made through the admin API, messages sent through the HTTP ingest API, and what
// the mock received read back per asset.

/** The user agent of docs/snapchat-capi.md §7, sent in full. */
export const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const IP = '203.0.113.7';

/** A delivery as `GET /v1/admin/events` shows it. */
export interface AdminDelivery {
  integration_id: string;
  status: string;
  reason: string | null;
  payload: { url: string; event: Record<string, unknown> } | null;
  response: { status: number | null; body: unknown } | null;
}

/** An event as `GET /v1/admin/events` shows it. */
export interface AdminEvent {
  message: { messageId: string; type: string };
  deliveries: AdminDelivery[];
}

export interface TestIntegration {
  sourceId: string;
  writeKey: string;
  integrationId: string;
}

/** SHA-256 of already normalised text, computed here so the tests do not trust the library's hashing. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Creates a source and one Snapchat integration on it through the admin API. */
export async function createIntegration(
  collector: TestCollector,
  name: string,
  config: Record<string, unknown>,
): Promise<TestIntegration> {
  const sourceRes = await collector.admin('/v1/admin/sources', { method: 'POST', body: JSON.stringify({ name }) });
  expect(sourceRes.status).toBe(201);
  const source = (await sourceRes.json()) as { id: string; write_key: string };
  const integrationRes = await collector.admin('/v1/admin/integrations', {
    method: 'POST',
    body: JSON.stringify({ source_id: source.id, vendor: 'snapchat', name, enabled: true, config }),
  });
  const integration = (await integrationRes.json()) as { id: string; error?: string };
  expect(integrationRes.status, integration.error).toBe(201);
  return { sourceId: source.id, writeKey: source.write_key, integrationId: integration.id };
}

/** Posts messages to `POST /v1/batch` with the source's write key as the Basic user; expects 200. */
export async function postBatch(
  collector: TestCollector,
  writeKey: string,
  batch: unknown[],
  headers: Record<string, string> = {},
): Promise<void> {
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const res = await collector.post('/v1/batch', { batch }, { authorization, ...headers });
  expect(res.status, await res.clone().text()).toBe(200);
}

/**
 * The source's events once `count` of them are stored and none has a pending delivery. The worker
 * polls and is woken on ingest, so this polls too instead of sleeping a fixed time.
 */
export async function settledEvents(
  collector: TestCollector,
  sourceId: string,
  count: number,
  timeout = 20_000,
): Promise<Map<string, AdminEvent>> {
  // The admin API lists at most 500 events at a time.
  expect(count).toBeLessThanOrEqual(500);
  let events: AdminEvent[] = [];
  await expect
    .poll(
      async () => {
        const res = await collector.admin(`/v1/admin/events?source_id=${sourceId}&limit=500`);
        events = ((await res.json()) as { events: AdminEvent[] }).events;
        const pending = events.filter((event) => event.deliveries.some((delivery) => delivery.status === 'pending'));
        return { stored: events.length, pending: pending.map((event) => event.message.messageId) };
      },
      { timeout, interval: 100 },
    )
    .toEqual({ stored: count, pending: [] });
  return new Map(events.map((event) => [event.message.messageId, event]));
}

/** The one delivery of an event (each test source has one integration). */
export function deliveryOf(events: Map<string, AdminEvent>, messageId: string): AdminDelivery {
  const event = events.get(messageId);
  expect(event, `event ${messageId} is stored`).toBeDefined();
  expect(event!.deliveries).toHaveLength(1);
  return event!.deliveries[0]!;
}

/** Events the mock received in requests matching `filter`, by event id (v3 `event_id`, v2 `client_dedup_id`). */
export function receivedEvents(requests: MockRequest[]): Map<string, Record<string, unknown>> {
  const events = new Map<string, Record<string, unknown>>();
  for (const request of requests) {
    const body = JSON.parse(request.rawBody) as unknown;
    const list = (Array.isArray(body) ? body : (body as { data: unknown[] }).data) as Record<string, unknown>[];
    for (const event of list) {
      const id = String(event.event_id ?? event.client_dedup_id);
      expect(events.has(id), `${id} was received once`).toBe(false);
      events.set(id, event);
    }
  }
  return events;
}

/** Deep equality and the same key order: the request bodies must be byte-for-byte predictable. */
export function expectExactly(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}
