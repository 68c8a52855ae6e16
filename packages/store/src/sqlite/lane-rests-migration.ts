import type { Migration } from './migrations.js';

/**
 * Migration 36: a destination's Retry-After holds its integration's lane back in the database,
 * so the worker that takes the lane over next waits it out too, instead of sending at once.
 */
export const LANE_RESTS_MIGRATION: Migration = {
  version: 36,
  name: 'lane rests: a Retry-After holds an integration back whoever owns its lane',
  sql: `
    -- Until when (epoch ms, the database's clock) no worker leases the integration's deliveries.
    CREATE TABLE lane_rests (
      integration_id  TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
      until           INTEGER NOT NULL
    );
  `,
};
