import type pg from 'pg';
import type { LaneClaim, LaneHolding, LaneState, LaneStore } from '../lanes.js';
import { shareLanes, type HeldLane } from '../lane-share.js';
import { databaseNow, NOW_MS_SQL, transaction } from './pool.js';

/**
 * The key of the transaction-level advisory lock each round of lane keeping takes: per schema.
 * Under it, two workers' rounds never interleave (each sees the lanes the other took), as
 * SQLite's IMMEDIATE transactions do; it is released at COMMIT or ROLLBACK, or when the
 * connection is lost, so a killed worker never leaves it held.
 */
const LANES_LOCK_SQL = `hashtext('datafirst lanes ' || current_schema())`;

/** Lane leases in PostgreSQL: one row per held lane, one per live worker; each round is one transaction. */
export class PostgresLaneStore implements LaneStore {
  constructor(private readonly pool: pg.Pool) {}

  async claimLanes({ owner, leaseMs, integrationIds }: LaneClaim): Promise<LaneHolding> {
    return transaction(this.pool, async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${LANES_LOCK_SQL})`);
      // Read after the lock is granted: a round that waited for another measures from its own now.
      const now = await databaseNow(client);
      const until = now + leaseMs;
      await client.query('DELETE FROM lane_workers WHERE alive_until <= $1', [now]);
      await client.query(
        `INSERT INTO lane_workers (owner, alive_until) VALUES ($1, $2)
         ON CONFLICT (owner) DO UPDATE SET alive_until = excluded.alive_until`,
        [owner, until],
      );
      // Its own lanes are renewed even when they ran out unnoticed: no one took them meanwhile.
      await client.query('UPDATE lane_leases SET lease_until = $1 WHERE owner = $2', [until, owner]);
      await client.query(
        `DELETE FROM lane_leases l
         WHERE l.lease_until <= $1 OR NOT EXISTS (SELECT 1 FROM integrations i WHERE i.id = l.integration_id)`,
        [now],
      );
      const lanes = (await client.query<HeldLane>('SELECT integration_id AS "integrationId", owner FROM lane_leases')).rows;
      const workers = (await client.query<{ n: number }>('SELECT count(*) AS n FROM lane_workers')).rows[0]!.n;
      const { held, take, share } = shareLanes(owner, lanes, integrationIds, workers);
      if (take.length > 0) {
        await client.query(
          `INSERT INTO lane_leases (integration_id, owner, lease_until, since)
           SELECT id, $2, $3, $4 FROM unnest($1::text[]) AS id`,
          [take, owner, until, now],
        );
      }
      return { held, share };
    });
  }

  async releaseLanes(owner: string, integrationIds?: readonly string[]): Promise<void> {
    if (integrationIds) {
      await this.pool.query('DELETE FROM lane_leases WHERE owner = $1 AND integration_id = ANY($2::text[])', [
        owner,
        [...integrationIds],
      ]);
      return;
    }
    await transaction(this.pool, async (client) => {
      await client.query('DELETE FROM lane_leases WHERE owner = $1', [owner]);
      await client.query('DELETE FROM lane_workers WHERE owner = $1', [owner]);
    });
  }

  async restLane(integrationId: string, ms: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO lane_rests (integration_id, until) VALUES ($1, ${NOW_MS_SQL} + $2)
       ON CONFLICT (integration_id) DO UPDATE SET until = greatest(lane_rests.until, excluded.until)`,
      [integrationId, ms],
    );
  }

  async laneStates(): Promise<LaneState[]> {
    // The pending deliveries are counted through the partial index of pending ones.
    const { rows } = await this.pool.query<{ id: string; owner: string | null; pending: number | null; age: number | null }>(
      `WITH now AS (SELECT ${NOW_MS_SQL} AS ms)
       SELECT i.id, l.owner, p.pending, now.ms - p.oldest AS age
       FROM integrations i CROSS JOIN now
       LEFT JOIN lane_leases l ON l.integration_id = i.id AND l.lease_until > now.ms
       LEFT JOIN (
         SELECT integration_id, count(*) AS pending, min(created_at) AS oldest
         FROM deliveries WHERE status = 'pending' GROUP BY integration_id
       ) p ON p.integration_id = i.id
       ORDER BY i.created_at, i.seq`,
    );
    return rows.map((row) => ({
      integrationId: row.id,
      owner: row.owner,
      pending: row.pending ?? 0,
      oldestPendingAgeMs: row.age === null ? null : Math.max(0, row.age),
    }));
  }
}
