/**
 * Migration 23: a group commit adds its new deliveries to match quality once per distinct minute
 * row (see match-quality-tally.ts) instead of through a trigger per delivery.
 */
export const MATCH_QUALITY_TALLY_MIGRATION = {
  version: 23,
  name: 'match quality of new deliveries written once per commit',
  sql: `
    DROP TRIGGER match_quality_on_insert;
  `,
};
