import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import type { NewSync } from '../syncs.js';
import { SECRET_KEY, sleep, useStore, type CreateTestDatabase } from './harness.js';

const URL_WITH_PASSWORD = 'postgres://reader:s3cret-pass@db.example.com:5432/shop';

/** A warehouse and a scheduled sync of a fresh source. */
async function warehouseSync(store: Store, extra: Partial<NewSync> = {}) {
  const source = await store.createSource({ name: 'Shop' });
  const warehouse = await store.syncs.createWarehouse({ name: 'Sales DB', kind: 'postgres', url: URL_WITH_PASSWORD });
  const sync = await store.syncs.createSync({
    name: 'Store sales',
    kind: 'warehouse',
    warehouseId: warehouse.id,
    sourceId: source.id,
    query: 'select * from sales',
    primaryKey: 'sale_id',
    mapping: { event: { value: 'Order Completed' }, email: 'customer_email' },
    actionSource: 'OFFLINE',
    mode: 'insert',
    everyMinutes: 60,
    enabled: true,
    ...extra,
  });
  return { source, warehouse, sync };
}

/** Warehouses, syncs, one run per sync at a time (a lease), and the row states change detection reads. */
export function describeSyncs(createDatabase: CreateTestDatabase): void {
  describe('syncs', () => {
    const under = useStore(createDatabase);

    it("empties, at retention, the row errors of runs started before the cutoff (they quote the rows' cells)", async () => {
      const { store } = under;
      const { sync } = await warehouseSync(store);
      const start = await store.syncs.startRun(sync.id, 'w', 10_000, 'manual');
      if (!start.started) throw new Error('the run did not start');
      const rowErrors = [{ rowKey: 'jane@example.com', reasonCode: 'invalid_row', detail: 'value: not a number: "n/a"' }];
      await store.syncs.finishRun(start.run.id, 'w', { status: 'succeeded', rowErrors });
      expect(await store.privacy.expireRecordsBefore(Date.now() - 86_400_000)).toMatchObject({ syncRuns: 0 });
      expect((await store.syncs.getRun(start.run.id))?.rowErrors).toEqual(rowErrors);
      expect(await store.privacy.expireRecordsBefore(Date.now() + 1000)).toMatchObject({ syncRuns: 1 });
      expect(await store.syncs.getRun(start.run.id)).toMatchObject({ status: 'succeeded', rowErrors: [] });
    });

    it('keeps warehouses with their URL, sealed at rest, and opens it again with the key', async () => {
      const store = await under.reopen({ secretKey: SECRET_KEY });
      const warehouse = await store.syncs.createWarehouse({ name: 'Sales DB', kind: 'postgres', url: URL_WITH_PASSWORD });
      expect(warehouse).toMatchObject({ name: 'Sales DB', kind: 'postgres', url: URL_WITH_PASSWORD });
      expect(warehouse.id).toMatch(/^wh_/);
      const reopened = await under.reopen({ secretKey: SECRET_KEY });
      expect((await reopened.syncs.getWarehouse(warehouse.id))?.url).toBe(URL_WITH_PASSWORD);
      const renamed = await reopened.syncs.updateWarehouse(warehouse.id, { name: 'Replica', url: 'mysql://r@h/db' });
      expect(renamed).toMatchObject({ name: 'Replica', url: 'mysql://r@h/db' });
      expect((await reopened.syncs.listWarehouses()).map((w) => w.name)).toEqual(['Replica']);
      await under.close();
      await expect(under.reopen({ secretKey: 'another-secret-key-of-at-least-32-chars' })).rejects.toThrow();
    });

    it('refuses to delete a warehouse a sync uses, and deletes it once the sync is gone', async () => {
      const { store } = under;
      const { warehouse, sync } = await warehouseSync(store);
      expect(await store.syncs.deleteWarehouse(warehouse.id)).toBe('in_use');
      expect(await store.syncs.deleteSync(sync.id)).toBe(true);
      expect(await store.syncs.deleteWarehouse(warehouse.id)).toBe('deleted');
      expect(await store.syncs.deleteWarehouse(warehouse.id)).toBe('not_found');
      expect(await store.syncs.getSync(sync.id)).toBeUndefined();
    });

    it('creates, reads, updates and lists syncs', async () => {
      const { store } = under;
      const { warehouse, source, sync } = await warehouseSync(store);
      expect(sync).toMatchObject({
        name: 'Store sales',
        kind: 'warehouse',
        warehouseId: warehouse.id,
        sourceId: source.id,
        primaryKey: 'sale_id',
        mapping: { event: { value: 'Order Completed' }, email: 'customer_email' },
        actionSource: 'OFFLINE',
        mode: 'insert',
        everyMinutes: 60,
        enabled: true,
      });
      const updated = await store.syncs.updateSync(sync.id, { mode: 'upsert', everyMinutes: null, enabled: false });
      expect(updated).toMatchObject({ mode: 'upsert', everyMinutes: null, enabled: false, query: 'select * from sales' });
      expect((await store.syncs.listSyncs()).map((s) => s.id)).toEqual([sync.id]);
      expect(await store.syncs.updateSync('sync_missing', { name: 'x' })).toBeUndefined();
    });

    it('runs a sync once at a time: a second owner is refused while the lease lasts', async () => {
      const { store } = under;
      const { sync } = await warehouseSync(store);
      const first = await store.syncs.startRun(sync.id, 'worker-a', 10_000, 'manual');
      expect(first.started).toBe(true);
      const runId = first.started ? first.run.id : '';
      expect(await store.syncs.startRun(sync.id, 'worker-b', 10_000, 'schedule')).toEqual({ started: false, activeRunId: runId });
      // Even the owner's own process may not start the same sync twice.
      expect(await store.syncs.startRun(sync.id, 'worker-a', 10_000, 'manual')).toEqual({ started: false, activeRunId: runId });
      await store.syncs.finishRun(runId, 'worker-a', { status: 'succeeded' });
      const next = await store.syncs.startRun(sync.id, 'worker-b', 10_000, 'schedule');
      expect(next.started).toBe(true);
    });

    it('records a run progress and end, newest run first', async () => {
      const { store } = under;
      const { sync } = await warehouseSync(store);
      const start = await store.syncs.startRun(sync.id, 'w', 10_000, 'manual');
      if (!start.started) throw new Error('the run did not start');
      expect(start.run).toMatchObject({ status: 'queued', trigger: 'manual', error: null, finishedAt: null, rowErrors: [] });
      expect(start.run.counts).toEqual({ queried: 0, added: 0, changed: 0, unchanged: 0, sent: 0, skipped: 0, failed: 0 });
      const counts = { queried: 3, added: 2, changed: 0, unchanged: 1, sent: 1, skipped: 0, failed: 1 };
      await store.syncs.updateRun(start.run.id, { status: 'sending', counts });
      expect(await store.syncs.getRun(start.run.id)).toMatchObject({ status: 'sending', counts, finishedAt: null });
      const rowErrors = [{ rowKey: '7', reasonCode: 'invalid_row', detail: 'timestamp: not a date' }];
      await store.syncs.finishRun(start.run.id, 'w', { status: 'failed', rowErrors, error: 'query failed: boom' });
      const finished = await store.syncs.getRun(start.run.id);
      expect(finished).toMatchObject({ status: 'failed', counts, rowErrors, error: 'query failed: boom' });
      expect(finished?.finishedAt).not.toBeNull();
      const second = await store.syncs.startRun(sync.id, 'w', 10_000, 'schedule');
      if (!second.started) throw new Error('the second run did not start');
      expect((await store.syncs.listRuns(sync.id, 10)).map((run) => run.id)).toEqual([second.run.id, start.run.id]);
      expect((await store.syncs.listRuns(sync.id, 1)).map((run) => run.id)).toEqual([second.run.id]);
    });

    it('lets another owner take over once a lease lapses, marking the dead run failed', async () => {
      const { store } = under;
      const { sync } = await warehouseSync(store);
      const dead = await store.syncs.startRun(sync.id, 'worker-a', 100, 'schedule');
      if (!dead.started) throw new Error('the run did not start');
      await store.syncs.updateRun(dead.run.id, { status: 'sending' });
      expect(await store.syncs.renewLease(sync.id, 'worker-a', 100)).toBe(true);
      await sleep(150);
      const takeover = await store.syncs.startRun(sync.id, 'worker-b', 10_000, 'schedule');
      expect(takeover.started).toBe(true);
      expect(await store.syncs.renewLease(sync.id, 'worker-a', 100)).toBe(false);
      const old = await store.syncs.getRun(dead.run.id);
      expect(old?.status).toBe('failed');
      expect(old?.error).toBe('interrupted: the process running it stopped; the next run resumes where it left off');
    });

    it('gives scheduled syncs when due and not held, and schedules the next run a period after a start', async () => {
      const { store } = under;
      const { sync } = await warehouseSync(store);
      const { sync: manual } = await warehouseSync(store, { everyMinutes: null });
      const { sync: off } = await warehouseSync(store, { enabled: false });
      expect(await store.syncs.dueSyncs()).toEqual([sync.id]);
      const start = await store.syncs.startRun(sync.id, 'w', 10_000, 'schedule');
      if (!start.started) throw new Error('the run did not start');
      await store.syncs.finishRun(start.run.id, 'w', { status: 'succeeded' });
      // Due again in 60 minutes, not now.
      expect(await store.syncs.dueSyncs()).toEqual([]);
      expect([manual.id, off.id]).not.toContain(sync.id);
    });

    it('keeps each row state by key, replacing it when recorded again', async () => {
      const { store } = under;
      const { sync } = await warehouseSync(store);
      const { sync: other } = await warehouseSync(store);
      await store.syncs.recordRows(sync.id, [
        { key: '1', hash: 'h1', status: 'sent' },
        { key: '2', hash: 'h2', status: 'failed' },
      ]);
      await store.syncs.recordRows(other.id, [{ key: '1', hash: 'other', status: 'skipped' }]);
      await store.syncs.recordRows(sync.id, [{ key: '2', hash: 'h2b', status: 'sent' }]);
      const states = await store.syncs.rowStates(sync.id, ['1', '2', '3']);
      expect([...states.entries()].sort()).toEqual([
        ['1', { hash: 'h1', status: 'sent' }],
        ['2', { hash: 'h2b', status: 'sent' }],
      ]);
      expect([...(await store.syncs.rowStates(other.id, ['1'])).values()]).toEqual([{ hash: 'other', status: 'skipped' }]);
    });

    it('records a large batch of row states at once, every one of them', async () => {
      const { store } = under;
      const { sync } = await warehouseSync(store);
      const keys = Array.from({ length: 1234 }, (_, i) => `row-${i}`);
      await store.syncs.recordRows(
        sync.id,
        keys.map((key, i) => ({ key, hash: `h${i}`, status: 'sent' as const })),
      );
      await store.syncs.recordRows(
        sync.id,
        keys.slice(0, 250).map((key) => ({ key, hash: 'again', status: 'failed' as const })),
      );
      const states = await store.syncs.rowStates(sync.id, keys);
      expect(states.size).toBe(1234);
      expect(states.get('row-0')).toEqual({ hash: 'again', status: 'failed' });
      expect(states.get('row-249')).toEqual({ hash: 'again', status: 'failed' });
      expect(states.get('row-250')).toEqual({ hash: 'h250', status: 'sent' });
      expect(states.get('row-1233')).toEqual({ hash: 'h1233', status: 'sent' });
    });
  });
}
