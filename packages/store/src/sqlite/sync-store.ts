import type Database from 'better-sqlite3';
import { newId } from '../ids.js';
import type { SealedSecrets } from '../sealed-secrets.js';
import type {
  NewSync,
  NewWarehouse,
  RunStart,
  Sync,
  SyncPatch,
  SyncRowRecord,
  SyncRowState,
  SyncRun,
  SyncRunUpdate,
  SyncStore,
  Warehouse,
  WarehousePatch,
} from '../syncs.js';
import { emptyRunCounts } from '../syncs.js';
import type { DatabaseClock } from './clock.js';
import { toRun, toSync, toWarehouse, type SyncRow, type SyncRunRow, type WarehouseRow } from '../sync-rows.js';
import { flag } from './columns.js';

/** A sync as SQLite stores it: `enabled` 0/1, and the lease columns its inserts and updates write. */
interface SqliteSyncRow extends SyncRow<0 | 1> {
  lease_owner: string | null;
  lease_until: number;
  next_run_at: number;
}

const MINUTE_MS = 60_000;

/** Row states per INSERT when a batch is recorded (5 parameters each, far below SQLite's limit). */
const ROWS_PER_STATEMENT = 100;

/** The statuses of a run that has not ended. */
const UNFINISHED = `('queued', 'querying', 'sending')`;

/** The SQLite implementation of {@link SyncStore}, on the main store's database. */
export class SqliteSyncStore implements SyncStore {
  private readonly recordRowsTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SealedSecrets,
    private readonly now: DatabaseClock,
  ) {
    // Row states are written a batch at a time, ROWS_PER_STATEMENT rows per statement: one call
    // into SQLite per row was a quarter of the recording's time.
    const upsertRows = (count: number) =>
      db.prepare<unknown[], never>(
        `INSERT INTO sync_rows (sync_id, row_key, hash, status, updated_at)
         VALUES ${Array.from({ length: count }, () => '(?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (sync_id, row_key) DO UPDATE SET hash = excluded.hash, status = excluded.status, updated_at = excluded.updated_at`,
      );
    const upsertMany = upsertRows(ROWS_PER_STATEMENT);
    const upsertOne = upsertRows(1);
    this.recordRowsTransaction = db.transaction((syncId: string, rows: readonly SyncRowRecord[], now: number) => {
      const values = (chunk: readonly SyncRowRecord[]) => chunk.flatMap((row) => [syncId, row.key, row.hash, row.status, now]);
      let start = 0;
      for (; start + ROWS_PER_STATEMENT <= rows.length; start += ROWS_PER_STATEMENT) {
        upsertMany.run(values(rows.slice(start, start + ROWS_PER_STATEMENT)));
      }
      for (const row of rows.slice(start)) upsertOne.run(values([row]));
    });
  }

  private warehouseRow(id: string): WarehouseRow | undefined {
    return this.db.prepare<[string], WarehouseRow>('SELECT * FROM warehouses WHERE id = ?').get(id);
  }

  private syncRow(id: string): SqliteSyncRow | undefined {
    return this.db.prepare<[string], SqliteSyncRow>('SELECT * FROM syncs WHERE id = ?').get(id);
  }

  async createWarehouse(input: NewWarehouse): Promise<Warehouse> {
    const id = newId('wh');
    const now = this.now();
    const row: WarehouseRow = {
      id,
      name: input.name,
      kind: input.kind,
      url: this.secrets.sealWarehouseUrl(id, input.url),
      created_at: now,
      updated_at: now,
    };
    this.db
      .prepare<WarehouseRow, never>(
        'INSERT INTO warehouses (id, name, kind, url, created_at, updated_at) VALUES (@id, @name, @kind, @url, @created_at, @updated_at)',
      )
      .run(row);
    return toWarehouse(row, this.secrets);
  }

  async getWarehouse(id: string): Promise<Warehouse | undefined> {
    const row = this.warehouseRow(id);
    return row && toWarehouse(row, this.secrets);
  }

  async listWarehouses(): Promise<Warehouse[]> {
    return this.db
      .prepare<[], WarehouseRow>('SELECT * FROM warehouses ORDER BY created_at, rowid')
      .all()
      .map((row) => toWarehouse(row, this.secrets));
  }

  async updateWarehouse(id: string, patch: WarehousePatch): Promise<Warehouse | undefined> {
    const row = this.warehouseRow(id);
    if (!row) return undefined;
    const updated: WarehouseRow = {
      ...row,
      name: patch.name ?? row.name,
      url: patch.url === undefined ? row.url : this.secrets.sealWarehouseUrl(id, patch.url),
      updated_at: this.now(),
    };
    this.db
      .prepare<WarehouseRow, never>('UPDATE warehouses SET name = @name, url = @url, updated_at = @updated_at WHERE id = @id')
      .run(updated);
    return toWarehouse(updated, this.secrets);
  }

  async deleteWarehouse(id: string): Promise<'deleted' | 'not_found' | 'in_use'> {
    const inUse = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM syncs WHERE warehouse_id = ?').get(id)!;
    if (inUse.n > 0) return 'in_use';
    return this.db.prepare<[string], never>('DELETE FROM warehouses WHERE id = ?').run(id).changes > 0 ? 'deleted' : 'not_found';
  }

  async createSync(input: NewSync): Promise<Sync> {
    const now = this.now();
    const row: SqliteSyncRow = {
      id: newId('sync'),
      name: input.name,
      kind: input.kind,
      warehouse_id: input.warehouseId,
      source_id: input.sourceId,
      query: input.query,
      primary_key: input.primaryKey,
      mapping: JSON.stringify(input.mapping),
      action_source: input.actionSource,
      mode: input.mode,
      every_minutes: input.everyMinutes,
      enabled: flag(input.enabled),
      lease_owner: null,
      lease_until: 0,
      // A new scheduled sync runs at the worker's next look.
      next_run_at: now,
      created_at: now,
      updated_at: now,
    };
    this.db
      .prepare<SqliteSyncRow, never>(
        `INSERT INTO syncs (id, name, kind, warehouse_id, source_id, query, primary_key, mapping, action_source, mode,
           every_minutes, enabled, lease_owner, lease_until, next_run_at, created_at, updated_at)
         VALUES (@id, @name, @kind, @warehouse_id, @source_id, @query, @primary_key, @mapping, @action_source, @mode,
           @every_minutes, @enabled, @lease_owner, @lease_until, @next_run_at, @created_at, @updated_at)`,
      )
      .run(row);
    return toSync(row);
  }

  async getSync(id: string): Promise<Sync | undefined> {
    const row = this.syncRow(id);
    return row && toSync(row);
  }

  async listSyncs(): Promise<Sync[]> {
    return this.db.prepare<[], SqliteSyncRow>('SELECT * FROM syncs ORDER BY created_at, rowid').all().map(toSync);
  }

  async updateSync(id: string, patch: SyncPatch): Promise<Sync | undefined> {
    const row = this.syncRow(id);
    if (!row) return undefined;
    const updated: SqliteSyncRow = {
      ...row,
      name: patch.name ?? row.name,
      query: patch.query === undefined ? row.query : patch.query,
      primary_key: patch.primaryKey ?? row.primary_key,
      mapping: patch.mapping === undefined ? row.mapping : JSON.stringify(patch.mapping),
      action_source: patch.actionSource ?? row.action_source,
      mode: patch.mode ?? row.mode,
      every_minutes: patch.everyMinutes === undefined ? row.every_minutes : patch.everyMinutes,
      enabled: patch.enabled === undefined ? row.enabled : flag(patch.enabled),
      updated_at: this.now(),
    };
    this.db
      .prepare<SqliteSyncRow, never>(
        `UPDATE syncs SET name = @name, query = @query, primary_key = @primary_key, mapping = @mapping,
           action_source = @action_source, mode = @mode, every_minutes = @every_minutes, enabled = @enabled,
           updated_at = @updated_at WHERE id = @id`,
      )
      .run(updated);
    return toSync(updated);
  }

  async deleteSync(id: string): Promise<boolean> {
    return this.db.prepare<[string], never>('DELETE FROM syncs WHERE id = ?').run(id).changes > 0;
  }

  async startRun(syncId: string, owner: string, leaseMs: number, trigger: string): Promise<RunStart> {
    const start = this.db.transaction((): RunStart => {
      const now = this.now();
      const taken = this.db
        .prepare<{ syncId: string; owner: string; now: number; leaseMs: number; minute: number }, never>(
          `UPDATE syncs SET lease_owner = @owner, lease_until = @now + @leaseMs,
             next_run_at = CASE WHEN every_minutes IS NULL THEN next_run_at ELSE @now + every_minutes * @minute END
           WHERE id = @syncId AND lease_until < @now`,
        )
        .run({ syncId, owner, now, leaseMs, minute: MINUTE_MS });
      if (taken.changes === 0) {
        const active = this.db
          .prepare<[string], { id: string }>(
            `SELECT id FROM sync_runs WHERE sync_id = ? AND status IN ${UNFINISHED} ORDER BY started_at DESC LIMIT 1`,
          )
          .get(syncId);
        return { started: false, activeRunId: active?.id ?? null };
      }
      // The lease had lapsed, so whoever ran these died mid-run: what they recorded stands.
      this.db
        .prepare<[number, string], never>(
          `UPDATE sync_runs SET status = 'failed', finished_at = ?,
             error = 'interrupted: the process running it stopped; the next run resumes where it left off'
           WHERE sync_id = ? AND status IN ${UNFINISHED}`,
        )
        .run(now, syncId);
      const row: SyncRunRow = {
        id: newId('run'),
        sync_id: syncId,
        trigger,
        status: 'queued',
        counts: JSON.stringify(emptyRunCounts()),
        row_errors: '[]',
        error: null,
        started_at: now,
        finished_at: null,
      };
      this.db
        .prepare<SyncRunRow, never>(
          `INSERT INTO sync_runs (id, sync_id, trigger, status, counts, row_errors, error, started_at, finished_at)
           VALUES (@id, @sync_id, @trigger, @status, @counts, @row_errors, @error, @started_at, @finished_at)`,
        )
        .run(row);
      return { started: true, run: toRun(row) };
    });
    if (!this.syncRow(syncId)) throw new Error(`no sync ${syncId}`);
    return start.immediate();
  }

  async renewLease(syncId: string, owner: string, leaseMs: number): Promise<boolean> {
    const now = this.now();
    return (
      this.db
        .prepare<[number, string, string], never>('UPDATE syncs SET lease_until = ? WHERE id = ? AND lease_owner = ?')
        .run(now + leaseMs, syncId, owner).changes > 0
    );
  }

  private writeRun(runId: string, update: SyncRunUpdate, finishedAt: number | null): void {
    this.db
      .prepare<
        {
          id: string;
          status: string | null;
          counts: string | null;
          rowErrors: string | null;
          error: string | null;
          setError: 0 | 1;
          finishedAt: number | null;
        },
        never
      >(
        `UPDATE sync_runs SET status = coalesce(@status, status), counts = coalesce(@counts, counts),
           row_errors = coalesce(@rowErrors, row_errors), error = CASE WHEN @setError = 1 THEN @error ELSE error END,
           finished_at = coalesce(@finishedAt, finished_at)
         WHERE id = @id`,
      )
      .run({
        id: runId,
        status: update.status ?? null,
        counts: update.counts ? JSON.stringify(update.counts) : null,
        rowErrors: update.rowErrors ? JSON.stringify(update.rowErrors) : null,
        error: update.error ?? null,
        setError: flag(update.error !== undefined),
        finishedAt,
      });
  }

  async updateRun(runId: string, update: SyncRunUpdate): Promise<void> {
    this.writeRun(runId, update, null);
  }

  async finishRun(runId: string, owner: string, update: SyncRunUpdate & { status: 'succeeded' | 'failed' }): Promise<void> {
    this.db.transaction(() => {
      this.writeRun(runId, update, this.now());
      this.db
        .prepare<[string, string], never>(
          `UPDATE syncs SET lease_owner = NULL, lease_until = 0
           WHERE id = (SELECT sync_id FROM sync_runs WHERE id = ?) AND lease_owner = ?`,
        )
        .run(runId, owner);
    })();
  }

  async getRun(runId: string): Promise<SyncRun | undefined> {
    const row = this.db.prepare<[string], SyncRunRow>('SELECT * FROM sync_runs WHERE id = ?').get(runId);
    return row && toRun(row);
  }

  async listRuns(syncId: string, limit: number): Promise<SyncRun[]> {
    return this.db
      .prepare<[string, number], SyncRunRow>(
        'SELECT * FROM sync_runs WHERE sync_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
      )
      .all(syncId, limit)
      .map(toRun);
  }

  async dueSyncs(): Promise<string[]> {
    return this.db
      .prepare<[number, number], { id: string }>(
        `SELECT id FROM syncs WHERE enabled = 1 AND every_minutes IS NOT NULL AND kind = 'warehouse'
           AND next_run_at <= ? AND lease_until < ? ORDER BY next_run_at, id`,
      )
      .all(this.now(), this.now())
      .map((row) => row.id);
  }

  async rowStates(syncId: string, keys: readonly string[]): Promise<Map<string, SyncRowState>> {
    const rows = this.db
      .prepare<[string, string], { row_key: string; hash: string; status: string }>(
        'SELECT row_key, hash, status FROM sync_rows WHERE sync_id = ? AND row_key IN (SELECT value FROM json_each(?))',
      )
      .all(syncId, JSON.stringify(keys));
    return new Map(rows.map((row) => [row.row_key, { hash: row.hash, status: row.status as SyncRowState['status'] }]));
  }

  async recordRows(syncId: string, rows: readonly SyncRowRecord[]): Promise<void> {
    this.recordRowsTransaction(syncId, rows, this.now());
  }
}
