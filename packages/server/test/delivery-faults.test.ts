import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDatafirst, WRITE_KEY, type DatafirstProcess } from '../../../e2e/support/datafirst.js';
import { startMockProcess, type MockProcess } from './mock-process.js';

// Server, workers and the Snapchat mock are real child processes talking real HTTP. Timeouts are
// short so that faults play out in seconds: requests time out after 1 s, leases after 3 s.
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';

let dir: string;
let mock: MockProcess;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const processes: DatafirstProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'datafirst-faults-'));
  mock = await startMockProcess();
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.stop('SIGKILL')));
  await mock.stop();
  rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}) {
  return {
    SNAPCHAT_API_URL: mock.url,
    SNAP_PIXEL_ID: PIXEL,
    SNAP_ACCESS_TOKEN: 'fault-token',
    SNAPCHAT_TIMEOUT_MS: '1000',
    DATAFIRST_LEASE_MS: '3000',
    DATAFIRST_BATCH_WAIT_MS: '20',
    ...extra,
  };
}

async function server(extra: Record<string, string> = {}): Promise<DatafirstProcess> {
  const p = await startDatafirst({ dbPath: join(dir, 'datafirst.db'), env: env(extra) });
  processes.push(p);
  return p;
}

/** Sends `count` page views in batches of `perBatch`; returns the acknowledged messageIds. */
async function sendPageViews(url: string, prefix: string, count: number, perBatch = 25): Promise<string[]> {
  const acknowledged: string[] = [];
  for (let start = 0; start < count; start += perBatch) {
    const batch = Array.from({ length: Math.min(perBatch, count - start) }, (_, i) => ({
      type: 'page',
      messageId: `${prefix}-${start + i}`,
      anonymousId: 'anon',
      context: { page: { url: 'https://shop.example.com/' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
    }));
    try {
      const res = await fetch(`${url}/v1/batch`, { method: 'POST', body: JSON.stringify({ writeKey: WRITE_KEY, batch }) });
      if (res.status === 200) acknowledged.push(...batch.map((m) => m.messageId));
    } catch {
      // The server died mid-request: those events were not acknowledged.
    }
  }
  return acknowledged;
}

async function eventIdsAtMock(): Promise<string[]> {
  return (await mock.events()).map((e) => e.event.event_id as string);
}

async function expectAllDelivered(ids: string[], timeout = 30_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const received = new Set(await eventIdsAtMock());
        return ids.filter((id) => !received.has(id)).length;
      },
      { timeout, interval: 250 },
    )
    .toBe(0);
}

describe('delivery through faults', () => {
  it('delivers every acknowledged event through a storm of 500s', async () => {
    const datafirst = await server();
    await mock.setFaults({ mode: 'status', status: 500, count: 3 });
    const ids = await sendPageViews(datafirst.url, 'storm', 60);
    expect(ids).toHaveLength(60);
    await expectAllDelivered(ids);
    const requests = await mock.requests();
    expect(requests.filter((r) => r.response?.status === 500)).toHaveLength(3);
    // Each retry carried the same event_ids, so the mock saw each event accepted once.
    expect((await eventIdsAtMock()).sort()).toEqual([...ids].sort());
  });

  it('rests the lane while Snapchat keeps failing: one request per backoff period, not one per new batch', async () => {
    const datafirst = await server();
    await mock.setFaults({ mode: 'status', status: 500, count: 10_000 });
    // Events keep arriving, 10 every 100 ms for 5 s, as a shop's traffic does through the outage.
    const ids: string[] = [];
    for (let round = 0; round < 50; round++) {
      ids.push(...(await sendPageViews(datafirst.url, `outage-${round}`, 10, 10)));
      await sleep(100);
    }
    const failed = (await mock.requests()).filter((r) => r.response?.status === 500).length;
    // Rests of up to 1, 2, 4 and 8 s (full jitter): a handful of requests in 5 s, whatever the traffic.
    expect(failed).toBeGreaterThanOrEqual(1);
    expect(failed).toBeLessThanOrEqual(8);
    await mock.clearFaults();
    await expectAllDelivered(ids, 45_000);
    expect((await eventIdsAtMock()).sort()).toEqual([...ids].sort());
  }, 60_000);

  it('waits out a 429 Retry-After before sending to that pixel again', async () => {
    const datafirst = await server();
    await mock.setFaults({ mode: 'rate_limit', retryAfter: 2, count: 1 });
    const ids = await sendPageViews(datafirst.url, 'limited', 10, 10);
    await expectAllDelivered(ids);
    const requests = (await mock.requests()).filter((r) => r.path.endsWith('/events'));
    expect(requests[0]!.response?.status).toBe(429);
    const pause = Date.parse(requests[1]!.receivedAt) - Date.parse(requests[0]!.receivedAt);
    expect(pause).toBeGreaterThanOrEqual(2000);
  });

  it('makes the worker that takes a lane over wait out the Retry-After its killed owner was given', async () => {
    const first = await server();
    await mock.setFaults({ mode: 'rate_limit', retryAfter: 8, count: 1 });
    const limited = await sendPageViews(first.url, 'limited', 5, 5);
    // Kill the owner once it has recorded the 429's outcome: it records the rest before that, so
    // the rest is durable. Killed any earlier, no worker could know of the Retry-After.
    await expect
      .poll(
        async () => {
          const { events } = await first.admin<{ events: { deliveries: { attempts: number }[] }[] }>('/v1/admin/events?limit=10');
          return events.some((event) => event.deliveries.some((delivery) => delivery.attempts > 0));
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(true);
    expect((await mock.requests()).some((r) => r.response?.status === 429)).toBe(true);
    await first.stop('SIGKILL');
    processes.splice(processes.indexOf(first), 1);
    // Events queued after the 429 are due at once: only the lane's rest holds them back.
    const next = await server();
    const later = await sendPageViews(next.url, 'later', 5, 5);
    await expectAllDelivered([...limited, ...later], 30_000);
    const requests = (await mock.requests()).filter((r) => r.path.endsWith('/events'));
    expect(requests[0]!.response?.status).toBe(429);
    const pause = Date.parse(requests[1]!.receivedAt) - Date.parse(requests[0]!.receivedAt);
    expect(pause).toBeGreaterThanOrEqual(8000);
  });

  it('retries an answer slower than the timeout with the same event_ids', async () => {
    const datafirst = await server();
    await mock.setFaults({ mode: 'delay', ms: 1500, count: 1 });
    const ids = await sendPageViews(datafirst.url, 'slow', 5, 5);
    await expectAllDelivered(ids);
    const requests = (await mock.requests()).filter((r) => r.path.endsWith('/events'));
    expect(requests.length).toBeGreaterThanOrEqual(2);
    const eventIds = (r: { body: any }) => r.body.data.map((e: { event_id: string }) => e.event_id).sort();
    expect(eventIds(requests[1]!)).toEqual(eventIds(requests[0]!));
  });

  it('retries after connection resets, before and after Snapchat accepted the events', async () => {
    const datafirst = await server();
    await mock.setFaults([
      { mode: 'reset', count: 1 },
      { mode: 'reset_after_accept', count: 1 },
    ]);
    const ids = await sendPageViews(datafirst.url, 'reset', 8, 8);
    await expectAllDelivered(ids);
    // Accepted twice is fine: the same event_id lets Snapchat count it once.
    expect(new Set(await eventIdsAtMock())).toEqual(new Set(ids));
  });

  it('loses no acknowledged event when the server is killed with SIGKILL in the middle of a load', async () => {
    let datafirst = await server();
    await mock.setFaults({ mode: 'delay', ms: 300, count: 0 });
    const sending = sendPageViews(datafirst.url, 'kill', 20_000, 50);
    // Kill it while a request to Snapchat is in flight (the mock holds each for 300 ms), not after a
    // fixed time that a slow machine may not have reached that point by.
    await expect.poll(async () => (await mock.requests()).some((r) => r.response === null), { timeout: 10_000 }).toBe(true);
    datafirst.process.kill('SIGKILL');
    const acknowledged = await sending;
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.length).toBeLessThan(20_000);
    await mock.clearFaults();
    datafirst = await server();
    await expectAllDelivered(acknowledged, 45_000);
  });
});

describe('several workers on one database', () => {
  it('never sends the same delivery from two workers at once', async () => {
    const collector = await server({ DATAFIRST_WORKER: '0' });
    const ids = await sendPageViews(collector.url, 'shared', 3000, 100);
    expect(ids).toHaveLength(3000);
    await mock.setFaults({ mode: 'delay', ms: 100, count: 0 });
    // Two worker-only processes on the same file, with small batches so they compete for work.
    for (let i = 0; i < 2; i++) {
      const { spawn } = await import('node:child_process');
      const cli = new URL('../dist/cli.js', import.meta.url).pathname;
      const child = spawn(process.execPath, [cli, 'worker', '--db', join(dir, 'datafirst.db')], {
        env: { ...process.env, ...env({ DATAFIRST_BATCH_WAIT_MS: '0' }), LOG_LEVEL: 'warn' },
        stdio: 'ignore',
      });
      processes.push({ process: child, stop: async () => void child.kill('SIGKILL') } as unknown as DatafirstProcess);
    }
    await expectAllDelivered(ids, 45_000);
    const received = await eventIdsAtMock();
    expect(received).toHaveLength(3000);
    expect(new Set(received).size).toBe(3000);
  });
});

describe('pixels are independent lanes', () => {
  const OTHER_PIXEL = '0b6a4a8e-1f7d-4c1e-9a55-2d3c4b5a6f70';
  const SLOW_PIXEL = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';

  async function integration(datafirst: DatafirstProcess, body: Record<string, unknown>): Promise<{ id: string }> {
    const sources = await datafirst.admin<{ sources: { id: string }[] }>('/v1/admin/sources');
    const res = await fetch(`${datafirst.adminUrl}/v1/admin/integrations`, {
      method: 'POST',
      headers: { authorization: 'Bearer e2e-admin-token-of-24-characters', 'content-type': 'application/json' },
      body: JSON.stringify({ source_id: sources.sources[0]!.id, vendor: 'snapchat', ...body }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string };
  }

  it('keeps delivering to a healthy pixel while another is paused for bad credentials and a third is rate-limited', async () => {
    await mock.stop();
    mock = await startMockProcess(['--token', `fault-token:${PIXEL},${SLOW_PIXEL}`, '--token', `other-token:${OTHER_PIXEL}`]);
    const datafirst = await server();
    const broken = await integration(datafirst, {
      name: 'Broken',
      config: { pixel_id: OTHER_PIXEL, access_token: 'wrong-token' },
    });
    await integration(datafirst, {
      name: 'Slow',
      config: { pixel_id: SLOW_PIXEL, access_token: 'fault-token', rate_limit_rps: 0.2, rate_limit_burst: 1 },
    });
    // Many small requests: the slow pixel may send one request every 5 s.
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(...(await sendPageViews(datafirst.url, `lane-${i}`, 4, 4)));
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await expect
      .poll(
        async () =>
          (await mock.events()).filter((e) => (e.event.event_id as string).startsWith('lane-') && e.assetId === PIXEL).length,
        {
          timeout: 10_000,
        },
      )
      .toBe(20);
    const events = await datafirst.admin<{
      events: { deliveries: { integration_id: string; status: string; reason: string }[] }[];
    }>('/v1/admin/events?limit=20');
    const brokenDeliveries = events.events.flatMap((e) => e.deliveries.filter((d) => d.integration_id === broken.id));
    expect(brokenDeliveries.every((d) => d.status === 'blocked')).toBe(true);
    expect(brokenDeliveries[0]!.reason).toMatch(/^paused: credentials refused/);
    const slowReceived = (await mock.events()).filter((e) => e.assetId === SLOW_PIXEL).length;
    expect(slowReceived).toBeLessThan(20);

    // Fixing the token requeues the parked deliveries.
    const patched = await fetch(`${datafirst.adminUrl}/v1/admin/integrations/${broken.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer e2e-admin-token-of-24-characters', 'content-type': 'application/json' },
      body: JSON.stringify({ config: { access_token: 'other-token' } }),
    });
    expect(((await patched.json()) as { paused_reason: string | null }).paused_reason).toBeNull();
    await expect
      .poll(async () => (await mock.events()).filter((e) => e.assetId === OTHER_PIXEL).length, { timeout: 10_000 })
      .toBe(20);
  });
});

describe('dead letters', () => {
  it('dead-letters a delivery once its retry window is over, its last try at the end, and replays it on request', async () => {
    // A 5.4-second retry window (0.0015 h) so that giving up happens within the test.
    const datafirst = await server({ DATAFIRST_RETRY_WINDOW_HOURS: '0.0015' });
    await mock.setFaults({ mode: 'status', status: 503, count: 0 });
    const sentAt = Date.now();
    const ids = await sendPageViews(datafirst.url, 'dead', 3, 3);
    const statuses = async () =>
      (await datafirst.admin<{ events: { deliveries: { status: string; reason: string }[] }[] }>('/v1/admin/events?status=dead'))
        .events;
    await expect.poll(async () => (await statuses()).length, { timeout: 15_000 }).toBe(3);
    expect((await statuses())[0]!.deliveries[0]!.reason).toMatch(/^gave up after \d+ tries: /);
    // The last try is at the window's end, give or take the lease's round: not seconds after it.
    const tries = (await mock.requests()).filter((r) => r.path.endsWith('/events')).map((r) => Date.parse(r.receivedAt) - sentAt);
    expect(Math.max(...tries)).toBeGreaterThan(4_000);
    expect(Math.max(...tries)).toBeLessThan(5_400 + 1_500);
    await mock.clearFaults();

    const replay = await fetch(`${datafirst.adminUrl}/v1/admin/deliveries/replay`, {
      method: 'POST',
      headers: { authorization: 'Bearer e2e-admin-token-of-24-characters', 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'gave up' }),
    });
    expect(await replay.json()).toEqual({ replayed: 3 });
    await expectAllDelivered(ids);
  });
});

describe('shutdown', () => {
  it('on SIGTERM finishes the sends in flight and records them, so a restart sends nothing twice', async () => {
    let datafirst = await server();
    await mock.setFaults({ mode: 'delay', ms: 700, count: 1 });
    const ids = await sendPageViews(datafirst.url, 'term', 10, 10);
    await expect.poll(async () => (await mock.requests()).length, { timeout: 5000 }).toBe(1);
    const exited = new Promise<number | null>((resolve) => datafirst.process.once('exit', (code) => resolve(code)));
    datafirst.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect((await eventIdsAtMock()).sort()).toEqual([...ids].sort());

    datafirst = await server();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await mock.requests()).toHaveLength(1);
  });
});

describe('a disabled integration', () => {
  it('sends nothing more once switched off, and says so for what was queued', async () => {
    const collector = await server({ DATAFIRST_WORKER: '0' });
    const ids = await sendPageViews(collector.url, 'off', 5, 5);
    const { integrations } = await collector.admin<{ integrations: { id: string }[] }>('/v1/admin/integrations');
    const patched = await fetch(`${collector.adminUrl}/v1/admin/integrations/${integrations[0]!.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer e2e-admin-token-of-24-characters', 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(patched.status).toBe(200);
    const { spawn } = await import('node:child_process');
    const cli = new URL('../dist/cli.js', import.meta.url).pathname;
    const child = spawn(process.execPath, [cli, 'worker', '--db', join(dir, 'datafirst.db')], {
      env: { ...process.env, ...env(), LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    processes.push({ process: child, stop: async () => void child.kill('SIGKILL') } as unknown as DatafirstProcess);
    const statuses = async () =>
      (
        await collector.admin<{ events: { message: { messageId: string }; deliveries: { status: string; reason: string }[] }[] }>(
          '/v1/admin/events?limit=10',
        )
      ).events
        .filter((e) => ids.includes(e.message.messageId))
        .map((e) => `${e.deliveries[0]!.status}: ${e.deliveries[0]!.reason}`);
    await expect.poll(statuses, { timeout: 10_000 }).toEqual(Array(5).fill('skipped: integration_disabled'));
    expect(await mock.requests()).toEqual([]);
  });
});
