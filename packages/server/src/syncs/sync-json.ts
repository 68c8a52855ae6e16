import type { Sync, SyncRun, Warehouse } from '@datafirst/store';
import { maskUrl } from '../admin/mask.js';

/** A warehouse as the admin API shows it: the URL's password masked. */
export function warehouseJson(warehouse: Warehouse) {
  return {
    id: warehouse.id,
    name: warehouse.name,
    kind: warehouse.kind,
    config: { url: maskUrl(warehouse.url) },
    created_at: warehouse.createdAt,
    updated_at: warehouse.updatedAt,
  };
}

/** A sync as the admin API shows it. */
export function syncJson(sync: Sync) {
  return {
    id: sync.id,
    name: sync.name,
    kind: sync.kind,
    warehouse_id: sync.warehouseId,
    source_id: sync.sourceId,
    query: sync.query,
    primary_key: sync.primaryKey,
    mapping: sync.mapping,
    action_source: sync.actionSource,
    mode: sync.mode,
    schedule: sync.everyMinutes === null ? null : { every_minutes: sync.everyMinutes },
    enabled: sync.enabled,
    created_at: sync.createdAt,
    updated_at: sync.updatedAt,
  };
}

/** A run as the admin API shows it, with its first row errors. */
export function runJson(run: SyncRun) {
  return {
    id: run.id,
    sync_id: run.syncId,
    trigger: run.trigger,
    status: run.status,
    counts: run.counts,
    errors: run.rowErrors.map((error) => ({ row_key: error.rowKey, reason_code: error.reasonCode, detail: error.detail })),
    error: run.error,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
  };
}
