import type { DailyOutcomes, DailyOutcomesQuery } from './admin.js';

const DAY_MS = 86_400_000;

/** A row of the per-day outcome counts: day number (UTC days since 1970-01-01), integration, source, outcome. */
export interface OutcomeDayRow {
  day: number;
  integration_id: string;
  source_id: string;
  outcome: string;
  count: number;
}

/** A row of the per-day delivered purchases, their value in millionths of the currency unit. */
export interface PurchaseDayRow {
  day: number;
  integration_id: string;
  source_id: string;
  currency: string;
  purchases: number;
  value_micros: number;
}

/** The day number (UTC days since 1970-01-01) a query's `from` date starts. */
export const firstDayOf = (query: DailyOutcomesQuery): number => Date.parse(`${query.from}T00:00:00.000Z`) / DAY_MS;

/** `YYYY-MM-DD` of a day number. */
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The daily outcomes the per-day counts and sums come to: one row per day, integration and source, in that order. */
export function assembleDailyOutcomes(outcomes: readonly OutcomeDayRow[], purchases: readonly PurchaseDayRow[]): DailyOutcomes[] {
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
    if (count <= 0) continue;
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
