import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DestinationRegistry } from '@datafirst/destination';
import { openSqliteStore, type Store, type Sync, type SyncRun } from '@datafirst/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import { EventPipeline } from '../pipeline/event-pipeline.js';
import { SourceDirectory } from '../source-directory.js';
import { connectSqlite } from './sqlite-connection.js';
import { SyncRunner } from './sync-runner.js';
import { SyncScheduler } from './sync-scheduler.js';
import { WAREHOUSE_CONNECTORS } from './warehouse-connectors.js';
import type { WarehouseConnector } from './warehouse-connection.js';

// Two workers on one database, as two processes would be: each its own store connection,
// pipeline, runner and scheduler. They share a clock the test moves on, so that a schedule of
// minutes is seen to come due without waiting for it.

const ROWS = 1200;
const MINUTE = 60_000;

let dir: string;
let clock: number;
let holdRun: Promise<void> | undefined;
let hangQueries = false;
let releaseRun: () => void;
const workers: { store: Store; scheduler: SyncScheduler; runner: SyncRunner }[] = [];

/**
 * The real SQLite connector, except that while `holdRun` is set a run stops after its first
 * batch until the test releases it: a run is then in progress, holding its lease, for as long
 * as the test needs.
 */
const heldSqlite: WarehouseConnector = async (url) => {
  const connection = await connectSqlite(url);
  // With `hangQueries`, the query never answers until the connection is closed, as a hung one.
  let closed: () => void = () => undefined;
  const closing = new Promise<void>((resolve) => (closed = resolve));
  return {
    ...connection,
    async close() {
      closed();
      await connection.close();
    },
    async *rows(query, batchSize) {
      if (hangQueries) {
        await closing;
        throw new Error('the connection was closed');
      }
      let first = true;
      for await (const batch of connection.rows(query, batchSize)) {
        if (!first) await holdRun;
        first = false;
        yield batch;
      }
    },
  };
};

function startWorker(): (typeof workers)[number] {
  const store = openSqliteStore({ path: join(dir, 'datafirst.db'), clock: () => clock });
  const directory = new SourceDirectory(store);
  const destinations = new DestinationRegistry([]);
  const pipeline = new EventPipeline({
    store,
    directory,
    destinations,
    metrics: createMetrics(store),
    consentDefault: 'granted',
    honorGpc: true,
  });
  const runner = new SyncRunner({
    store,
    pipeline,
    directory,
    destinations,
    batchSize: 500,
    // Far longer than the test moves the clock (and renewed only every third of it): no lease lapses here.
    leaseMs: 24 * 60 * MINUTE,
    connectors: { ...WAREHOUSE_CONNECTORS, sqlite: heldSqlite },
    now: () => clock,
  });
  const scheduler = new SyncScheduler({ store, runner, intervalMs: 10 });
  const worker = { store, runner, scheduler };
  workers.push(worker);
  return worker;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'datafirst-schedule-'));
  clock = Date.parse('2025-06-02T10:00:00.000Z');
  holdRun = new Promise((resolve) => (releaseRun = resolve));
  hangQueries = false;
  const warehouse = new Database(join(dir, 'sales.sqlite'));
  warehouse.exec('CREATE TABLE sales (sale_id INTEGER PRIMARY KEY, email TEXT)');
  const insert = warehouse.prepare('INSERT INTO sales VALUES (?, ?)');
  warehouse.transaction(() => {
    for (let i = 1; i <= ROWS; i++) insert.run(i, `buyer${i}@example.com`);
  })();
  warehouse.close();
});

afterEach(async () => {
  releaseRun();
  for (const { scheduler, runner, store } of workers.splice(0)) {
    await runner.stop();
    await scheduler.stop();
    await store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

async function scheduledSync(store: Store): Promise<Sync> {
  const source = await store.createSource({ name: 'Stores' });
  const warehouse = await store.syncs.createWarehouse({
    name: 'Sales',
    kind: 'sqlite',
    url: `file:${join(dir, 'sales.sqlite')}`,
  });
  return store.syncs.createSync({
    name: 'Store sales',
    kind: 'warehouse',
    warehouseId: warehouse.id,
    sourceId: source.id,
    query: 'select * from sales order by sale_id',
    primaryKey: 'sale_id',
    mapping: { event: { value: 'Order Completed' }, email: 'email' },
    actionSource: 'OFFLINE',
    mode: 'insert',
    everyMinutes: 60,
    enabled: true,
  });
}

/** The sync's runs, oldest first. */
const runsOf = async (store: Store, sync: Sync): Promise<SyncRun[]> => (await store.syncs.listRuns(sync.id, 100)).reverse();

/** The events stored, and under how many message ids, read from the database file. */
function storedEvents(): { events: number; ids: number } {
  const db = new Database(join(dir, 'datafirst.db'), { readonly: true });
  try {
    return db
      .prepare<[], { events: number; ids: number }>('SELECT count(*) AS events, count(DISTINCT message_id) AS ids FROM events')
      .get()!;
  } finally {
    db.close();
  }
}

describe('SyncScheduler', () => {
  it('runs a scheduled sync when it is due, by itself, and again every_minutes later', async () => {
    const worker = startWorker();
    const sync = await scheduledSync(worker.store);
    releaseRun();
    worker.scheduler.start();

    await expect.poll(async () => (await runsOf(worker.store, sync)).map((run) => run.status)).toEqual(['succeeded']);
    const [first] = await runsOf(worker.store, sync);
    expect(first).toMatchObject({ trigger: 'schedule', counts: { queried: ROWS, added: ROWS, sent: ROWS } });

    // 59 minutes on, the scheduler still looks every 10 ms: nothing is due.
    clock += 59 * MINUTE;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await runsOf(worker.store, sync)).toHaveLength(1);

    clock += MINUTE;
    await expect
      .poll(async () => (await runsOf(worker.store, sync)).map((run) => run.status))
      .toEqual(['succeeded', 'succeeded']);
    const [, second] = await runsOf(worker.store, sync);
    // Change detection: the same rows again, none sent twice.
    expect(second).toMatchObject({ trigger: 'schedule', counts: { queried: ROWS, unchanged: ROWS, sent: 0 } });
    expect(storedEvents()).toEqual({ events: ROWS, ids: ROWS });
  });

  it("starts a due sync while another's run is still in progress: a hung query holds up its own sync only", async () => {
    const worker = startWorker();
    const first = await scheduledSync(worker.store);
    const second = await scheduledSync(worker.store);
    worker.scheduler.start();
    // Both are held after their first batch, at once: neither waited for the other to end.
    await expect.poll(async () => (await runsOf(worker.store, first)).map((run) => run.status)).toEqual(['sending']);
    await expect.poll(async () => (await runsOf(worker.store, second)).map((run) => run.status)).toEqual(['sending']);
    releaseRun();
    await expect.poll(async () => (await runsOf(worker.store, second)).map((run) => run.status)).toEqual(['succeeded']);
  });

  it('never runs one sync in two workers at once: the other skips it while the lease is held, even when it is due again', async () => {
    const a = startWorker();
    const b = startWorker();
    const sync = await scheduledSync(a.store);
    a.scheduler.start();
    b.scheduler.start();

    // One of them took the run; it is held after its first batch, its lease taken.
    await expect.poll(async () => (await runsOf(a.store, sync)).map((run) => run.status)).toEqual(['sending']);
    const [held] = await runsOf(a.store, sync);

    // Its next time comes while it still runs. Both keep looking every 10 ms, and neither starts
    // another: the lease is the running one's. Asked directly, each worker's runner refuses.
    clock += 61 * MINUTE;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await runsOf(b.store, sync)).map((run) => run.id)).toEqual([held!.id]);
    for (const { runner } of [a, b]) {
      expect(await runner.start(sync, 'schedule')).toEqual({ started: false, activeRunId: held!.id });
    }

    // Released, the run ends; the sync being overdue, one worker runs it once more, after it.
    releaseRun();
    await expect.poll(async () => (await runsOf(a.store, sync)).map((run) => run.status)).toEqual(['succeeded', 'succeeded']);
    const [first, second] = await runsOf(a.store, sync);
    expect(Date.parse(second!.startedAt)).toBeGreaterThanOrEqual(Date.parse(first!.finishedAt!));
    expect(first!.counts).toMatchObject({ queried: ROWS, sent: ROWS });
    expect(second!.counts).toMatchObject({ queried: ROWS, unchanged: ROWS, sent: 0 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await runsOf(b.store, sync)).toHaveLength(2);
    expect(storedEvents()).toEqual({ events: ROWS, ids: ROWS });
  });

  it('lets a worker shut down while a run waits on a query that hangs: its connection is closed', async () => {
    const a = startWorker();
    const sync = await scheduledSync(a.store);
    hangQueries = true;
    a.scheduler.start();
    await expect.poll(async () => (await runsOf(a.store, sync)).map((run) => run.status)).toEqual(['querying']);
    await a.runner.stop();
    await a.scheduler.stop();
    const [cut] = await runsOf(a.store, sync);
    expect(cut).toMatchObject({ status: 'failed', error: 'stopped: the process shut down; the next run resumes' });
  });

  it('lets a worker shut down mid-run: the run stops at its next batch, and the next scheduled run resumes it', async () => {
    const a = startWorker();
    const sync = await scheduledSync(a.store);
    a.scheduler.start();
    await expect.poll(async () => (await runsOf(a.store, sync)).map((run) => run.status)).toEqual(['sending']);

    // As on SIGTERM: the runs stop first, then the scheduler, without waiting for the whole run.
    const stopped = a.runner.stop();
    releaseRun();
    await stopped;
    await a.scheduler.stop();
    const [cut] = await runsOf(a.store, sync);
    expect(cut).toMatchObject({ status: 'failed', error: 'stopped: the process shut down; the next run resumes' });
    expect(cut!.counts.sent).toBe(500);

    const b = startWorker();
    b.scheduler.start();
    clock += 60 * MINUTE;
    await expect.poll(async () => (await runsOf(b.store, sync)).map((run) => run.status)).toEqual(['failed', 'succeeded']);
    const [, resumed] = await runsOf(b.store, sync);
    expect(resumed!.counts).toMatchObject({ queried: ROWS, unchanged: 500, added: ROWS - 500, sent: ROWS - 500 });
    expect(storedEvents()).toEqual({ events: ROWS, ids: ROWS });
  });
});
