import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, spawnWorker, startDatafirst, WRITE_KEY, type DatafirstProcess } from '../../../e2e/support/datafirst.js';
import { startMockProcess, type MockProcess } from './mock-process.js';

// Two `datafirst worker` processes and a collector without a worker on one SQLite file, sending to
// the Snapchat mock as a real process. Each integration's lane is owned by one worker, so the
// rate-limited pixel's requests, measured by the mock's own clock, never exceed its rate and
// burst, even though two workers could send them; killing its owner with SIGKILL hands the lane
// to the other once the lease (2 s here) runs out.

const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const LIMITED_PIXEL = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const RPS = 4;
const BURST = 2;
const EVENTS = 1000;

let dir: string;
let mock: MockProcess;
let collector: DatafirstProcess;
const workers: ChildProcess[] = [];

/** What every process is started with: the mock, short timeouts and leases. */
const env = () => ({
  SNAPCHAT_API_URL: mock.url,
  SNAP_PIXEL_ID: PIXEL,
  SNAP_ACCESS_TOKEN: 'lane-token',
  SNAPCHAT_TIMEOUT_MS: '1000',
  DATAFIRST_LEASE_MS: '2000',
  DATAFIRST_BATCH_WAIT_MS: '20',
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'datafirst-lanes-'));
  mock = await startMockProcess();
  collector = await startDatafirst({ dbPath: join(dir, 'datafirst.db'), env: { ...env(), DATAFIRST_WORKER: '0' } });
}, 30_000);
afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await collector?.stop('SIGKILL');
  await mock?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `datafirst worker` on the collector's database, resolving once it says it started. */
function startWorker(): Promise<ChildProcess> {
  const { child, started } = spawnWorker(collector.dbPath, { ...env(), LOG_LEVEL: 'warn' });
  workers.push(child);
  return started;
}

/** Sends page views `from`..`to`-1 in requests of 5, a request every 10 ms. */
async function sendPageViews(from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 5) {
    const batch = Array.from({ length: Math.min(5, to - start) }, (_, i) => ({
      type: 'page',
      messageId: `lane-${start + i}`,
      anonymousId: 'anon',
      context: { page: { url: 'https://shop.example.com/' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
    }));
    const res = await fetch(`${collector.url}/v1/batch`, {
      method: 'POST',
      body: JSON.stringify({ writeKey: WRITE_KEY, batch }),
    });
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Each lane's owner as the collector's /metrics tells it (read from the database), by integration id. */
async function laneOwners(): Promise<Record<string, string>> {
  const text = await (await fetch(`${collector.adminUrl}/metrics`)).text();
  const owners: Record<string, string> = {};
  for (const match of text.matchAll(/^datafirst_lane_owner\{integration="([^"]+)",owner="([^"]+)"\} 1$/gm)) {
    owners[match[1]!] = match[2]!;
  }
  return owners;
}

/** The process id in a worker's owner name (`<host>-<pid>-<random>`). */
const pidOf = (owner: string) => Number(/-(\d+)-[0-9a-f]{8}$/.exec(owner)![1]);

/** Most requests the mock received in any one second, from its own arrival times. */
function maxPerSecond(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

it("sends a rate-limited pixel's events from one worker at a time, within its rate, and hands its lane over when the owner is killed", async () => {
  const sources = await collector.admin<{ sources: { id: string }[] }>('/v1/admin/sources');
  const created = await fetch(`${collector.adminUrl}/v1/admin/integrations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      source_id: sources.sources[0]!.id,
      vendor: 'snapchat',
      name: 'Limited',
      config: { pixel_id: LIMITED_PIXEL, access_token: 'lane-token', rate_limit_rps: RPS, rate_limit_burst: BURST },
    }),
  });
  expect(created.status).toBe(201);
  const limited = ((await created.json()) as { id: string }).id;
  const [first, second] = [await startWorker(), await startWorker()];

  await sendPageViews(0, EVENTS / 2);
  // Two lanes, two workers: each owns one.
  await expect.poll(async () => new Set(Object.values(await laneOwners())).size, { timeout: 10_000 }).toBe(2);
  const owner = (await laneOwners())[limited]!;
  const [victim, survivor] = pidOf(owner) === first.pid ? [first, second] : [second, first];
  expect(pidOf(owner)).toBe(victim.pid);
  const exited = new Promise((resolve) => victim.once('exit', resolve));
  victim.kill('SIGKILL');
  await exited;

  await sendPageViews(EVENTS / 2, EVENTS);
  const ids = Array.from({ length: EVENTS }, (_, i) => `lane-${i}`).sort();
  const counted = async (pixel: string) =>
    (await mock.events())
      .filter((e) => e.assetId === pixel && !e.duplicate.eventId)
      .map((e) => e.event.event_id as string)
      .sort();
  await expect.poll(() => counted(LIMITED_PIXEL), { timeout: 20_000, interval: 250 }).toEqual(ids);
  await expect.poll(() => counted(PIXEL), { timeout: 10_000, interval: 250 }).toEqual(ids);
  expect(pidOf((await laneOwners())[limited]!)).toBe(survivor.pid);

  const requests = (await mock.requests()).filter((r) => r.assetId === LIMITED_PIXEL && r.path.endsWith('/events'));
  const times = requests.map((r) => Date.parse(r.receivedAt)).sort((a, b) => a - b);
  const events = await mock.events();
  const resent = events.filter((e) => e.assetId === LIMITED_PIXEL && e.duplicate.eventId).length;
  console.log(
    `lanes: ${EVENTS} events sent; ${LIMITED_PIXEL.slice(0, 8)}: ${requests.length} requests, ` +
      `${events.filter((e) => e.assetId === LIMITED_PIXEL).length} events accepted, ${resent} resent after the kill; ` +
      `at most ${maxPerSecond(times)} requests in one second (limit ${RPS}/s, burst ${BURST})`,
  );
  // The limit was what paced them: more requests than one second's rate and burst, never more
  // than that within a second (below), so the sends spanned over a second at the limit. (How many
  // more depends on how fast this machine sends the events: under load, fewer and fuller.)
  expect(requests.length).toBeGreaterThan(RPS + BURST);
  // A token bucket lets through at most its burst and the rate times the time: in one second, RPS + BURST.
  expect(maxPerSecond(times)).toBeLessThanOrEqual(RPS + BURST);
}, 60_000);
