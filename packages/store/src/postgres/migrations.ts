import type pg from 'pg';
import {
  SCHEMA_V1,
  SCHEMA_V2_SHARED_STATE,
  SCHEMA_V3_DUE_ORDER,
  SCHEMA_V4_TRIGGERS_WITHOUT_JIT,
  SCHEMA_V5_DELIVERIES_GO_WITH_THEIR_EVENTS,
  SCHEMA_V6_CHEAP_LEASES,
  SCHEMA_V7_ATTEMPTS_GO_WITH_THEIR_DELIVERIES,
  SCHEMA_V8_STATUS_INDEX_FOR_THE_FEW,
  SCHEMA_V9_LANE_RESTS,
  SCHEMA_V10_SERVER_SIDE_SOURCES,
} from './schema.js';

/** One schema change. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * PostgreSQL's schema migrations, applied in order, one transaction each. The schema starts at
 * its own version 1 (SQLite's history is not replayed). Never edit a shipped migration: add one.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  { version: 1, name: 'sources, integrations, events, deliveries, links, privacy, syncs, trends', sql: SCHEMA_V1 },
  {
    version: 2,
    name: 'lane leases, live workers, failed sign-ins and rate-limit buckets shared across processes',
    sql: SCHEMA_V2_SHARED_STATE,
  },
  { version: 3, name: "a lane's due deliveries indexed in lease order", sql: SCHEMA_V3_DUE_ORDER },
  { version: 4, name: 'the delivery triggers never JIT-compile', sql: SCHEMA_V4_TRIGGERS_WITHOUT_JIT },
  {
    version: 5,
    name: 'deliveries go with their events by a statement trigger, not a foreign key checked per delivery',
    sql: SCHEMA_V5_DELIVERIES_GO_WITH_THEIR_EVENTS,
  },
  {
    version: 6,
    name: 'leases update deliveries in place and skip the counts',
    sql: SCHEMA_V6_CHEAP_LEASES,
  },
  {
    version: 7,
    name: "a delivery's history goes with it by a statement trigger, not a foreign key checked per try",
    sql: SCHEMA_V7_ATTEMPTS_GO_WITH_THEIR_DELIVERIES,
  },
  {
    version: 8,
    name: 'only failed, dead and parked deliveries are indexed by status alone',
    sql: SCHEMA_V8_STATUS_INDEX_FOR_THE_FEW,
  },
  { version: 9, name: 'a Retry-After rests the lane whoever owns it', sql: SCHEMA_V9_LANE_RESTS },
  { version: 10, name: 'sources: server-side ones, whose write key is secret', sql: SCHEMA_V10_SERVER_SIDE_SOURCES },
];

/**
 * The key of the session advisory lock that migrations (and the sealing of stored secrets) run
 * under: per schema, so that stores on other schemas of one database do not wait for each other.
 */
export const MIGRATION_LOCK_SQL = `hashtext('datafirst migrations ' || current_schema())`;

/**
 * Brings the schema to the latest version. Processes starting at once on one database take
 * turns under an advisory lock: the first migrates, the others find it done. `whileLocked` runs
 * before the lock is released (the sealing of stored secrets, which must not race either).
 */
export async function migrate(client: pg.ClientBase, whileLocked: () => Promise<void>): Promise<void> {
  await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_SQL})`);
  try {
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of [...POSTGRES_MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    await whileLocked();
  } finally {
    await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_SQL})`);
  }
}
