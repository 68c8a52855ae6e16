import { isTrue, iso, isoOrNull, type BooleanColumn } from './columns.js';
import type { SealedSecrets } from './sealed-secrets.js';
import {
  emptyRunCounts,
  type Sync,
  type SyncKind,
  type SyncMode,
  type SyncRowError,
  type SyncRun,
  type SyncRunCounts,
  type SyncRunStatus,
  type Warehouse,
  type WarehouseKind,
} from './syncs.js';

/** The warehouse-sync tables' rows as both engines return them, and each as the store returns it. */

export interface WarehouseRow {
  id: string;
  name: string;
  kind: string;
  /** Sealed when a secret key is set. */
  url: string;
  created_at: number;
  updated_at: number;
}

export interface SyncRow<Bool extends BooleanColumn = BooleanColumn> {
  id: string;
  name: string;
  kind: string;
  warehouse_id: string | null;
  source_id: string;
  query: string | null;
  primary_key: string;
  /** JSON object. */
  mapping: string;
  action_source: string;
  mode: string;
  every_minutes: number | null;
  enabled: Bool;
  created_at: number;
  updated_at: number;
}

export interface SyncRunRow {
  id: string;
  sync_id: string;
  trigger: string;
  status: string;
  /** JSON SyncRunCounts. */
  counts: string;
  /** JSON SyncRowError[]. */
  row_errors: string;
  error: string | null;
  started_at: number;
  finished_at: number | null;
}

/** A warehouse as the store returns it, its URL (which holds the password) opened. */
export function toWarehouse(row: WarehouseRow, secrets: SealedSecrets): Warehouse {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as WarehouseKind,
    url: secrets.openWarehouseUrl(row.id, row.url),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** A sync as the store returns it. */
export function toSync(row: SyncRow): Sync {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as SyncKind,
    warehouseId: row.warehouse_id,
    sourceId: row.source_id,
    query: row.query,
    primaryKey: row.primary_key,
    mapping: JSON.parse(row.mapping) as Record<string, unknown>,
    actionSource: row.action_source,
    mode: row.mode as SyncMode,
    everyMinutes: row.every_minutes,
    enabled: isTrue(row.enabled),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** A sync run as the store returns it; counts added since a run was recorded read as 0. */
export function toRun(row: SyncRunRow): SyncRun {
  return {
    id: row.id,
    syncId: row.sync_id,
    trigger: row.trigger,
    status: row.status as SyncRunStatus,
    counts: { ...emptyRunCounts(), ...(JSON.parse(row.counts) as Partial<SyncRunCounts>) },
    rowErrors: JSON.parse(row.row_errors) as SyncRowError[],
    error: row.error,
    startedAt: iso(row.started_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}
