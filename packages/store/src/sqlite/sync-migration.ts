/**
 * Migration 15: warehouses, syncs, runs and row states. (Numbered after the issue that brought
 * it: versions are reserved ahead by parallel work and applied by number.)
 */
export const SYNCS_MIGRATION = {
  version: 15,
  name: 'warehouses, syncs, sync runs, sync row states',
  sql: `
    -- The URL may hold a password: sealed when a secret key is set.
    CREATE TABLE warehouses (
      id          TEXT PRIMARY KEY,
      name        TEXT NOT NULL,
      kind        TEXT NOT NULL,
      url         TEXT NOT NULL,
      created_at  INTEGER NOT NULL,
      updated_at  INTEGER NOT NULL
    );

    -- A warehouse in use cannot be deleted; a source's deletion takes its syncs along.
    CREATE TABLE syncs (
      id             TEXT PRIMARY KEY,
      name           TEXT NOT NULL,
      kind           TEXT NOT NULL,
      warehouse_id   TEXT REFERENCES warehouses(id) ON DELETE RESTRICT,
      source_id      TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      query          TEXT,
      primary_key    TEXT NOT NULL,
      mapping        TEXT NOT NULL,
      action_source  TEXT NOT NULL,
      mode           TEXT NOT NULL,
      every_minutes  INTEGER,
      enabled        INTEGER NOT NULL,
      -- The one run at a time: whoever holds the lease runs the sync (the database's clock).
      lease_owner    TEXT,
      lease_until    INTEGER NOT NULL DEFAULT 0,
      next_run_at    INTEGER NOT NULL,
      created_at     INTEGER NOT NULL,
      updated_at     INTEGER NOT NULL
    );
    CREATE INDEX syncs_by_warehouse ON syncs(warehouse_id);

    CREATE TABLE sync_runs (
      id           TEXT PRIMARY KEY,
      sync_id      TEXT NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
      trigger      TEXT NOT NULL,
      status       TEXT NOT NULL,
      counts       TEXT NOT NULL,
      row_errors   TEXT NOT NULL,
      error        TEXT,
      started_at   INTEGER NOT NULL,
      finished_at  INTEGER
    );
    CREATE INDEX sync_runs_by_sync ON sync_runs(sync_id, started_at);

    -- What the runs so far know of each row: the hash of its mapped columns and its outcome.
    CREATE TABLE sync_rows (
      sync_id     TEXT NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
      row_key     TEXT NOT NULL,
      hash        TEXT NOT NULL,
      status      TEXT NOT NULL,
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (sync_id, row_key)
    ) WITHOUT ROWID;
  `,
} as const;
