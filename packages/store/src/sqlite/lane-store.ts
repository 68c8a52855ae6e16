import type Database from 'better-sqlite3';
import type { LaneClaim, LaneHolding, LaneState, LaneStore } from '../lanes.js';
import { shareLanes } from '../lane-share.js';
import type { DatabaseClock } from './clock.js';

/** Lane leases in SQLite: one row per held lane, one per live worker; each round is one transaction. */
export class SqliteLaneStore implements LaneStore {
  private readonly claimTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly now: DatabaseClock,
  ) {
    this.claimTransaction = db.transaction((claim: LaneClaim) => this.claimBody(claim));
  }

  async claimLanes(claim: LaneClaim): Promise<LaneHolding> {
    // IMMEDIATE: two workers' rounds never interleave, so each sees the other's lanes.
    return this.claimTransaction.immediate(claim);
  }

  private claimBody({ owner, leaseMs, integrationIds }: LaneClaim): LaneHolding {
    const db = this.db;
    const now = this.now();
    const until = now + leaseMs;
    db.prepare<[number], never>('DELETE FROM lane_workers WHERE alive_until <= ?').run(now);
    db.prepare<[string, number], never>(
      `INSERT INTO lane_workers (owner, alive_until) VALUES (?, ?)
       ON CONFLICT (owner) DO UPDATE SET alive_until = excluded.alive_until`,
    ).run(owner, until);
    // Its own lanes are renewed even when they ran out unnoticed: no one took them meanwhile.
    db.prepare<[number, string], never>('UPDATE lane_leases SET lease_until = ? WHERE owner = ?').run(until, owner);
    db.prepare<[number], never>(
      'DELETE FROM lane_leases WHERE lease_until <= ? OR integration_id NOT IN (SELECT id FROM integrations)',
    ).run(now);
    const rows = db
      .prepare<[], { integrationId: string; owner: string }>('SELECT integration_id AS integrationId, owner FROM lane_leases')
      .all();
    const workers = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM lane_workers').get()!.n;
    const { held, take, share } = shareLanes(owner, rows, integrationIds, workers);
    const insert = db.prepare<[string, string, number, number], never>(
      'INSERT INTO lane_leases (integration_id, owner, lease_until, since) VALUES (?, ?, ?, ?)',
    );
    for (const integrationId of take) insert.run(integrationId, owner, until, now);
    return { held, share };
  }

  async releaseLanes(owner: string, integrationIds?: readonly string[]): Promise<void> {
    if (integrationIds) {
      this.db
        .prepare<[string, string], never>(
          'DELETE FROM lane_leases WHERE owner = ? AND integration_id IN (SELECT value FROM json_each(?))',
        )
        .run(owner, JSON.stringify(integrationIds));
      return;
    }
    this.db
      .transaction(() => {
        this.db.prepare<[string], never>('DELETE FROM lane_leases WHERE owner = ?').run(owner);
        this.db.prepare<[string], never>('DELETE FROM lane_workers WHERE owner = ?').run(owner);
      })
      .immediate();
  }

  async restLane(integrationId: string, ms: number): Promise<void> {
    this.db
      .prepare<[string, number], never>(
        `INSERT INTO lane_rests (integration_id, until) VALUES (?, ?)
         ON CONFLICT (integration_id) DO UPDATE SET until = max(until, excluded.until)`,
      )
      .run(integrationId, this.now() + ms);
  }

  async laneStates(): Promise<LaneState[]> {
    const rows = this.db
      // The pending deliveries are counted through the partial index of pending ones (its rowids
      // are the delivery ids, oldest first): a backlog costs a walk of that index, no table reads
      // but one per integration for its oldest delivery's creation time.
      .prepare<{ now: number }, { id: string; owner: string | null; pending: number | null; oldest: number | null }>(
        `SELECT i.id, l.owner, p.pending, d.created_at AS oldest
         FROM integrations i
         LEFT JOIN lane_leases l ON l.integration_id = i.id AND l.lease_until > @now
         LEFT JOIN (
           SELECT integration_id, count(*) AS pending, min(id) AS oldest_id
           FROM deliveries
           WHERE status = 'pending' GROUP BY integration_id
         ) p ON p.integration_id = i.id
         LEFT JOIN deliveries d ON d.id = p.oldest_id
         ORDER BY i.created_at, i.rowid`,
      )
      .all({ now: this.now() });
    const now = this.now();
    return rows.map((row) => ({
      integrationId: row.id,
      owner: row.owner,
      pending: row.pending ?? 0,
      oldestPendingAgeMs: row.oldest === null ? null : Math.max(0, now - row.oldest),
    }));
  }
}
