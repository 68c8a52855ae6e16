import type { LeaseRequest } from '../store.js';
import { NOW_MS_SQL } from './pool.js';

/**
 * The SQL that leases due deliveries, with its positional parameters; it returns the leased rows
 * and the database time they were leased at. A lane's lease (one integration) walks that lane's
 * due deliveries in the order of their index (integration, next_attempt_at, id) and stops at the
 * limit, whatever the statistics say of the backlog: the clock is read once (an InitPlan) rather
 * than joined, so the index scan's order is the ORDER BY and no plan sorts the lane's backlog.
 * SKIP LOCKED: workers leasing at the same moment take other rows instead of waiting.
 * Each leased row comes with its event's source and message (NULL once the event is gone), looked
 * up by its key in the same statement: one round trip and one statement per lease, not two.
 */
export function leaseQuery(request: LeaseRequest): { sql: string; params: unknown[] } {
  const lane = request.integrationId !== undefined;
  const sql = `WITH now AS MATERIALIZED (SELECT ${NOW_MS_SQL} AS ms),
    due AS (
      SELECT d.id FROM deliveries d
      WHERE ${lane ? 'd.integration_id = $4 AND ' : ''}d.status = 'pending'
        AND d.next_attempt_at <= (SELECT ms FROM now) AND d.lease_until < (SELECT ms FROM now)
        -- requireLane: only while this owner holds the integration's lane, on the same clock.
        AND (NOT $5::boolean OR EXISTS (
          SELECT 1 FROM lane_leases l WHERE l.integration_id = $4 AND l.owner = $1 AND l.lease_until > (SELECT ms FROM now)))
        -- Not while the integration rests after a Retry-After (lanes.restLane), whoever owns its lane.
        -- A lane's lease checks its one integration once (an InitPlan), not once per due row.
        AND NOT EXISTS (
          SELECT 1 FROM lane_rests r WHERE r.integration_id = ${lane ? '$4' : 'd.integration_id'} AND r.until > (SELECT ms FROM now))
      ORDER BY d.next_attempt_at, d.id LIMIT $2
      FOR UPDATE OF d SKIP LOCKED),
    leased AS (
      UPDATE deliveries d SET lease_owner = $1, lease_until = now.ms + $3
      FROM due, now WHERE d.id = due.id
      RETURNING d.*, now.ms AS leased_at)
    -- LATERAL … LIMIT 1: each event by its key, never a hash of the whole events table.
    SELECT l.*, e.source_id AS event_source_id, e.message AS event_message FROM leased l
    LEFT JOIN LATERAL (SELECT source_id, message FROM events WHERE id = l.event_id LIMIT 1) e ON true`;
  const params = [
    request.owner,
    request.limit,
    request.leaseMs,
    request.integrationId ?? null,
    request.requireLane === true && lane,
  ];
  return { sql, params };
}
