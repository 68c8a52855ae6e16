import type Database from 'better-sqlite3';
import type { DailyOutcomes, DailyOutcomesQuery } from '../admin.js';

const DAY_MS = 86_400_000;

interface Params {
  from: number;
  sourceId: string | null;
  integrationId: string | null;
}

const FILTER = `day >= @from AND (@sourceId IS NULL OR source_id = @sourceId)
  AND (@integrationId IS NULL OR integration_id = @integrationId)`;

/** `YYYY-MM-DD` of a day number (UTC days since 1970-01-01). */
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/**
 * Reads the per-day counts and sums the triggers of outcome-days-migration.ts keep: a row per
 * day, integration, source and outcome (or currency), whatever the number of events.
 */
export function readDailyOutcomes(db: Database.Database, query: DailyOutcomesQuery): DailyOutcomes[] {
  const params: Params = {
    from: Date.parse(`${query.from}T00:00:00.000Z`) / DAY_MS,
    sourceId: query.sourceId ?? null,
    integrationId: query.integrationId ?? null,
  };
  const outcomes = db
    .prepare<Params, { day: number; integration_id: string; source_id: string; outcome: string; count: number }>(
      `SELECT day, integration_id, source_id, outcome, count FROM delivery_outcome_days WHERE ${FILTER} AND count > 0`,
    )
    .all(params);
  const purchases = db
    .prepare<
      Params,
      { day: number; integration_id: string; source_id: string; currency: string; purchases: number; value_micros: number }
    >(`SELECT day, integration_id, source_id, currency, purchases, value_micros FROM purchase_value_days WHERE ${FILTER}`)
    .all(params);

  const rows = new Map<string, DailyOutcomes>();
  const rowOf = (day: number, integrationId: string, sourceId: string) => {
    const key = `${day} ${integrationId} ${sourceId}`;
    let row = rows.get(key);
    if (!row) {
      row = { day: dateOf(day), sourceId, integrationId, delivered: 0, skipped: 0, failed: 0, purchases: 0, revenue: {} };
      rows.set(key, row);
    }
    return row;
  };
  for (const { day, integration_id, source_id, outcome, count } of outcomes) {
    const row = rowOf(day, integration_id, source_id);
    if (outcome === 'delivered' || outcome === 'skipped' || outcome === 'failed') row[outcome] += count;
  }
  for (const { day, integration_id, source_id, currency, purchases: count, value_micros } of purchases) {
    const row = rowOf(day, integration_id, source_id);
    row.purchases += count;
    row.revenue[currency] = value_micros / 1e6;
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.day.localeCompare(b.day) || a.integrationId.localeCompare(b.integrationId) || a.sourceId.localeCompare(b.sourceId),
  );
}
