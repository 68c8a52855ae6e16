import type Database from 'better-sqlite3';
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
import { newWriteKey } from '../ids.js';
import { assembleMatchQuality, matchQualityWindows, type MatchQualityRow } from '../match-quality.js';
import type { SealedSecrets } from '../sealed-secrets.js';
import type { Source, SourceChanges } from '../store.js';
import type { DatabaseClock } from './clock.js';
import { readDailyOutcomes } from './daily-outcomes.js';
import { flag } from './columns.js';
import { toSource, type SourceRow } from '../rows.js';
import { writeKeyColumns } from './sealed-rows.js';

const MINUTE_MS = 60_000;

interface HealthParams {
  since: number;
  now: number;
  integrationId: string | null;
  errorsSince: number;
}

interface MatchParams {
  hour: number;
  day: number;
  sourceId: string | null;
  integrationId: string | null;
}

/** The SQLite AdminStore: source management, delivery health, match quality and trends. */
export class SqliteAdminStore implements AdminStore {
  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SealedSecrets,
    private readonly now: DatabaseClock,
  ) {}

  private source(id: string): Source | undefined {
    const row = this.db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE id = ?').get(id);
    return row && toSource(row, this.secrets, this.now());
  }

  async updateSource(id: string, changes: SourceChanges): Promise<Source | undefined> {
    const changed = this.db
      .prepare<
        {
          id: string;
          name: string | null;
          origins: string | null;
          rps: number | null;
          setRps: number;
          serverSide: number | null;
        },
        never
      >(
        `UPDATE sources SET name = coalesce(@name, name), allowed_origins = coalesce(@origins, allowed_origins),
           rate_limit_rps = CASE WHEN @setRps THEN @rps ELSE rate_limit_rps END,
           server_side = coalesce(@serverSide, server_side)
         WHERE id = @id`,
      )
      .run({
        id,
        name: changes.name ?? null,
        origins: changes.allowedOrigins ? JSON.stringify(changes.allowedOrigins) : null,
        rps: changes.rateLimitRps ?? null,
        setRps: changes.rateLimitRps === undefined ? 0 : 1,
        serverSide: changes.serverSide === undefined ? null : flag(changes.serverSide),
      }).changes;
    return changed > 0 ? this.source(id) : undefined;
  }

  async rotateWriteKey(id: string, graceMs: number): Promise<Source | undefined> {
    return this.db
      .transaction(() => {
        const row = this.db
          .prepare<[string], Pick<SourceRow, 'write_key' | 'write_key_hash'>>(
            'SELECT write_key, write_key_hash FROM sources WHERE id = ?',
          )
          .get(id);
        if (!row) return undefined;
        const keep = graceMs > 0;
        this.db
          .prepare<
            {
              id: string;
              write_key: string;
              write_key_hash: string | null;
              previous: string | null;
              previous_hash: string | null;
              expires: number | null;
            },
            never
          >(
            `UPDATE sources SET write_key = @write_key, write_key_hash = @write_key_hash,
               previous_write_key = @previous, previous_write_key_hash = @previous_hash, previous_key_expires_at = @expires
             WHERE id = @id`,
          )
          .run({
            id,
            ...writeKeyColumns(id, newWriteKey(), this.secrets),
            // Sealed values are bound to the source, not the column, so the old one moves as it is.
            previous: keep ? row.write_key : null,
            previous_hash: keep ? row.write_key_hash : null,
            expires: keep ? this.now() + graceMs : null,
          });
        return this.source(id);
      })
      .immediate();
  }

  async deleteSource(id: string): Promise<boolean> {
    const deleted = this.db
      .transaction(() => {
        // Deliveries a worker holds are left to finish; later ones find no integration and are skipped.
        this.db
          .prepare<{ id: string; now: number }, never>(
            `UPDATE deliveries SET status = 'skipped', reason = 'integration_deleted: its source was deleted',
               reason_code = 'integration_deleted', updated_at = @now
             WHERE status IN ('pending', 'blocked') AND lease_until < @now
               AND integration_id IN (SELECT id FROM integrations WHERE source_id = @id)`,
          )
          .run({ id, now: this.now() });
        const deleted = this.db.prepare<[string], never>('DELETE FROM sources WHERE id = ?').run(id).changes > 0;
        // Its events hold raw PII, and nothing will send them any more; their deliveries go by ON
        // DELETE CASCADE, but for those a worker holds, which finish first (kept with their event).
        this.db
          .prepare<{ id: string; now: number }, never>(
            `DELETE FROM events WHERE source_id = @id
               AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id AND d.status = 'pending' AND d.lease_until >= @now)`,
          )
          .run({ id, now: this.now() });
        // Integrations (and anything else of the source) go by ON DELETE CASCADE.
        return deleted;
      })
      .immediate();
    // secure_delete zeroed the rows in the file; this empties the WAL, where old pages would linger.
    if (deleted) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return deleted;
  }

  async deliveryHealth(query: HealthQuery): Promise<DeliveryHealth> {
    const params: HealthParams = {
      since: query.since,
      now: query.now,
      integrationId: query.integrationId ?? null,
      errorsSince: lastErrorSince(query.now),
    };
    const minutes = this.db
      .prepare<HealthParams, MinuteOutcomeRow>(
        `SELECT (a.at / ${MINUTE_MS}) * ${MINUTE_MS} AS minute,
           sum(a.status = 'delivered') AS delivered,
           sum(a.status = 'pending') AS retried,
           sum(a.status IN ('failed', 'dead')) AS failed,
           sum(a.status = 'blocked') AS parked
         FROM delivery_attempts a
         WHERE a.at >= @since
           AND (@integrationId IS NULL OR a.delivery_id IN (SELECT id FROM deliveries WHERE integration_id = @integrationId))
         GROUP BY minute ORDER BY minute`,
      )
      .all(params);
    const pending = this.db
      .prepare<HealthParams, BacklogRow>(
        `SELECT count(*) AS pending, coalesce(sum(next_attempt_at <= @now), 0) AS due, min(created_at) AS oldest
         FROM deliveries WHERE status = 'pending' AND (@integrationId IS NULL OR integration_id = @integrationId)`,
      )
      .get(params)!;
    const parked = this.db
      .prepare<HealthParams, ParkedCountRow>(
        `SELECT status, count(*) AS n FROM deliveries
         WHERE status IN ('blocked', 'dead') AND (@integrationId IS NULL OR integration_id = @integrationId)
         GROUP BY status`,
      )
      .all(params);
    // Walks the time index backwards from now and stops at the first error: cheap however many tries went well.
    const error = this.db
      .prepare<HealthParams, LastErrorRow>(
        `SELECT a.at, a.status, a.http_status, a.reason, a.reason_code, a.delivery_id, d.event_id, d.integration_id,
           i.name AS integration_name
         FROM delivery_attempts a
         JOIN deliveries d ON d.id = a.delivery_id
         LEFT JOIN integrations i ON i.id = d.integration_id
         WHERE a.at >= @errorsSince AND a.status IN ('pending', 'failed', 'dead', 'blocked')
           AND (@integrationId IS NULL OR d.integration_id = @integrationId)
         ORDER BY a.at DESC, a.id DESC LIMIT 1`,
      )
      .get(params);
    return assembleDeliveryHealth({ minutes, backlog: pending, parked, lastError: error });
  }

  async matchQuality(query: MatchQualityQuery): Promise<IntegrationMatchQuality[]> {
    const params: MatchParams = {
      ...matchQualityWindows(query),
      sourceId: query.sourceId ?? null,
      integrationId: query.integrationId ?? null,
    };
    // Minutes that left the day are never read again.
    this.db.prepare<[number], never>('DELETE FROM match_quality_minutes WHERE minute < ?').run(params.day);
    // Precomputed per minute as deliveries are written (match-quality-migration.ts): at most a
    // day of minutes per integration is read, and no message or payload.
    const rows = this.db
      .prepare<MatchParams, MatchQualityRow>(
        `SELECT m.integration_id, i.name AS integration_name, m.identifier,
           sum(m.count) AS day, coalesce(sum(CASE WHEN m.minute >= @hour THEN m.count END), 0) AS hour
         FROM match_quality_minutes m JOIN integrations i ON i.id = m.integration_id
         WHERE m.minute >= @day
           AND (@sourceId IS NULL OR m.source_id = @sourceId)
           AND (@integrationId IS NULL OR m.integration_id = @integrationId)
         GROUP BY m.integration_id, m.identifier
         ORDER BY i.name, m.integration_id, m.identifier`,
      )
      .all(params);
    return assembleMatchQuality(rows);
  }

  async dailyOutcomes(query: DailyOutcomesQuery): Promise<DailyOutcomes[]> {
    return readDailyOutcomes(this.db, query);
  }
}
