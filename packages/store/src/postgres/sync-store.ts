import type pg from 'pg';
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
import { changed, databaseNow, NOW_MS_SQL, transaction, type Queryable } from './pool.js';
import { toRun, toSync, toWarehouse, type SyncRow, type SyncRunRow, type WarehouseRow } from '../sync-rows.js';

const MINUTE_MS = 60_000;

/** The statuses of a run that has not ended. */
const UNFINISHED = `('queued', 'querying', 'sending')`;

/** The PostgreSQL implementation of {@link SyncStore}. */
export class PostgresSyncStore implements SyncStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly secrets: SealedSecrets,
  ) {}

  async createWarehouse(input: NewWarehouse): Promise<Warehouse> {
    const id = newId('wh');
    const { rows } = await this.pool.query<WarehouseRow>(
      `INSERT INTO warehouses (id, name, kind, url, created_at, updated_at) VALUES ($1, $2, $3, $4, ${NOW_MS_SQL}, ${NOW_MS_SQL})
       RETURNING *`,
      [id, input.name, input.kind, this.secrets.sealWarehouseUrl(id, input.url)],
    );
    return toWarehouse(rows[0]!, this.secrets);
  }

  async getWarehouse(id: string): Promise<Warehouse | undefined> {
    const { rows } = await this.pool.query<WarehouseRow>('SELECT * FROM warehouses WHERE id = $1', [id]);
    return rows[0] && toWarehouse(rows[0], this.secrets);
  }

  async listWarehouses(): Promise<Warehouse[]> {
    const { rows } = await this.pool.query<WarehouseRow>('SELECT * FROM warehouses ORDER BY created_at, seq');
    return rows.map((row) => toWarehouse(row, this.secrets));
  }

  async updateWarehouse(id: string, patch: WarehousePatch): Promise<Warehouse | undefined> {
    const { rows } = await this.pool.query<WarehouseRow>(
      `UPDATE warehouses SET name = coalesce($2, name), url = coalesce($3, url), updated_at = ${NOW_MS_SQL}
       WHERE id = $1 RETURNING *`,
      [id, patch.name ?? null, patch.url === undefined ? null : this.secrets.sealWarehouseUrl(id, patch.url)],
    );
    return rows[0] && toWarehouse(rows[0], this.secrets);
  }

  async deleteWarehouse(id: string): Promise<'deleted' | 'not_found' | 'in_use'> {
    try {
      const result = await this.pool.query('DELETE FROM warehouses WHERE id = $1', [id]);
      return changed(result) > 0 ? 'deleted' : 'not_found';
    } catch (error) {
      // ON DELETE RESTRICT: a sync still reads from it.
      if ((error as { code?: string }).code === '23503') return 'in_use';
      throw error;
    }
  }

  async createSync(input: NewSync): Promise<Sync> {
    // A new scheduled sync runs at the worker's next look.
    const { rows } = await this.pool.query<SyncRow<boolean>>(
      `INSERT INTO syncs (id, name, kind, warehouse_id, source_id, query, primary_key, mapping, action_source, mode,
         every_minutes, enabled, next_run_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, ${NOW_MS_SQL}, ${NOW_MS_SQL}, ${NOW_MS_SQL})
       RETURNING *`,
      [
        newId('sync'),
        input.name,
        input.kind,
        input.warehouseId,
        input.sourceId,
        input.query,
        input.primaryKey,
        JSON.stringify(input.mapping),
        input.actionSource,
        input.mode,
        input.everyMinutes,
        input.enabled,
      ],
    );
    return toSync(rows[0]!);
  }

  async getSync(id: string): Promise<Sync | undefined> {
    const { rows } = await this.pool.query<SyncRow<boolean>>('SELECT * FROM syncs WHERE id = $1', [id]);
    return rows[0] && toSync(rows[0]);
  }

  async listSyncs(): Promise<Sync[]> {
    const { rows } = await this.pool.query<SyncRow<boolean>>('SELECT * FROM syncs ORDER BY created_at, seq');
    return rows.map(toSync);
  }

  async updateSync(id: string, patch: SyncPatch): Promise<Sync | undefined> {
    const { rows } = await this.pool.query<SyncRow<boolean>>(
      `UPDATE syncs SET name = coalesce($2, name), query = CASE WHEN $3 THEN $4 ELSE query END,
         primary_key = coalesce($5, primary_key), mapping = coalesce($6, mapping), action_source = coalesce($7, action_source),
         mode = coalesce($8, mode), every_minutes = CASE WHEN $9 THEN $10::integer ELSE every_minutes END,
         enabled = coalesce($11, enabled), updated_at = ${NOW_MS_SQL}
       WHERE id = $1 RETURNING *`,
      [
        id,
        patch.name ?? null,
        patch.query !== undefined,
        patch.query ?? null,
        patch.primaryKey ?? null,
        patch.mapping === undefined ? null : JSON.stringify(patch.mapping),
        patch.actionSource ?? null,
        patch.mode ?? null,
        patch.everyMinutes !== undefined,
        patch.everyMinutes ?? null,
        patch.enabled ?? null,
      ],
    );
    return rows[0] && toSync(rows[0]);
  }

  async deleteSync(id: string): Promise<boolean> {
    return changed(await this.pool.query('DELETE FROM syncs WHERE id = $1', [id])) > 0;
  }

  async startRun(syncId: string, owner: string, leaseMs: number, trigger: string): Promise<RunStart> {
    return transaction(this.pool, async (client) => {
      const now = await databaseNow(client);
      const exists = await client.query('SELECT 1 FROM syncs WHERE id = $1', [syncId]);
      if (exists.rowCount === 0) throw new Error(`no sync ${syncId}`);
      const taken = await client.query(
        `UPDATE syncs SET lease_owner = $2, lease_until = $3 + $4,
           next_run_at = CASE WHEN every_minutes IS NULL THEN next_run_at ELSE $3 + every_minutes * $5 END
         WHERE id = $1 AND lease_until < $3`,
        [syncId, owner, now, leaseMs, MINUTE_MS],
      );
      if (changed(taken) === 0) {
        const active = await client.query<{ id: string }>(
          `SELECT id FROM sync_runs WHERE sync_id = $1 AND status IN ${UNFINISHED} ORDER BY started_at DESC, seq DESC LIMIT 1`,
          [syncId],
        );
        return { started: false, activeRunId: active.rows[0]?.id ?? null };
      }
      // The lease had lapsed, so whoever ran these died mid-run: what they recorded stands.
      await client.query(
        `UPDATE sync_runs SET status = 'failed', finished_at = $2,
           error = 'interrupted: the process running it stopped; the next run resumes where it left off'
         WHERE sync_id = $1 AND status IN ${UNFINISHED}`,
        [syncId, now],
      );
      const { rows } = await client.query<SyncRunRow>(
        `INSERT INTO sync_runs (id, sync_id, trigger, status, counts, row_errors, error, started_at, finished_at)
         VALUES ($1, $2, $3, 'queued', $4, '[]', NULL, $5, NULL) RETURNING *`,
        [newId('run'), syncId, trigger, JSON.stringify(emptyRunCounts()), now],
      );
      return { started: true, run: toRun(rows[0]!) };
    });
  }

  async renewLease(syncId: string, owner: string, leaseMs: number): Promise<boolean> {
    const result = await this.pool.query(`UPDATE syncs SET lease_until = ${NOW_MS_SQL} + $3 WHERE id = $1 AND lease_owner = $2`, [
      syncId,
      owner,
      leaseMs,
    ]);
    return changed(result) > 0;
  }

  private async writeRun(db: Queryable, runId: string, update: SyncRunUpdate, finished: boolean): Promise<void> {
    await db.query(
      `UPDATE sync_runs SET status = coalesce($2, status), counts = coalesce($3, counts),
         row_errors = coalesce($4, row_errors), error = CASE WHEN $5 THEN $6 ELSE error END,
         finished_at = CASE WHEN $7 THEN ${NOW_MS_SQL} ELSE finished_at END
       WHERE id = $1`,
      [
        runId,
        update.status ?? null,
        update.counts ? JSON.stringify(update.counts) : null,
        update.rowErrors ? JSON.stringify(update.rowErrors) : null,
        update.error !== undefined,
        update.error ?? null,
        finished,
      ],
    );
  }

  async updateRun(runId: string, update: SyncRunUpdate): Promise<void> {
    await this.writeRun(this.pool, runId, update, false);
  }

  async finishRun(runId: string, owner: string, update: SyncRunUpdate & { status: 'succeeded' | 'failed' }): Promise<void> {
    await transaction(this.pool, async (client) => {
      await this.writeRun(client, runId, update, true);
      await client.query(
        `UPDATE syncs SET lease_owner = NULL, lease_until = 0
         WHERE id = (SELECT sync_id FROM sync_runs WHERE id = $1) AND lease_owner = $2`,
        [runId, owner],
      );
    });
  }

  async getRun(runId: string): Promise<SyncRun | undefined> {
    const { rows } = await this.pool.query<SyncRunRow>('SELECT * FROM sync_runs WHERE id = $1', [runId]);
    return rows[0] && toRun(rows[0]);
  }

  async listRuns(syncId: string, limit: number): Promise<SyncRun[]> {
    const { rows } = await this.pool.query<SyncRunRow>(
      'SELECT * FROM sync_runs WHERE sync_id = $1 ORDER BY started_at DESC, seq DESC LIMIT $2',
      [syncId, limit],
    );
    return rows.map(toRun);
  }

  async dueSyncs(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM syncs WHERE enabled AND every_minutes IS NOT NULL AND kind = 'warehouse'
         AND next_run_at <= ${NOW_MS_SQL} AND lease_until < ${NOW_MS_SQL} ORDER BY next_run_at, id`,
    );
    return rows.map((row) => row.id);
  }

  async rowStates(syncId: string, keys: readonly string[]): Promise<Map<string, SyncRowState>> {
    const { rows } = await this.pool.query<{ row_key: string; hash: string; status: string }>(
      'SELECT row_key, hash, status FROM sync_rows WHERE sync_id = $1 AND row_key = ANY($2::text[])',
      [syncId, [...keys]],
    );
    return new Map(rows.map((row) => [row.row_key, { hash: row.hash, status: row.status as SyncRowState['status'] }]));
  }

  async recordRows(syncId: string, rows: readonly SyncRowRecord[]): Promise<void> {
    if (rows.length === 0) return;
    // The last record of a key wins, as it would row by row; one statement must not touch a row twice.
    const latest = new Map(rows.map((row) => [row.key, row]));
    const records = [...latest.values()];
    await this.pool.query(
      `INSERT INTO sync_rows (sync_id, row_key, hash, status, updated_at)
       SELECT $1, r.key, r.hash, r.status, ${NOW_MS_SQL} FROM unnest($2::text[], $3::text[], $4::text[]) AS r(key, hash, status)
       ON CONFLICT (sync_id, row_key) DO UPDATE SET hash = excluded.hash, status = excluded.status, updated_at = excluded.updated_at`,
      [syncId, records.map((r) => r.key), records.map((r) => r.hash), records.map((r) => r.status)],
    );
  }
}
