import type { Migration } from './migrations.js';

/**
 * Migration 34: what several workers and collectors on one database share. Lane leases say which
 * worker sends each integration's deliveries; live workers are counted to share lanes fairly;
 * failed sign-ins and ingest token buckets make the admin lockout and a source's rate limit
 * hold across collectors. Every time is epoch ms on the database's clock.
 */
export const SHARED_STATE_MIGRATION: Migration = {
  version: 34,
  name: 'lane leases, live workers, failed sign-ins and rate-limit buckets shared across processes',
  sql: `
    -- One row per integration whose lane a worker holds (or held: lease_until past, free to take).
    CREATE TABLE lane_leases (
      integration_id  TEXT PRIMARY KEY,
      owner           TEXT NOT NULL,
      lease_until     INTEGER NOT NULL,
      since           INTEGER NOT NULL
    );
    CREATE INDEX lane_leases_by_owner ON lane_leases(owner);

    -- Workers alive until their last lane round's lease runs out: what a fair share divides by.
    CREATE TABLE lane_workers (
      owner        TEXT PRIMARY KEY,
      alive_until  INTEGER NOT NULL
    );

    -- Failed admin sign-ins, by client address and under '*' for all of them together.
    CREATE TABLE failed_sign_ins (
      id   INTEGER PRIMARY KEY,
      key  TEXT NOT NULL,
      at   INTEGER NOT NULL
    );
    CREATE INDEX failed_sign_ins_by_key ON failed_sign_ins(key, at);
    CREATE INDEX failed_sign_ins_by_time ON failed_sign_ins(at);

    -- A token bucket per key (a rate-limited source): tokens left as of updated_at.
    CREATE TABLE rate_buckets (
      key         TEXT PRIMARY KEY,
      tokens      REAL NOT NULL,
      updated_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
  `,
};
