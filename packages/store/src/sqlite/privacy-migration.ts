/** Migration 12: admin sessions, daily delivery counts kept after retention, the suppression list. */
export const PRIVACY_MIGRATION = {
  version: 12,
  name: 'admin sessions, daily delivery counts, suppressed people',
  sql: `
    -- Signed-in admin UI sessions by their nonce: a sign-out is a deleted row, and survives a restart.
    CREATE TABLE admin_sessions (
      id          TEXT PRIMARY KEY,
      expires_at  INTEGER NOT NULL
    );
    CREATE INDEX admin_sessions_by_expiry ON admin_sessions(expires_at);

    -- What deliveries of events deleted by retention came to, per day: the aggregate outlives the raw events.
    CREATE TABLE delivery_daily_counts (
      day             TEXT NOT NULL,
      integration_id  TEXT NOT NULL,
      status          TEXT NOT NULL,
      reason_code     TEXT NOT NULL DEFAULT '',
      count           INTEGER NOT NULL,
      PRIMARY KEY (day, integration_id, status, reason_code)
    );

    -- Erased people who asked not to be collected again, by identifier hash only (never the raw value).
    CREATE TABLE suppressed_identities (
      hash        TEXT PRIMARY KEY,
      created_at  INTEGER NOT NULL
    );
  `,
} as const;
