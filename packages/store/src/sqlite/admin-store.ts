import type Database from 'better-sqlite3';
import {
  MATCH_IDENTIFIERS,
  type AdminStore,
  type DeliveryHealth,
  type HealthQuery,
  type IdentifierCounts,
  type IntegrationMatchQuality,
  type MatchIdentifier,
  type MatchQualityQuery,
} from '../admin.js';
import { MATCH_RULES } from '../match-identifiers.js';
import type { SecretBox } from '../secret-box.js';
import type { DeliveryStatus, Source } from '../store.js';
import { newWriteKey, toSource, writeKeyColumns } from './sealed-rows.js';
import { iso, type Row } from './columns.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** SQL that is true when `column` (JSON) has something at `path`, as match-identifiers.ts defines it. */
function presentSql(column: string, path: string): string {
  if (!/^[A-Za-z0-9_.]+$/.test(path)) throw new Error(`unexpected JSON path: ${path}`);
  return `(nullif(nullif(json_extract(${column}, '$.${path}'), ''), '[]') IS NOT NULL)`;
}

function identifierSql(identifier: MatchIdentifier): string {
  const rule = MATCH_RULES[identifier];
  const groups = [
    ...rule.message.map((group) => group.map((path) => presentSql('e.message', path)).join(' AND ')),
    ...rule.payload.map((group) => group.map((path) => presentSql('d.payload', path)).join(' AND ')),
  ];
  return `(${groups.map((group) => `(${group})`).join(' OR ')})`;
}

// Built once: one pass over the day's deliveries counts every identifier for both windows.
const MATCH_QUALITY_SQL = `
  SELECT d.integration_id AS integration_id, i.name AS integration_name,
    count(*) AS day_events, coalesce(sum(e.received_at >= @hour), 0) AS hour_events,
    ${MATCH_IDENTIFIERS.map(
      (id) => `coalesce(sum(${identifierSql(id)}), 0) AS day_${id},
    coalesce(sum(e.received_at >= @hour AND ${identifierSql(id)}), 0) AS hour_${id}`,
    ).join(',\n    ')}
  FROM events e
  JOIN deliveries d ON d.event_id = e.id
  JOIN integrations i ON i.id = d.integration_id
  WHERE e.received_at >= @day
    AND (@sourceId IS NULL OR e.source_id = @sourceId)
    AND (@integrationId IS NULL OR d.integration_id = @integrationId)
  GROUP BY d.integration_id
  ORDER BY i.name, d.integration_id`;

function counts(row: Row, window: 'hour' | 'day'): IdentifierCounts {
  const carrying = {} as Record<MatchIdentifier, number>;
  for (const id of MATCH_IDENTIFIERS) carrying[id] = row[`${window}_${id}`] as number;
  return { events: row[`${window}_events`] as number, carrying };
}

/** The SQLite AdminStore: source management, delivery health and match quality. */
export class SqliteAdminStore implements AdminStore {
  constructor(
    private readonly db: Database.Database,
    private readonly box: SecretBox,
  ) {}

  private source(id: string): Source | undefined {
    const row = this.db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as Row | undefined;
    return row && toSource(row, this.box);
  }

  async renameSource(id: string, name: string): Promise<Source | undefined> {
    const changed = this.db.prepare('UPDATE sources SET name = ? WHERE id = ?').run(name, id).changes;
    return changed > 0 ? this.source(id) : undefined;
  }

  async rotateWriteKey(id: string, graceMs: number): Promise<Source | undefined> {
    const now = Date.now();
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT write_key, write_key_hash FROM sources WHERE id = ?').get(id) as Row | undefined;
        if (!row) return undefined;
        const keep = graceMs > 0;
        this.db
          .prepare(
            `UPDATE sources SET write_key = @write_key, write_key_hash = @write_key_hash,
               previous_write_key = @previous, previous_write_key_hash = @previous_hash, previous_key_expires_at = @expires
             WHERE id = @id`,
          )
          .run({
            id,
            ...writeKeyColumns(id, newWriteKey(), this.box),
            // Sealed values are bound to the source, not the column, so the old one moves as it is.
            previous: keep ? row.write_key : null,
            previous_hash: keep ? row.write_key_hash : null,
            expires: keep ? now + graceMs : null,
          });
        return this.source(id);
      })
      .immediate();
  }

  async deleteSource(id: string): Promise<boolean> {
    const now = Date.now();
    return this.db
      .transaction(() => {
        // Deliveries a worker holds are left to finish; later ones find no integration and are skipped.
        this.db
          .prepare(
            `UPDATE deliveries SET status = 'skipped', reason = 'integration_deleted: its source was deleted', updated_at = @now
             WHERE status IN ('pending', 'blocked') AND lease_until < @now
               AND integration_id IN (SELECT id FROM integrations WHERE source_id = @id)`,
          )
          .run({ id, now });
        // Integrations (and anything else of the source) go by ON DELETE CASCADE.
        return this.db.prepare('DELETE FROM sources WHERE id = ?').run(id).changes > 0;
      })
      .immediate();
  }

  async deliveryHealth(query: HealthQuery): Promise<DeliveryHealth> {
    const params = {
      since: query.since,
      now: query.now,
      integrationId: query.integrationId ?? null,
      errorsSince: query.now - DAY_MS,
    };
    const minutes = this.db
      .prepare(
        `SELECT (a.at / ${MINUTE_MS}) * ${MINUTE_MS} AS minute,
           sum(a.status = 'delivered') AS delivered,
           sum(a.status = 'pending') AS retried,
           sum(a.status IN ('failed', 'dead', 'blocked')) AS failed
         FROM delivery_attempts a
         WHERE a.at >= @since
           AND (@integrationId IS NULL OR a.delivery_id IN (SELECT id FROM deliveries WHERE integration_id = @integrationId))
         GROUP BY minute ORDER BY minute`,
      )
      .all(params) as Row[];
    const pending = this.db
      .prepare(
        `SELECT count(*) AS pending, coalesce(sum(next_attempt_at <= @now), 0) AS due, min(created_at) AS oldest
         FROM deliveries WHERE status = 'pending' AND (@integrationId IS NULL OR integration_id = @integrationId)`,
      )
      .get(params) as Row;
    const parked = new Map(
      (
        this.db
          .prepare(
            `SELECT status, count(*) AS n FROM deliveries
             WHERE status IN ('blocked', 'dead') AND (@integrationId IS NULL OR integration_id = @integrationId)
             GROUP BY status`,
          )
          .all(params) as Row[]
      ).map((row) => [row.status as string, row.n as number]),
    );
    // Walks the time index backwards from now and stops at the first error: cheap however many
    // tries went well. Errors older than a day are not "the last error" any more.
    const error = this.db
      .prepare(
        `SELECT a.at, a.status, a.http_status, a.reason, a.delivery_id, d.event_id, d.integration_id, i.name AS integration_name
         FROM delivery_attempts a
         JOIN deliveries d ON d.id = a.delivery_id
         LEFT JOIN integrations i ON i.id = d.integration_id
         WHERE a.at >= @errorsSince AND a.status IN ('pending', 'failed', 'dead', 'blocked')
           AND (@integrationId IS NULL OR d.integration_id = @integrationId)
         ORDER BY a.at DESC, a.id DESC LIMIT 1`,
      )
      .get(params) as Row | undefined;
    return {
      perMinute: minutes.map((row) => ({
        minute: iso(row.minute as number),
        delivered: row.delivered as number,
        retried: row.retried as number,
        failed: row.failed as number,
      })),
      backlog: {
        pending: pending.pending as number,
        due: pending.due as number,
        oldestPendingAt: typeof pending.oldest === 'number' ? iso(pending.oldest) : null,
        blocked: parked.get('blocked') ?? 0,
        dead: parked.get('dead') ?? 0,
      },
      lastError: error
        ? {
            at: iso(error.at as number),
            eventId: error.event_id as number,
            deliveryId: error.delivery_id as number,
            integrationId: error.integration_id as string,
            integrationName: (error.integration_name as string | null) ?? '(deleted)',
            status: error.status as DeliveryStatus,
            httpStatus: (error.http_status as number | null) ?? null,
            reason: (error.reason as string | null) ?? null,
          }
        : null,
    };
  }

  async matchQuality(query: MatchQualityQuery): Promise<IntegrationMatchQuality[]> {
    const rows = this.db.prepare(MATCH_QUALITY_SQL).all({
      hour: query.now - HOUR_MS,
      day: query.now - DAY_MS,
      sourceId: query.sourceId ?? null,
      integrationId: query.integrationId ?? null,
    }) as Row[];
    return rows.map((row) => ({
      integrationId: row.integration_id as string,
      integrationName: row.integration_name as string,
      lastHour: counts(row, 'hour'),
      lastDay: counts(row, 'day'),
    }));
  }
}
