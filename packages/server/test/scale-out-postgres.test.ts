import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Agent, fetch } from 'undici';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { postgresServer, uniqueName, type TestDatabaseServer } from '../../store/test/databases.js';
import { startMockProcess, type MockProcess } from './mock-process.js';
import { startTcpProxy, type TcpProxy } from '../../store/test/tcp-proxy.js';

// Several machines, simulated: collectors and workers as separate processes on one PostgreSQL,
// as an operator runs them behind a load balancer. What must hold whatever dies: every event a
// collector acknowledged reaches Snapchat, each event_id counted once per pixel (a resend after a
// worker was killed mid-send is one Snapchat deduplicates), and each pixel's request rate stays
// within its limit for the whole deployment (one worker owns its lane at a time).

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const ADMIN_TOKEN = 'scale-out-admin-token-of-24-chars';
const PIXELS = ['7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9', '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'];
const RPS = 4;
const BURST = 2;
/** A short lease, so that a killed worker's lanes and deliveries are taken over within the test. */
const LEASE_MS = 2000;

interface Running {
  child: ChildProcess;
  url?: string;
  adminUrl?: string;
  output(): string;
}

let server: TestDatabaseServer;
let mock: MockProcess;
const running: ChildProcess[] = [];
const databases: string[] = [];
const agent = new Agent({ connections: 16 });

beforeAll(async () => {
  server = await postgresServer();
  mock = await startMockProcess();
}, 90_000);
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
  // On a shared server (DATAFIRST_TEST_DATABASE_URL), leave nothing behind.
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    for (const name of databases.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
});
afterAll(async () => {
  await agent.close();
  await mock?.stop();
  await server?.stop();
});

/** A fresh database of its own on the test server: its URL. */
async function freshDatabase(): Promise<string> {
  const name = uniqueName('df_scale');
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    databases.push(name);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts `datafirst <args>` and resolves once it says it is serving (a collector) or started (a worker). */
function startProcess(args: string[], databaseUrl: string): Promise<Running> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: {
      ...process.env,
      DATAFIRST_DATABASE_URL: databaseUrl,
      DATAFIRST_ADMIN_TOKEN: ADMIN_TOKEN,
      SNAPCHAT_API_URL: mock.url,
      // A request to Snapchat gives up well within the lease.
      SNAPCHAT_TIMEOUT_MS: '1000',
      DATAFIRST_BATCH_WAIT_MS: '20',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  const isWorker = args[0] === 'worker';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`datafirst ${args[0]} did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const publicMatch = /listening on (http:\/\/\S+)/.exec(output);
      const adminMatch = /Admin listener on (http:\/\/\S+)/.exec(output);
      if (isWorker ? output.includes('Datafirst worker started') : publicMatch && adminMatch) {
        clearTimeout(timer);
        resolve({ child, url: publicMatch?.[1], adminUrl: adminMatch?.[1], output: () => output });
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`datafirst ${args[0]} exited with ${code ?? signal}:\n${output}`));
    });
  });
}

const collectorArgs = ['start', '--no-worker', '--port', '0', '--host', '127.0.0.1', '--admin-port', '0'];
const workerArgs = ['worker', '--lease', String(LEASE_MS)];

async function admin(collector: Running, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(collector.adminUrl + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent,
  });
  const answer = (await res.json()) as Record<string, unknown>;
  expect(res.ok, JSON.stringify(answer)).toBe(true);
  return answer;
}

/** A source with a Snapchat integration per pixel, each limited to RPS requests a second: its write key. */
async function pixelSource(collector: Running, pixels: readonly string[]): Promise<string> {
  const source = await admin(collector, 'POST', '/v1/admin/sources', { name: 'Shop' });
  for (const [i, pixel] of pixels.entries()) {
    await admin(collector, 'POST', '/v1/admin/integrations', {
      source_id: source.id,
      vendor: 'snapchat',
      name: `Pixel ${i + 1}`,
      enabled: true,
      config: { pixel_id: pixel, access_token: 'token', rate_limit_rps: RPS, rate_limit_burst: BURST },
    });
  }
  return source.write_key as string;
}

interface Answer {
  status: number;
  retryAfter: string | null;
  ids: string[];
}

let sequence = 0;
/** Posts a batch of `size` fresh purchases; the answer's status (0 when the collector is gone) and their ids. */
async function postBatch(collector: Running, writeKey: string, size: number): Promise<Answer> {
  const ids = Array.from({ length: size }, () => `scale-${process.pid}-${sequence++}`);
  const batch = ids.map((messageId) => ({
    type: 'track',
    event: 'Order Completed',
    messageId,
    userId: `user-${messageId}`,
    properties: { order_id: messageId, value: 10, currency: 'USD' },
    context: {
      ip: '203.0.113.7',
      page: { url: 'https://shop.example.com/checkout' },
      traits: { email: `${messageId}@example.com` },
    },
  }));
  try {
    const res = await fetch(`${collector.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ batch }),
      dispatcher: agent,
    });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ids };
  } catch {
    return { status: 0, retryAfter: null, ids };
  }
}

/** What the mock counted for a pixel: the event_ids it accepted as new, and the resends it deduplicated. */
async function counted(pixel: string): Promise<{ accepted: string[]; resent: number }> {
  const events = (await mock.events()).filter((event) => event.assetId === pixel);
  const accepted = events.filter((event) => !event.duplicate.eventId).map((event) => String(event.event.event_id));
  return { accepted, resent: events.length - accepted.length };
}

/** The acknowledged ids the mock has not counted for `pixel` yet. */
async function missing(pixel: string, acknowledged: readonly string[]): Promise<number> {
  const accepted = new Set((await counted(pixel)).accepted);
  return acknowledged.filter((id) => !accepted.has(id)).length;
}

/** The most requests the mock got for a pixel within any one second, by its own clock. */
async function maxRequestsInASecond(pixel: string): Promise<number> {
  const times = (await mock.requests())
    .filter((request) => request.assetId === pixel && request.path.endsWith('/events'))
    .map((request) => Date.parse(request.receivedAt))
    .sort((a, b) => a - b);
  let max = 0;
  for (let start = 0, end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= 1000) start++;
    max = Math.max(max, end - start + 1);
  }
  return max;
}

/** The distinct owners of lanes, as a collector's /metrics reads them from the database. */
async function laneOwners(collector: Running): Promise<Set<string>> {
  const text = await (await fetch(`${collector.adminUrl}/metrics`, { dispatcher: agent })).text();
  return new Set([...text.matchAll(/^datafirst_lane_owner\{integration="[^"]+",owner="([^"]+)"\} 1$/gm)].map((m) => m[1]!));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('delivers every acknowledged event once per pixel, within the rate limit, with two collectors and two workers, one of each killed mid-load', async () => {
  await mock.clearFaults();
  const databaseUrl = await freshDatabase();
  // Two collectors start at once on a fresh database: one migrates, the other waits for it.
  const [first, second] = await Promise.all([startProcess(collectorArgs, databaseUrl), startProcess(collectorArgs, databaseUrl)]);
  const writeKey = await pixelSource(first, PIXELS);
  const workers = await Promise.all([startProcess(workerArgs, databaseUrl), startProcess(workerArgs, databaseUrl)]);
  // Both workers live and known: each will own one pixel's lane once there is work.
  const answers = [{ ...(await postBatch(first, writeKey, 1)), via: first }];
  expect(answers[0]!.status).toBe(200);
  await expect.poll(async () => (await laneOwners(first)).size, { timeout: 10_000 }).toBe(2);

  const started = Date.now();
  let killedAt = 0;
  const acknowledgedBySecond = () => answers.filter((answer) => answer.via === second && answer.status === 200).length;
  // Four clients spread over both collectors as a load balancer would. Once 1.5 s have passed and
  // the second collector has acknowledged its share (however slow a loaded machine makes it; by
  // 20 s at the latest), one collector and one worker (each worker owns a lane and is sending)
  // die with SIGKILL, and the clients carry on for 2.5 s against what is left.
  await Promise.all(
    Array.from({ length: 4 }, async (_, client) => {
      while (killedAt === 0 || Date.now() - killedAt < 2500) {
        const elapsed = Date.now() - started;
        if (killedAt === 0 && elapsed > 1500 && (acknowledgedBySecond() > 10 || elapsed > 20_000)) {
          killedAt = Date.now();
          second.child.kill('SIGKILL');
          workers[0].child.kill('SIGKILL');
        }
        const via = killedAt !== 0 || client % 2 === 0 ? first : second;
        answers.push({ ...(await postBatch(via, writeKey, 20)), via });
      }
    }),
  );
  const sent = answers.flatMap((answer) => answer.ids);
  const acknowledged = answers.filter((answer) => answer.status === 200).flatMap((answer) => answer.ids);
  // The one left answers every request; the killed one served its share until it died, and
  // answers nothing to a request it had when it was killed.
  expect(answers.filter((answer) => answer.via === first && answer.status !== 200)).toEqual([]);
  const viaSecond = answers.filter((answer) => answer.via === second);
  expect(viaSecond.filter((answer) => answer.status !== 200 && answer.status !== 0)).toEqual([]);
  expect(viaSecond.filter((answer) => answer.status === 200).length).toBeGreaterThan(10);
  expect(acknowledged.length).toBeGreaterThan(1000);

  for (const pixel of PIXELS) {
    await expect.poll(() => missing(pixel, acknowledged), { timeout: 40_000, interval: 500 }).toBe(0);
  }
  const sentIds = new Set(sent);
  const figures = [];
  for (const pixel of PIXELS) {
    const { accepted, resent } = await counted(pixel);
    // Only events a client sent (some stored by the killed collector without an answer), each counted once.
    expect(accepted.filter((id) => !sentIds.has(id))).toEqual([]);
    expect(new Set(accepted).size).toBe(accepted.length);
    const maxRate = await maxRequestsInASecond(pixel);
    expect(maxRate).toBeLessThanOrEqual(RPS + BURST);
    figures.push({ delivered: accepted.length, resent, maxRate });
  }
  console.log(
    `scale-out on PostgreSQL: ${sent.length} events sent, ${acknowledged.length} acknowledged, ` +
      figures
        .map(
          (f, i) =>
            `pixel ${i + 1}: ${f.delivered} delivered, ${f.resent} resends deduplicated by Snapchat, ` +
            `at most ${f.maxRate} requests in a second (limit ${RPS}/s + burst ${BURST})`,
        )
        .join('; '),
  );
  expect(workers[1].child.exitCode).toBeNull();
  expect(first.child.exitCode).toBeNull();
}, 60_000);

it('answers 503 with Retry-After while PostgreSQL is away, and the collector and worker deliver everything acknowledged once it is back', async () => {
  await mock.clearFaults();
  const databaseUrl = await freshDatabase();
  const target = new URL(databaseUrl);
  const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  try {
    const viaProxy = new URL(databaseUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const collector = await startProcess(collectorArgs, viaProxy.toString());
    const writeKey = await pixelSource(collector, PIXELS.slice(0, 1));
    const worker = await startProcess(workerArgs, viaProxy.toString());

    const answers: Answer[] = [];
    const started = Date.now();
    let cutAt = 0;
    let restoredAt = 0;
    // What the admin API, /metrics and /readyz answer while it is away: 503 with Retry-After too.
    const during: { path: string; status: number; retryAfter: string | null }[] = [];
    // Two clients for 6 s; PostgreSQL is away from 1.5 s to 4.5 s.
    const outage = (async () => {
      await sleep(1500);
      await proxy.cut();
      cutAt = Date.now();
      await sleep(500);
      for (const path of ['/v1/admin/sources', '/metrics', '/readyz']) {
        const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
        const res = await fetch(collector.adminUrl + path, { headers, dispatcher: agent });
        during.push({ path, status: res.status, retryAfter: res.headers.get('retry-after') });
      }
      await sleep(2500);
      await proxy.restore();
      restoredAt = Date.now();
    })();
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        while (Date.now() - started < 6000) {
          const answer = await postBatch(collector, writeKey, 20);
          answers.push(answer);
          if (answer.status !== 200) await sleep(100);
        }
      }),
    );
    await outage;
    // Every answer is an acknowledgement or a 503 that says when to retry: never an error of another kind.
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
    }
    expect(cutAt).toBeGreaterThan(0);
    expect(during).toEqual([
      { path: '/v1/admin/sources', status: 503, retryAfter: '5' },
      { path: '/metrics', status: 503, retryAfter: '5' },
      { path: '/readyz', status: 503, retryAfter: '5' },
    ]);
    // The collector reconnected by itself: requests are acknowledged again, and it says it is ready.
    const after = await postBatch(collector, writeKey, 20);
    expect(after.status).toBe(200);
    expect((await fetch(`${collector.url}/readyz`, { dispatcher: agent })).status).toBe(200);
    answers.push(after);
    const acknowledged = answers.filter((answer) => answer.status === 200).flatMap((answer) => answer.ids);

    await expect.poll(() => missing(PIXELS[0]!, acknowledged), { timeout: 30_000, interval: 500 }).toBe(0);
    console.log(
      `PostgreSQL away for ${restoredAt - cutAt} ms: ${answers.length} requests, ${refused.length} answered 503 ` +
        `with Retry-After, ${acknowledged.length} events acknowledged and delivered`,
    );
    expect(collector.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
  } finally {
    await proxy.close();
  }
}, 60_000);
