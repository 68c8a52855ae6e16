import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, startDatafirst, type DatafirstProcess } from '../../../e2e/support/datafirst.js';
import { startMockProcess, type MockProcess } from './mock-process.js';
import { receivedEvents } from './snapchat-harness.js';
import type { LargeSales } from './warehouse-fixtures.js';

// A kill -9 in the middle of a large run, against a real collector process: the next run
// resumes, and every row arrives at the Snapchat mock exactly once.

const ROWS = 25_000;
const PIXEL = '7c2e4f1a-3b5d-4e6f-8a9b-0c1d2e3f4a5b';

/**
 * The first life holds the run's lease briefly (renewed every third of a second while it lives), so
 * the second life takes the dead run over soon; it has no worker, so its short lease leases no
 * delivery. The second life sends: a lease and request timeout long enough that a slow machine
 * never times out (and retries) a send.
 */
const firstLife = (mockUrl: string) => ({
  SNAPCHAT_API_URL: mockUrl,
  SNAPCHAT_TIMEOUT_MS: '500',
  DATAFIRST_LEASE_MS: '1000',
  DATAFIRST_WORKER: '0',
});
const secondLife = (mockUrl: string) => ({
  SNAPCHAT_API_URL: mockUrl,
  SNAPCHAT_TIMEOUT_MS: '8000',
  DATAFIRST_LEASE_MS: '9000',
  DATAFIRST_WORKER: '1',
});

/** An admin API answer: the HTTP status and the parsed body. */
interface Answer {
  status: number;
  body: Record<string, any>;
}

async function call(server: DatafirstProcess, method: string, path: string, body?: unknown): Promise<Answer> {
  const csv = typeof body === 'string';
  const res = await fetch(server.adminUrl + path, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': csv ? 'text/csv' : 'application/json' },
    body: body === undefined ? undefined : csv ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/**
 * Kills a collector with SIGKILL while it runs a sync of a large table, starts another on the
 * same database, and runs the sync again there. A warehouse sync resumes with a new run. A CSV
 * upload cannot resume (its body died with the first process): the same file uploaded again
 * sends only the rows not yet stored, none twice.
 */
export function describeKilledRun(open: (rows: number) => Promise<LargeSales>, engine: LargeSales['engine']): void {
  let table: LargeSales;
  let mock: MockProcess;
  const dir = mkdtempSync(join(tmpdir(), 'datafirst-sync-crash-'));
  const running: (DatafirstProcess | MockProcess)[] = [];
  beforeAll(async () => {
    table = await open(ROWS);
    mock = await startMockProcess();
    running.push(mock);
  }, 90_000);
  afterAll(async () => {
    for (const p of running) await p.stop('SIGKILL' as never);
    await table?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the sync's run: a warehouse run, or an upload left streaming (it dies with the process). */
  async function startRun(server: DatafirstProcess, syncId: string): Promise<void> {
    if (engine === 'csv') {
      void call(server, 'POST', `/v1/admin/syncs/${syncId}/upload`, table.csv()).catch(() => undefined);
      return;
    }
    expect((await call(server, 'POST', `/v1/admin/syncs/${syncId}/run`)).status).toBe(202);
  }

  /** The sync's latest run, once it has one. */
  async function latestRun(server: DatafirstProcess, syncId: string): Promise<Record<string, any> | undefined> {
    return ((await call(server, 'GET', `/v1/admin/syncs/${syncId}/runs`)).body.runs as Record<string, any>[])[0];
  }

  /** Runs the sync to its end in the second life, once the dead run's lease has lapsed (409 until then). */
  async function runAgain(server: DatafirstProcess, syncId: string): Promise<Record<string, any>> {
    let answer: Answer = { status: 0, body: {} };
    if (engine === 'csv') {
      // The upload answers when its run has ended.
      await expect
        .poll(async () => (answer = await call(server, 'POST', `/v1/admin/syncs/${syncId}/upload`, table.csv())).status, {
          timeout: 60_000,
        })
        .toBe(200);
      return answer.body;
    }
    await expect
      .poll(async () => (answer = await call(server, 'POST', `/v1/admin/syncs/${syncId}/run`)).status, { timeout: 10_000 })
      .toBe(202);
    let run: Record<string, any> = {};
    await expect
      .poll(async () => (run = (await call(server, 'GET', `/v1/admin/syncs/${syncId}/runs/${answer.body.run_id}`)).body).status, {
        timeout: 60_000,
      })
      .toMatch(/succeeded|failed/);
    return run;
  }

  const title =
    engine === 'csv'
      ? 'after a SIGKILL mid-upload, the same file uploaded again sends only the rows not yet stored, none twice'
      : 'resumes a run killed with SIGKILL and delivers every row exactly once';

  it(
    title,
    async () => {
      const dbPath = join(dir, 'datafirst.db');
      const first = await startDatafirst({ dbPath, env: firstLife(mock.url) });
      running.push(first);
      const source = (await call(first, 'POST', '/v1/admin/sources', { name: 'Stores' })).body;
      const integration = await call(first, 'POST', '/v1/admin/integrations', {
        source_id: source.id,
        vendor: 'snapchat',
        name: 'Pixel',
        enabled: true,
        config: { pixel_id: PIXEL, access_token: 'token' },
      });
      expect(integration.status).toBe(201);
      let warehouseId: string | undefined;
      if (table.warehouse) {
        const wh = await call(first, 'POST', '/v1/admin/warehouses', {
          name: 'Sales',
          kind: table.warehouse.kind,
          config: { url: table.warehouse.url },
        });
        expect(wh.status, JSON.stringify(wh.body)).toBe(201);
        warehouseId = wh.body.id;
      }
      const created = await call(first, 'POST', '/v1/admin/syncs', {
        name: 'Sales',
        ...(table.warehouse ? { warehouse_id: warehouseId, query: table.query } : { kind: 'csv' }),
        source_id: source.id,
        primary_key: 'sale_id',
        mapping: {
          event: { value: 'Order Completed' },
          timestamp: 'sold_at',
          email: 'email',
          value: 'amount',
          currency: { value: 'USD' },
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const syncId = created.body.id as string;
      await startRun(first, syncId);

      // Kill it once some rows, but not all, are stored.
      let atKill: Record<string, any> | undefined;
      await expect
        .poll(async () => ((atKill = await latestRun(first, syncId))?.counts.sent as number | undefined) ?? 0, {
          timeout: 30_000,
          interval: 10,
        })
        .toBeGreaterThan(0);
      first.process.kill('SIGKILL');
      await new Promise((resolve) => first.process.once('exit', resolve));
      expect(atKill!.status).toBe('sending');
      expect(atKill!.counts.sent).toBeLessThan(ROWS);

      const second = await startDatafirst({ dbPath, env: secondLife(mock.url) });
      running.push(second);
      const run = await runAgain(second, syncId);
      expect(run.status).toBe('succeeded');
      expect(run.counts.queried).toBe(ROWS);
      expect(run.counts.failed).toBe(0);
      // What the first life recorded is unchanged (and not sent again); the rest is new. Together: every row once.
      expect(run.counts.unchanged + run.counts.added).toBe(ROWS);
      expect(run.counts.unchanged).toBeGreaterThanOrEqual(atKill!.counts.sent as number);
      const dead = (await call(second, 'GET', `/v1/admin/syncs/${syncId}/runs/${atKill!.id}`)).body;
      expect(dead).toMatchObject({ status: 'failed', error: expect.stringMatching(/^interrupted: /) });

      await expect.poll(async () => (await mock.events()).length, { timeout: 90_000, interval: 500 }).toBe(ROWS);
      // Every request the mock got, read event by event: receivedEvents fails on an id seen twice.
      const received = receivedEvents((await mock.requests()).filter((request) => request.assetId === PIXEL));
      expect(received.size).toBe(ROWS);
      expect(received.has(`sync:${syncId}:1`)).toBe(true);
      expect(received.has(`sync:${syncId}:${ROWS}`)).toBe(true);
    },
    180_000,
  );
}
