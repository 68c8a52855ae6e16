/**
 * Warehouse syncs: databases Datafirst reads conversions from, the syncs that map a query's rows
 * to events, each run's status and counts, and what the last runs saw of every row (its key and
 * a hash of its mapped columns), so that a run sends only what is new.
 */

/** The database engines a warehouse can be. */
export type WarehouseKind = 'postgres' | 'mysql' | 'sqlite';

/** A database to read rows from. Its URL may hold a password: sealed at rest, masked in answers. */
export interface Warehouse {
  id: string;
  name: string;
  kind: WarehouseKind;
  /** The connection URL, opened. */
  url: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewWarehouse {
  name: string;
  kind: WarehouseKind;
  url: string;
}

export type WarehousePatch = Partial<Pick<Warehouse, 'name' | 'url'>>;

/** Where a sync's rows come from: a warehouse query, or uploaded CSV files. */
export type SyncKind = 'warehouse' | 'csv';

/** Whether a changed row is sent again (`upsert`) or only rows never seen before (`insert`). */
export type SyncMode = 'insert' | 'upsert';

/** A query (or CSV file) mapped to events of one source. */
export interface Sync {
  id: string;
  name: string;
  kind: SyncKind;
  /** The warehouse queried; null for a CSV sync. */
  warehouseId: string | null;
  sourceId: string;
  /** The model's SQL; null for a CSV sync. */
  query: string | null;
  primaryKey: string;
  /** Mapping target → column name or `{ value }`, as the sync code validated it. */
  mapping: Record<string, unknown>;
  actionSource: string;
  mode: SyncMode;
  /** Minutes between scheduled runs; null for runs on demand only. */
  everyMinutes: number | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export type NewSync = Omit<Sync, 'id' | 'createdAt' | 'updatedAt'>;

export type SyncPatch = Partial<
  Pick<Sync, 'name' | 'query' | 'primaryKey' | 'mapping' | 'actionSource' | 'mode' | 'everyMinutes' | 'enabled'>
>;

/** Where a run stands. */
export type SyncRunStatus = 'queued' | 'querying' | 'sending' | 'succeeded' | 'failed';

/** What a run did with the rows it read. */
export interface SyncRunCounts {
  /** Rows the query (or file) gave. */
  queried: number;
  /** Rows never sent before (new, or failed last time). */
  added: number;
  /** Rows whose mapped columns changed since the last run. */
  changed: number;
  unchanged: number;
  /** Rows handed to the pipeline as events. */
  sent: number;
  /** Rows deliberately not sent (e.g. too old), with a reason code. */
  skipped: number;
  /** Rows that could not become an event; retried next run. */
  failed: number;
}

/** One row a run could not send, or chose not to. */
export interface SyncRowError {
  rowKey: string;
  reasonCode: string;
  detail: string;
}

/** One run of a sync. */
export interface SyncRun {
  id: string;
  syncId: string;
  /** `schedule`, `manual` or `upload`. */
  trigger: string;
  status: SyncRunStatus;
  counts: SyncRunCounts;
  /** The first row errors, for the admin API. */
  rowErrors: SyncRowError[];
  /** Why the run failed as a whole (bad query, unreachable database…); null otherwise. */
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** What the runs so far know of a row, by its primary key. */
export interface SyncRowState {
  hash: string;
  /** `sent`, `skipped` (not retried) or `failed` (retried next run). */
  status: 'sent' | 'skipped' | 'failed';
}

/** A row's state to record after a batch. */
export interface SyncRowRecord extends SyncRowState {
  key: string;
}

/** What to change on a run as it goes. */
export interface SyncRunUpdate {
  status?: SyncRunStatus;
  counts?: SyncRunCounts;
  rowErrors?: SyncRowError[];
  error?: string | null;
}

/** The answer to a request for a run: the run started, or the one that holds the sync's lease. */
export type RunStart = { started: true; run: SyncRun } | { started: false; activeRunId: string | null };

/** Warehouses, syncs, their runs and row states. */
export interface SyncStore {
  createWarehouse(input: NewWarehouse): Promise<Warehouse>;
  getWarehouse(id: string): Promise<Warehouse | undefined>;
  listWarehouses(): Promise<Warehouse[]>;
  updateWarehouse(id: string, patch: WarehousePatch): Promise<Warehouse | undefined>;
  /** Deletes a warehouse no sync uses: `in_use` while one does. */
  deleteWarehouse(id: string): Promise<'deleted' | 'not_found' | 'in_use'>;

  createSync(input: NewSync): Promise<Sync>;
  getSync(id: string): Promise<Sync | undefined>;
  listSyncs(): Promise<Sync[]>;
  updateSync(id: string, patch: SyncPatch): Promise<Sync | undefined>;
  /** Deletes a sync with its runs and row states. */
  deleteSync(id: string): Promise<boolean>;

  /**
   * Takes the sync's lease for `owner` (on the database's clock) and opens a `queued` run, unless
   * another owner's lease is still running. An earlier run left unfinished (its process died) is
   * marked failed; the new run resumes from the row states it recorded. Schedules the next run
   * `everyMinutes` from now.
   */
  startRun(syncId: string, owner: string, leaseMs: number, trigger: string): Promise<RunStart>;
  /** Extends the lease while the run works; false when `owner` no longer holds it. */
  renewLease(syncId: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Records a run's progress. */
  updateRun(runId: string, update: SyncRunUpdate): Promise<void>;
  /** Records a run's end (succeeded or failed) and releases the lease. */
  finishRun(runId: string, owner: string, update: SyncRunUpdate & { status: 'succeeded' | 'failed' }): Promise<void>;
  getRun(runId: string): Promise<SyncRun | undefined>;
  /** A sync's runs, newest first. */
  listRuns(syncId: string, limit: number): Promise<SyncRun[]>;
  /** Enabled scheduled syncs whose next run is due and that no one holds (the database's clock). */
  dueSyncs(): Promise<string[]>;

  /** What earlier runs recorded of these rows, by key; rows never seen are absent. */
  rowStates(syncId: string, keys: readonly string[]): Promise<Map<string, SyncRowState>>;
  /** Records rows' hashes and outcomes, replacing what was known of them. */
  recordRows(syncId: string, rows: readonly SyncRowRecord[]): Promise<void>;
}

/** Counts of a run that has read nothing yet. */
export function emptyRunCounts(): SyncRunCounts {
  return { queried: 0, added: 0, changed: 0, unchanged: 0, sent: 0, skipped: 0, failed: 0 };
}
