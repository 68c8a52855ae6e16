import type Database from 'better-sqlite3';
import type { EnrichedMessage } from '@datafirst/protocol';
import { searchKeysOf } from '../search-keys.js';
import type { Migration } from './migrations.js';

/** Events whose search keys one step of the backfill computes: a few milliseconds of work. */
const BACKFILL_CHUNK = 1000;

/**
 * Migration 30: the debugger's search by user id, anonymous id, email, order id and click id.
 * Each event keeps the identity hash (SHA-256, see identity-hashes.ts) of each of them, never the
 * raw value, and each hash is indexed where it is set, so a search reads a few index entries
 * instead of every message. The hashes die with their event (retention, erasure).
 */
export const EVENT_SEARCH_MIGRATION: Migration = {
  version: 30,
  name: 'event search keys: identity hashes of the ids, email, order id and click id',
  sql: `
    ALTER TABLE events ADD COLUMN user_key BLOB;
    ALTER TABLE events ADD COLUMN anonymous_key BLOB;
    ALTER TABLE events ADD COLUMN email_key BLOB;
    ALTER TABLE events ADD COLUMN order_key BLOB;
    ALTER TABLE events ADD COLUMN click_key BLOB;
    -- Partial: most events have no user id, email, order or click id, and add nothing to those.
    CREATE INDEX events_by_user_key ON events(user_key) WHERE user_key IS NOT NULL;
    CREATE INDEX events_by_anonymous_key ON events(anonymous_key) WHERE anonymous_key IS NOT NULL;
    CREATE INDEX events_by_email_key ON events(email_key) WHERE email_key IS NOT NULL;
    CREATE INDEX events_by_order_key ON events(order_key) WHERE order_key IS NOT NULL;
    CREATE INDEX events_by_click_key ON events(click_key) WHERE click_key IS NOT NULL;
  `,
  // SQLite has no SHA-256: the events stored before are keyed here, by the same code as ingest.
  backfill(db: Database.Database) {
    const next = db.prepare<[number, number], { id: number; message: string }>(
      'SELECT id, message FROM events WHERE id > ? ORDER BY id LIMIT ?',
    );
    const update = db.prepare<[Buffer | null, Buffer | null, Buffer | null, Buffer | null, Buffer | null, number], never>(
      'UPDATE events SET user_key = ?, anonymous_key = ?, email_key = ?, order_key = ?, click_key = ? WHERE id = ?',
    );
    for (let after = 0; ;) {
      const rows = next.all(after, BACKFILL_CHUNK);
      if (rows.length === 0) return;
      for (const row of rows) {
        const keys = searchKeysOf(JSON.parse(row.message) as EnrichedMessage);
        update.run(keys.user, keys.anon, keys.email, keys.order, keys.click, row.id);
      }
      after = rows[rows.length - 1]!.id;
    }
  },
};
