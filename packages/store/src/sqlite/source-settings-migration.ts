/** Migration 20: per-source settings, the origins trusted with credentials and the ingest rate limit. */
export const SOURCE_SETTINGS_MIGRATION = {
  version: 20,
  name: 'source settings: allowed origins, ingest rate limit',
  sql: `
    -- JSON array of origins (scheme://host[:port]) that get CORS answers with credentials, beside
    -- the collector's own site.
    ALTER TABLE sources ADD COLUMN allowed_origins TEXT NOT NULL DEFAULT '[]';
    -- Most ingest requests a second for the source; NULL: no limit.
    ALTER TABLE sources ADD COLUMN rate_limit_rps REAL;
  `,
};
