import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, startDatafirst, type DatafirstProcess } from '../../../e2e/support/datafirst.js';
import { startMockProcess, type MockProcess } from './mock-process.js';
import { receivedEvents } from './snapchat-harness.js';

// A kill -9 in the middle of a large run: the next run resumes, every row arrives exactly once.

const ROWS = 40_000;
const PIXEL = '7c2e4f1a-3b5d-4e6f-8a9b-0c1d2e3f4a5b';
const dir = mkdtempSync(join(tmpdir(), 'datafirst-sync-crash-'));
const running: (DatafirstProcess | MockProcess)[] = [];
afterAll(async () => {
  for (const p of running) await p.stop('SIGKILL' as never);
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Short leases, so the second life takes over the dead one's run soon; a request timeout long
 * enough that a slow machine never times out (and retries) a send; no worker in the first life.
 */
const env = (mockUrl: string, worker: boolean) => ({
  SNAPCHAT_API_URL: mockUrl,
  SNAPCHAT_TIMEOUT_MS: '8000',
  DATAFIRST_LEASE_MS: '9000',
  DATAFIRST_WORKER: worker ? '1' : '0',
});

async function call(server: DatafirstProcess, method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(server.adminUrl + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as Record<string, any>) };
}

it('resumes a run killed with SIGKILL and delivers every row exactly once', async () => {
  const warehousePath = join(dir, 'sales.sqlite');
  const warehouse = new Database(warehousePath);
  warehouse.exec('CREATE TABLE sales (sale_id INTEGER PRIMARY KEY, email TEXT, amount REAL, sold_at INTEGER)');
  const insert = warehouse.prepare('INSERT INTO sales VALUES (?, ?, ?, ?)');
  const soldAt = Math.floor(Date.now() / 1000) - 3600;
  warehouse.transaction(() => {
    for (let i = 1; i <= ROWS; i++) insert.run(i, `buyer${i}@example.com`, 10 + (i % 90), soldAt);
  })();
  warehouse.close();

  const mock = await startMockProcess();
  running.push(mock);
  const dbPath = join(dir, 'datafirst.db');
  const first = await startDatafirst({ dbPath, env: env(mock.url, false) });
  running.push(first);
  const source = await call(first, 'POST', '/v1/admin/sources', { name: 'Stores' });
  const integration = await call(first, 'POST', '/v1/admin/integrations', {
    source_id: source.id,
    vendor: 'snapchat',
    name: 'Pixel',
    enabled: true,
    config: { pixel_id: PIXEL, access_token: 'token' },
  });
  expect(integration.status).toBe(201);
  const wh = await call(first, 'POST', '/v1/admin/warehouses', {
    name: 'Sales',
    kind: 'sqlite',
    config: { url: `file:${warehousePath}` },
  });
  expect(wh.status, JSON.stringify(wh)).toBe(201);
  const sync = await call(first, 'POST', '/v1/admin/syncs', {
    name: 'Sales',
    warehouse_id: wh.id,
    source_id: source.id,
    query: 'select * from sales order by sale_id',
    primary_key: 'sale_id',
    mapping: {
      event: { value: 'Order Completed' },
      timestamp: 'sold_at',
      email: 'email',
      value: 'amount',
      currency: { value: 'USD' },
    },
  });
  expect(sync.status, JSON.stringify(sync)).toBe(201);
  const started = await call(first, 'POST', `/v1/admin/syncs/${sync.id}/run`);
  expect(started.status).toBe(202);

  // Kill it once some rows, but not all, are stored.
  let atKill: Record<string, any> = {};
  await expect
    .poll(async () => (atKill = await call(first, 'GET', `/v1/admin/syncs/${sync.id}/runs/${started.run_id}`)).counts.sent, {
      timeout: 30_000,
      interval: 10,
    })
    .toBeGreaterThan(0);
  first.process.kill('SIGKILL');
  await new Promise((resolve) => first.process.once('exit', resolve));
  expect(atKill.status).toBe('sending');
  expect(atKill.counts.sent).toBeLessThan(ROWS);

  const second = await startDatafirst({ dbPath, env: env(mock.url, true) });
  running.push(second);
  // The dead run's lease lapses after 9 s; until then the sync is busy.
  let resumed: Record<string, any> = {};
  await expect
    .poll(async () => (resumed = await call(second, 'POST', `/v1/admin/syncs/${sync.id}/run`)).status, { timeout: 10_000 })
    .toBe(202);
  let run: Record<string, any> = {};
  await expect
    .poll(async () => (run = await call(second, 'GET', `/v1/admin/syncs/${sync.id}/runs/${resumed.run_id}`)).status, {
      timeout: 60_000,
    })
    .toBe('succeeded');
  expect(run.counts.queried).toBe(ROWS);
  expect(run.counts.failed).toBe(0);
  // What the first life recorded is unchanged; the rest is new. Together: every row once.
  expect(run.counts.unchanged + run.counts.added).toBe(ROWS);
  expect(run.counts.unchanged).toBeGreaterThanOrEqual(atKill.counts.sent);
  const dead = await call(second, 'GET', `/v1/admin/syncs/${sync.id}/runs/${started.run_id}`);
  expect(dead.status).toBe('failed');

  await expect.poll(async () => (await mock.events()).length, { timeout: 90_000, interval: 500 }).toBe(ROWS);
  // Every request the mock got, read event by event: receivedEvents fails on an id seen twice.
  const received = receivedEvents((await mock.requests()).filter((request) => request.assetId === PIXEL));
  expect(received.size).toBe(ROWS);
  expect(received.has(`sync:${sync.id}:1`)).toBe(true);
  expect(received.has(`sync:${sync.id}:${ROWS}`)).toBe(true);
}, 180_000);
