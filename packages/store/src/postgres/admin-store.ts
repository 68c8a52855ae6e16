import type pg from 'pg';
import type {
  AdminStore,
  DailyOutcomes,
  DailyOutcomesQuery,
  DeliveryHealth,
  HealthQuery,
  IntegrationMatchQuality,
  MatchQualityQuery,
} from '../admin.js';
import {
  assembleDeliveryHealth,
  lastErrorSince,
  type BacklogRow,
  type LastErrorRow,
  type MinuteOutcomeRow,
  type ParkedCountRow,
} from '../delivery-health.js';
import { assembleDailyOutcomes, firstDayOf, type OutcomeDayRow, type PurchaseDayRow } from '../daily-outcomes.js';
import { newWriteKey } from '../ids.js';
import { assembleMatchQuality, matchQualityWindows, type MatchQualityRow } from '../match-quality.js';
import type { SealedSecrets } from '../sealed-secrets.js';
import type { Source, SourceChanges } from '../store.js';
import { changed, NOW_MS_SQL, transaction } from './pool.js';
import { toSource, type SourceRow } from '../rows.js';
import { writeKeyColumns } from './sealed-rows.js';

const MINUTE_MS = 60_000;

/** The PostgreSQL AdminStore: source management, delivery health, match quality and trends. */
export class PostgresAdminStore implements AdminStore {
  constructor(
    private readonly pool: pg.Pool,
    private readonly secrets: SealedSecrets,
  ) {}

  async updateSource(id: string, changes: SourceChanges): Promise<Source | undefined> {
    const { rows } = await this.pool.query<SourceRow & { now: number }>(
      `UPDATE sources SET name = coalesce($2, name), allowed_origins = coalesce($3, allowed_origins),
         rate_limit_rps = CASE WHEN $5 THEN $4 ELSE rate_limit_rps END, server_side = coalesce($6, server_side)
       WHERE id = $1 RETURNING *, ${NOW_MS_SQL} AS now`,
      [
        id,
        changes.name ?? null,
        changes.allowedOrigins ? JSON.stringify(changes.allowedOrigins) : null,
        changes.rateLimitRps ?? null,
        changes.rateLimitRps !== undefined,
        changes.serverSide ?? null,
      ],
    );
    return rows[0] && toSource(rows[0], this.secrets, rows[0].now);
  }

  async rotateWriteKey(id: string, graceMs: number): Promise<Source | undefined> {
    const keep = graceMs > 0;
    // Sealed values are bound to the source, not the column, so the old one moves as it is.
    const { rows } = await this.pool.query<SourceRow & { now: number }>(
      `UPDATE sources SET write_key = $2, write_key_hash = $3,
         previous_write_key = CASE WHEN $4 THEN write_key END,
         previous_write_key_hash = CASE WHEN $4 THEN write_key_hash END,
         previous_key_expires_at = CASE WHEN $4 THEN ${NOW_MS_SQL} + $5 END
       WHERE id = $1 RETURNING *, ${NOW_MS_SQL} AS now`,
      [id, ...writeKeyColumns(id, newWriteKey(), this.secrets), keep, graceMs],
    );
    return rows[0] && toSource(rows[0], this.secrets, rows[0].now);
  }

  async deleteSource(id: string): Promise<boolean> {
    // Deleted rows leave dead tuples until (auto)vacuum reclaims them: the operator's VACUUM, not ours.
    return transaction(this.pool, async (client) => {
      // Deliveries a worker holds are left to finish; later ones find no integration and are skipped.
      await client.query(
        `WITH now AS (SELECT ${NOW_MS_SQL} AS ms)
         UPDATE deliveries SET status = 'skipped', reason = 'integration_deleted: its source was deleted',
           reason_code = 'integration_deleted', updated_at = now.ms
         FROM now
         WHERE status IN ('pending', 'blocked') AND lease_until < now.ms
           AND integration_id IN (SELECT id FROM integrations WHERE source_id = $1)`,
        [id],
      );
      const deleted = changed(await client.query('DELETE FROM sources WHERE id = $1', [id])) > 0;
      // Its events hold raw PII; their deliveries go with them (a trigger), but for those a worker holds.
      await client.query(
        `DELETE FROM events e WHERE e.source_id = $1
           AND NOT EXISTS (SELECT 1 FROM deliveries d
             WHERE d.event_id = e.id AND d.status = 'pending' AND d.lease_until >= ${NOW_MS_SQL})`,
        [id],
      );
      return deleted;
    });
  }

  async deliveryHealth(query: HealthQuery): Promise<DeliveryHealth> {
    const integrationId = query.integrationId ?? null;
    const [minutes, pending, parked, error] = await Promise.all([
      this.pool.query<MinuteOutcomeRow>(
        `SELECT (a.at / ${MINUTE_MS}) * ${MINUTE_MS} AS minute,
           count(*) FILTER (WHERE a.status = 'delivered') AS delivered,
           count(*) FILTER (WHERE a.status = 'pending') AS retried,
           count(*) FILTER (WHERE a.status IN ('failed', 'dead')) AS failed,
           count(*) FILTER (WHERE a.status = 'blocked') AS parked
         FROM delivery_attempts a
         WHERE a.at >= $1
           AND ($2::text IS NULL OR a.delivery_id IN (SELECT id FROM deliveries WHERE integration_id = $2))
         GROUP BY 1 ORDER BY 1`,
        [query.since, integrationId],
      ),
      this.pool.query<BacklogRow>(
        `SELECT count(*) AS pending, count(*) FILTER (WHERE next_attempt_at <= $1) AS due, min(created_at) AS oldest
         FROM deliveries WHERE status = 'pending' AND ($2::text IS NULL OR integration_id = $2)`,
        [query.now, integrationId],
      ),
      this.pool.query<ParkedCountRow>(
        `SELECT status, count(*) AS n FROM deliveries
         WHERE status IN ('blocked', 'dead') AND ($1::text IS NULL OR integration_id = $1) GROUP BY status`,
        [integrationId],
      ),
      this.pool.query<LastErrorRow>(
        `SELECT a.at, a.status, a.http_status, a.reason, a.reason_code, a.delivery_id, d.event_id, d.integration_id,
           i.name AS integration_name
         FROM delivery_attempts a
         JOIN deliveries d ON d.id = a.delivery_id
         LEFT JOIN integrations i ON i.id = d.integration_id
         WHERE a.at >= $1 AND a.status IN ('pending', 'failed', 'dead', 'blocked')
           AND ($2::text IS NULL OR d.integration_id = $2)
         ORDER BY a.at DESC, a.id DESC LIMIT 1`,
        [lastErrorSince(query.now), integrationId],
      ),
    ]);
    return assembleDeliveryHealth({
      minutes: minutes.rows,
      backlog: pending.rows[0]!,
      parked: parked.rows,
      lastError: error.rows[0],
    });
  }

  async matchQuality(query: MatchQualityQuery): Promise<IntegrationMatchQuality[]> {
    const { hour, day } = matchQualityWindows(query);
    // Minutes that left the day are never read again.
    await this.pool.query('DELETE FROM match_quality_minutes WHERE minute < $1', [day]);
    const { rows } = await this.pool.query<MatchQualityRow>(
      `SELECT m.integration_id, i.name AS integration_name, m.identifier,
         sum(m.count) AS day, coalesce(sum(CASE WHEN m.minute >= $1 THEN m.count END), 0) AS hour
       FROM match_quality_minutes m JOIN integrations i ON i.id = m.integration_id
       WHERE m.minute >= $2
         AND ($3::text IS NULL OR m.source_id = $3)
         AND ($4::text IS NULL OR m.integration_id = $4)
       GROUP BY m.integration_id, i.name, m.identifier
       ORDER BY i.name, m.integration_id, m.identifier`,
      [hour, day, query.sourceId ?? null, query.integrationId ?? null],
    );
    return assembleMatchQuality(rows);
  }

  async dailyOutcomes(query: DailyOutcomesQuery): Promise<DailyOutcomes[]> {
    const params = [firstDayOf(query), query.sourceId ?? null, query.integrationId ?? null];
    const filter = `day >= $1 AND ($2::text IS NULL OR source_id = $2) AND ($3::text IS NULL OR integration_id = $3)`;
    const [outcomes, purchases] = await Promise.all([
      this.pool.query<OutcomeDayRow>(
        `SELECT day, integration_id, source_id, outcome, count FROM delivery_outcome_days WHERE ${filter} AND count > 0`,
        params,
      ),
      this.pool.query<PurchaseDayRow>(
        `SELECT day, integration_id, source_id, currency, purchases, value_micros FROM purchase_value_days WHERE ${filter}`,
        params,
      ),
    ]);
    return assembleDailyOutcomes(outcomes.rows, purchases.rows);
  }
}
