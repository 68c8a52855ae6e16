import { startSnapchatMock, type SnapchatMock } from '@datafirst/snapchat';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
let mock: SnapchatMock;
let collector: TestCollector;

beforeAll(async () => {
  mock = await startSnapchatMock();
  collector = await startTestCollector(['--snapchat-url', mock.url, '--pixel-id', PIXEL], { SNAP_ACCESS_TOKEN: 'metrics-token' });
});
afterAll(async () => {
  await collector?.stopAndClean();
  await mock?.close();
});

async function metrics(): Promise<string> {
  const res = await fetch(`${collector.adminUrl}/metrics`);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample, e.g. `datafirst_events_received_total{source="src_x"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((label) => line.includes(label))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

it('counts received, rejected, delivered and retried events per integration, with the backlog and delivery latency', async () => {
  const integrations = (await (await collector.admin('/v1/admin/integrations')).json()) as {
    integrations: { id: string; source_id: string }[];
  };
  const { id: integration, source_id: source } = integrations.integrations[0]!;
  mock.setFaults({ mode: 'status', status: 503, count: 1 });
  const page = (messageId: string) => ({
    type: 'page',
    messageId,
    anonymousId: 'a',
    context: { page: { url: 'https://shop.example.com/' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
  });
  const res = await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [page('m-1'), page('m-2'), { type: 'nope' }] });
  // As Segment answers: the request was processed, and the one invalid message is listed.
  expect(res.status).toBe(200);
  expect(((await res.json()) as { rejected: unknown[] }).rejected).toHaveLength(1);

  await expect
    .poll(async () => sample(await metrics(), 'datafirst_deliveries_delivered_total', { integration }), { timeout: 10_000 })
    .toBe(2);
  const text = await metrics();
  expect(sample(text, 'datafirst_events_received_total', { source })).toBe(2);
  expect(sample(text, 'datafirst_events_rejected_total', { reason: 'message' })).toBe(1);
  expect(sample(text, 'datafirst_deliveries_retried_total', { integration })).toBe(2);
  expect(sample(text, 'datafirst_deliveries', { status: 'pending' })).toBe(0);
  expect(sample(text, 'datafirst_deliveries', { status: 'delivered' })).toBe(2);
  expect(sample(text, 'datafirst_delivery_latency_seconds_count', { integration })).toBe(2);
  // One request's events, stored in one append: one wait for a commit, of some time.
  expect(sample(text, 'datafirst_ingest_store_seconds_count')).toBe(1);
  expect(sample(text, 'datafirst_ingest_store_seconds_sum')).toBeGreaterThan(0);
  expect(sample(text, 'datafirst_ingest_store_seconds_bucket', { le: '+Inf' })).toBe(1);
  expect(text).toContain('# TYPE datafirst_deliveries_dead_lettered_total counter');
});

it('counts the skips ingest decides (no consent, excluded by the sender) with those the worker decides', async () => {
  const integrations = (await (await collector.admin('/v1/admin/integrations')).json()) as { integrations: { id: string }[] };
  const { id: integration } = integrations.integrations[0]!;
  const page = (messageId: string, extra: Record<string, unknown>) => ({
    type: 'page',
    messageId,
    anonymousId: 'a',
    ...extra,
    context: {
      page: { url: 'https://shop.example.com/' },
      ...(extra.context as object | undefined),
    },
  });
  const batch = [
    page('skip-consent', { context: { consent: { categoryPreferences: { advertising: false } } } }),
    page('skip-excluded', { integrations: { All: false } }),
  ];
  expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch })).status).toBe(200);
  // Sent again: stored once, counted once.
  expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch })).status).toBe(200);
  const text = await metrics();
  expect(sample(text, 'datafirst_deliveries_skipped_total', { integration, reason: 'no_consent' })).toBe(1);
  expect(sample(text, 'datafirst_deliveries_skipped_total', { integration, reason: 'excluded_by_sender' })).toBe(1);
});

it("reports each integration's lane owner, backlog and oldest pending age, read from the store at scrape time", async () => {
  const integrations = (await (await collector.admin('/v1/admin/integrations')).json()) as { integrations: { id: string }[] };
  const { id: integration } = integrations.integrations[0]!;
  // This collector's worker owns the lane; its name says the host and process.
  const owned = await metrics();
  const ownerLine = owned.split('\n').find((line) => line.startsWith(`datafirst_lane_owner{integration="${integration}"`));
  expect(ownerLine).toMatch(new RegExp(`owner=".+-${process.pid}-[0-9a-f]{8}"} 1$`));
  expect(sample(owned, 'datafirst_lane_backlog', { integration })).toBe(0);
  expect(sample(owned, 'datafirst_lane_oldest_pending_seconds', { integration })).toBe(0);

  // A collector without a worker on a database of its own: the events wait, and no one owns the lane.
  const idle = await startTestCollector(['--no-worker', '--snapchat-url', mock.url, '--pixel-id', PIXEL], {
    SNAP_ACCESS_TOKEN: 'metrics-token',
  });
  try {
    const page = (messageId: string) => ({
      type: 'page',
      messageId,
      anonymousId: 'a',
      context: { page: { url: 'https://shop.example.com/' } },
    });
    expect((await idle.post('/v1/batch', { writeKey: WRITE_KEY, batch: [page('w-1'), page('w-2'), page('w-3')] })).status).toBe(
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const waiting = await (await fetch(`${idle.adminUrl}/metrics`)).text();
    const [{ id: waitingIntegration }] = (
      (await (await idle.admin('/v1/admin/integrations')).json()) as { integrations: { id: string }[] }
    ).integrations as [{ id: string }];
    expect(sample(waiting, 'datafirst_lane_backlog', { integration: waitingIntegration })).toBe(3);
    expect(sample(waiting, 'datafirst_lane_oldest_pending_seconds', { integration: waitingIntegration })).toBeGreaterThanOrEqual(
      1,
    );
    expect(sample(waiting, 'datafirst_lane_owner', { integration: waitingIntegration })).toBeUndefined();
    expect(waiting).toContain('# TYPE datafirst_lane_owner gauge');
  } finally {
    await idle.stopAndClean();
  }
});
