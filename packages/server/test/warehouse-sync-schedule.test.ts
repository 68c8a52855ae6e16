import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, spawnWorker, startDatafirst, type DatafirstProcess } from '../../../e2e/support/datafirst.js';
import { startMockProcess, type MockProcess } from './mock-process.js';
import { receivedEvents } from './snapchat-harness.js';
import { largeSqliteSales, type LargeSales } from './warehouse-fixtures.js';

// A scheduled sync in real processes: a collector without a worker serves the admin API, and
// two `datafirst worker` processes share its database. The schedule runs the sync by itself,
// in one worker, once. (What a schedule does minutes later, and the lease while both want the
// same sync, are in sync-scheduler.test.ts, on a clock the test moves.)

const ROWS = 5000;
const PIXEL = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';

let table: LargeSales;
let mock: MockProcess;
let collector: DatafirstProcess;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  table = await largeSqliteSales(ROWS);
  mock = await startMockProcess();
  collector = await startDatafirst({ env: { SNAPCHAT_API_URL: mock.url, DATAFIRST_WORKER: '0' } });
}, 60_000);
afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await collector?.stop();
  await mock?.stop();
  await table?.close();
});

/** Starts `datafirst worker` on the collector's database, resolving once it says it started. */
function startWorker(): Promise<ChildProcess> {
  const { child, started } = spawnWorker(collector.dbPath, { SNAPCHAT_API_URL: mock.url, LOG_LEVEL: 'warn' });
  workers.push(child);
  return started;
}

async function call(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(collector.adminUrl + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, any>;
  expect(res.ok, JSON.stringify(answer)).toBe(true);
  return answer;
}

it('runs a sync with schedule.every_minutes by itself in a worker process, once with two workers on the database', async () => {
  const source = await call('POST', '/v1/admin/sources', { name: 'Stores' });
  await call('POST', '/v1/admin/integrations', {
    source_id: source.id,
    vendor: 'snapchat',
    name: 'Pixel',
    enabled: true,
    config: { pixel_id: PIXEL, access_token: 'token' },
  });
  const warehouse = await call('POST', '/v1/admin/warehouses', {
    name: 'Sales',
    kind: table.warehouse!.kind,
    config: { url: table.warehouse!.url },
  });
  const sync = await call('POST', '/v1/admin/syncs', {
    name: 'Sales',
    warehouse_id: warehouse.id,
    source_id: source.id,
    query: table.query,
    primary_key: 'sale_id',
    mapping: {
      event: { value: 'Order Completed' },
      timestamp: 'sold_at',
      email: 'email',
      value: 'amount',
      currency: { value: 'USD' },
    },
    schedule: { every_minutes: 60 },
  });
  // Nobody asks for a run: the collector has no worker, so no scheduler, and nothing runs yet.
  expect((await call('GET', `/v1/admin/syncs/${sync.id}/runs`)).runs).toEqual([]);

  // A new scheduled sync is due at once: both workers look for it as they start.
  await Promise.all([startWorker(), startWorker()]);
  const runs = async () => (await call('GET', `/v1/admin/syncs/${sync.id}/runs`)).runs as Record<string, any>[];
  await expect
    .poll(async () => (await runs()).map((run) => `${run.trigger} ${run.status}`), { timeout: 30_000 })
    .toEqual(['schedule succeeded']);
  expect((await runs())[0]!.counts).toMatchObject({ queried: ROWS, added: ROWS, sent: ROWS, failed: 0 });

  await expect.poll(async () => (await mock.events()).length, { timeout: 30_000, interval: 200 }).toBe(ROWS);
  // receivedEvents fails on an event id seen twice.
  const received = receivedEvents((await mock.requests()).filter((request) => request.assetId === PIXEL));
  expect(received.size).toBe(ROWS);
  // The next run is an hour away: still the one run.
  expect(await runs()).toHaveLength(1);
});
