import type Database from 'better-sqlite3';
import type { EnrichedMessage } from '@datafirst/protocol';
import { searchKeysOf, type SearchKeys } from '../search-keys.js';
import type { Migration } from './migrations.js';

/** Events whose search keys one step of the backfill computes: a few milliseconds of work. */
const BACKFILL_CHUNK = 1000;

type Row = SearchKeys & { id: number };

/**
 * Migration 30: the debugger's search by user id, anonymous id, email, order id and click id.
 * Each event keeps them beside its message (see search-keys.ts), the email only as its SHA-256
 * identity hash, and each is indexed where it is set, so a search reads a few index entries
 * instead of every message. They die with their event (retention, erasure).
 */
export const EVENT_SEARCH_MIGRATION: Migration = {
  version: 30,
  name: 'event search keys: user, anonymous, order and click ids, and the email hash',
  sql: `
    ALTER TABLE events ADD COLUMN user_id TEXT;
    ALTER TABLE events ADD COLUMN anonymous_id TEXT;
    ALTER TABLE events ADD COLUMN email_hash BLOB;
    ALTER TABLE events ADD COLUMN order_id TEXT;
    ALTER TABLE events ADD COLUMN click_id TEXT;
    -- Partial: most events have no user id, email, order or click id, and add nothing to those.
    CREATE INDEX events_by_user_id ON events(user_id) WHERE user_id IS NOT NULL;
    CREATE INDEX events_by_anonymous_id ON events(anonymous_id) WHERE anonymous_id IS NOT NULL;
    CREATE INDEX events_by_email_hash ON events(email_hash) WHERE email_hash IS NOT NULL;
    CREATE INDEX events_by_order_id ON events(order_id) WHERE order_id IS NOT NULL;
    CREATE INDEX events_by_click_id ON events(click_id) WHERE click_id IS NOT NULL;
  `,
  // SQLite has no SHA-256: the events stored before are keyed here, by the same code as ingest.
  backfill(db: Database.Database) {
    const next = db.prepare<[number, number], { id: number; message: string }>(
      'SELECT id, message FROM events WHERE id > ? ORDER BY id LIMIT ?',
    );
    const update = db.prepare<Row, never>(
      `UPDATE events SET user_id = @userId, anonymous_id = @anonymousId, email_hash = @emailHash,
         order_id = @orderId, click_id = @clickId WHERE id = @id`,
    );
    for (let after = 0; ;) {
      const rows = next.all(after, BACKFILL_CHUNK);
      if (rows.length === 0) return;
      for (const row of rows) update.run({ id: row.id, ...searchKeysOf(JSON.parse(row.message) as EnrichedMessage) });
      after = rows[rows.length - 1]!.id;
    }
  },
};
