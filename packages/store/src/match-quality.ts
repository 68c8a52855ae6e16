import type { IdentifierCounts, IntegrationMatchQuality, MatchQualityQuery } from './admin.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The start of the minute `ms` falls in, as match quality buckets deliveries. */
const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/** The first minutes of a query's last hour and last day: match quality counts whole minutes. */
export function matchQualityWindows(query: MatchQualityQuery): { hour: number; day: number } {
  return { hour: minuteOf(query.now - HOUR_MS), day: minuteOf(query.now - DAY_MS) };
}

/** One identifier's counts for one integration over the day and the hour; identifier '' counts every delivery. */
export interface MatchQualityRow {
  integration_id: string;
  integration_name: string;
  identifier: string;
  day: number;
  hour: number;
}

/** Match quality per integration from the per-identifier sums, integrations in the rows' order. */
export function assembleMatchQuality(rows: readonly MatchQualityRow[]): IntegrationMatchQuality[] {
  const totals = rows.filter((row) => row.identifier === '' && row.day > 0);
  const windows = new Map(
    totals.map((row): [string, { lastHour: IdentifierCounts; lastDay: IdentifierCounts }] => [
      row.integration_id,
      { lastHour: { events: row.hour, carrying: {} }, lastDay: { events: row.day, carrying: {} } },
    ]),
  );
  for (const row of rows) {
    const counts = windows.get(row.integration_id);
    if (row.identifier === '' || !counts || row.day === 0) continue;
    counts.lastHour.carrying[row.identifier] = row.hour;
    counts.lastDay.carrying[row.identifier] = row.day;
  }
  return totals.map((row) => ({
    integrationId: row.integration_id,
    integrationName: row.integration_name,
    ...windows.get(row.integration_id)!,
  }));
}
