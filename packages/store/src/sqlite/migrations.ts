import type Database from 'better-sqlite3';
import { ADMIN_MIGRATION } from './admin-migration.js';
import { LINKS_MIGRATION } from './link-migration.js';
import { PRIVACY_MIGRATION } from './privacy-migration.js';
import { SYNCS_MIGRATION } from './sync-migration.js';
import { DELIVERY_COUNTS_MIGRATION } from './delivery-counts-migration.js';
import { MATCH_QUALITY_MIGRATION } from './match-quality-migration.js';
import { SOURCE_SETTINGS_MIGRATION } from './source-settings-migration.js';
import { MATCH_QUALITY_TALLY_MIGRATION } from './match-quality-tally-migration.js';
import { EVENT_SEARCH_MIGRATION } from './event-search-migration.js';
import { OUTCOME_DAYS_MIGRATION } from './outcome-days-migration.js';
import { EMAIL_KEY_MIGRATION } from './email-key-migration.js';
import { SHARED_STATE_MIGRATION } from './shared-state-migration.js';
import { DELIVERY_PAYLOADS_MIGRATION } from './delivery-payloads-migration.js';
import { LANE_RESTS_MIGRATION } from './lane-rests-migration.js';
import { SERVER_SIDE_SOURCES_MIGRATION } from './server-side-sources-migration.js';

/** One schema change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** What SQL cannot compute (hashes), run after `sql` in the same transaction. */
  backfill?(db: Database.Database): void;
}

/**
 * Versioned schema migrations, applied in order inside a transaction each. Never edit a shipped
 * migration: add a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sources, integrations, events, deliveries, profiles',
    sql: `
      CREATE TABLE sources (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        write_key   TEXT NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL
      );

      CREATE TABLE integrations (
        id                  TEXT PRIMARY KEY,
        source_id           TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        vendor              TEXT NOT NULL,
        name                TEXT NOT NULL,
        enabled             INTEGER NOT NULL,
        config              TEXT NOT NULL,
        consent_categories  TEXT NOT NULL,
        created_at          INTEGER NOT NULL,
        updated_at          INTEGER NOT NULL
      );
      CREATE INDEX integrations_by_source ON integrations(source_id);

      -- The message is kept whole as JSON; the columns beside it are what queries filter on.
      CREATE TABLE events (
        id            INTEGER PRIMARY KEY,
        source_id     TEXT NOT NULL,
        message_id    TEXT NOT NULL,
        type          TEXT NOT NULL,
        name          TEXT,
        received_at   INTEGER NOT NULL,
        message       TEXT NOT NULL,
        UNIQUE (source_id, message_id)
      );
      CREATE INDEX events_by_received ON events(received_at);

      CREATE TABLE deliveries (
        id               INTEGER PRIMARY KEY,
        event_id         INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        integration_id   TEXT NOT NULL,
        status           TEXT NOT NULL,
        attempts         INTEGER NOT NULL DEFAULT 0,
        next_attempt_at  INTEGER NOT NULL,
        lease_owner      TEXT,
        lease_until      INTEGER NOT NULL DEFAULT 0,
        reason           TEXT,
        payload          TEXT,
        response         TEXT,
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        UNIQUE (event_id, integration_id)
      );
      -- The worker's lease query walks this index: due pending deliveries, oldest first.
      CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at) WHERE status = 'pending';
      CREATE INDEX deliveries_by_integration ON deliveries(integration_id, status);

      CREATE TABLE delivery_attempts (
        id            INTEGER PRIMARY KEY,
        delivery_id   INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        at            INTEGER NOT NULL,
        status        TEXT NOT NULL,
        http_status   INTEGER,
        reason        TEXT
      );
      CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts(delivery_id);

      -- Traits from identify calls, by 'u:<userId>' and 'a:<anonymousId>'.
      CREATE TABLE profiles (
        source_id   TEXT NOT NULL,
        key         TEXT NOT NULL,
        traits      TEXT NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (source_id, key)
      );
    `,
  },
  {
    version: 2,
    name: 'delivery lanes: paused integrations, retry windows, per-integration due index',
    sql: `
      -- Why an integration is paused (credentials refused); NULL while it delivers.
      ALTER TABLE integrations ADD COLUMN paused_reason TEXT;
      -- When the current retry window began: at creation, and again when a dead letter is replayed.
      ALTER TABLE deliveries ADD COLUMN retry_from INTEGER NOT NULL DEFAULT 0;
      UPDATE deliveries SET retry_from = created_at;
      -- Each integration's lane leases its own due deliveries through this index.
      CREATE INDEX deliveries_due_by_integration ON deliveries(integration_id, next_attempt_at) WHERE status = 'pending';
    `,
  },
  ADMIN_MIGRATION,
  LINKS_MIGRATION,
  {
    version: 5,
    name: 'drop the global due index: every lane leases through the per-integration one',
    // One index fewer to update on every delivery written.
    sql: `DROP INDEX IF EXISTS deliveries_due;`,
  },
  {
    version: 6,
    name: 'reason codes beside reason texts, identifiers per delivery',
    sql: `
      -- The stable code of the reason (e.g. no_consent), which replay filters and metrics use.
      ALTER TABLE deliveries ADD COLUMN reason_code TEXT;
      ALTER TABLE delivery_attempts ADD COLUMN reason_code TEXT;
      -- JSON array of the identifier keys the event carried for its destination: match quality
      -- counts these instead of reading every message and payload.
      ALTER TABLE deliveries ADD COLUMN identifiers TEXT NOT NULL DEFAULT '[]';
    `,
  },
  {
    version: 7,
    name: 'link clicks: the ad click id column is named for any ad platform',
    sql: `
      ALTER TABLE link_clicks RENAME COLUMN sc_click_id TO ad_click_id;
      -- One click per ad click id and link: a double tap must not count (or convert) twice.
      DROP INDEX link_clicks_by_sc_click;
      CREATE UNIQUE INDEX link_clicks_by_ad_click ON link_clicks(link_id, ad_click_id) WHERE ad_click_id IS NOT NULL;
    `,
  },
  PRIVACY_MIGRATION,
  SYNCS_MIGRATION,
  SOURCE_SETTINGS_MIGRATION,
  DELIVERY_COUNTS_MIGRATION,
  MATCH_QUALITY_MIGRATION,
  MATCH_QUALITY_TALLY_MIGRATION,
  EVENT_SEARCH_MIGRATION,
  OUTCOME_DAYS_MIGRATION,
  EMAIL_KEY_MIGRATION,
  SHARED_STATE_MIGRATION,
  DELIVERY_PAYLOADS_MIGRATION,
  LANE_RESTS_MIGRATION,
  SERVER_SIDE_SOURCES_MIGRATION,
];
