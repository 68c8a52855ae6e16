import type { Migration } from './migrations.js';

/**
 * Migration 37: whether a source's write key is secret (kept on servers) or public (in pages).
 * Which profiles a sender may write follows from the key, not from the request: a request without
 * an Origin header may still come with a browser source's public key.
 */
export const SERVER_SIDE_SOURCES_MIGRATION: Migration = {
  version: 37,
  name: 'sources: server-side ones, whose write key is secret',
  sql: `
    -- 1: the write key stays on servers, so the source's identify and alias calls are trusted
    -- with user ids. 0 (every source until told otherwise): a browser source.
    ALTER TABLE sources ADD COLUMN server_side INTEGER NOT NULL DEFAULT 0;
  `,
};
