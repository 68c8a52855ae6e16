import type { DailyOutcomes, Revenue } from '@datafirst/store';

const DAY_MS = 86_400_000;

/** What a day, an integration or a source came to. */
export interface OutcomeTotals {
  delivered: number;
  skipped: number;
  failed: number;
  purchases: number;
  /** Per currency; amounts in two currencies are never added together. */
  revenue: Revenue;
}

/** Nothing yet: zero counts, no revenue. */
export const noOutcomes = (): OutcomeTotals => ({ delivered: 0, skipped: 0, failed: 0, purchases: 0, revenue: {} });

/** Adds one day's outcomes to totals; money to the millionth, so that 0.1 + 0.2 is 0.3. */
function add(totals: OutcomeTotals, outcomes: DailyOutcomes): void {
  totals.delivered += outcomes.delivered;
  totals.skipped += outcomes.skipped;
  totals.failed += outcomes.failed;
  totals.purchases += outcomes.purchases;
  for (const [currency, amount] of Object.entries(outcomes.revenue)) {
    totals.revenue[currency] = Math.round(((totals.revenue[currency] ?? 0) + amount) * 1e6) / 1e6;
  }
}

/** The `days` UTC dates (`YYYY-MM-DD`) that end with today's. */
export function trendDays(days: number, now: number): string[] {
  const today = Math.floor(now / DAY_MS);
  return Array.from({ length: days }, (_, index) => new Date((today - days + 1 + index) * DAY_MS).toISOString().slice(0, 10));
}

/**
 * Trends from the store's daily outcomes: every day of the window (quiet ones as zeros, so a
 * chart's x axis is time), the window's totals, and the totals per integration and per source.
 */
export function trendsOf(rows: readonly DailyOutcomes[], days: readonly string[]) {
  const perDay = new Map(days.map((day) => [day, noOutcomes()]));
  const total = noOutcomes();
  const byIntegration = new Map<string, OutcomeTotals & { sourceId: string }>();
  const bySource = new Map<string, OutcomeTotals>();
  for (const row of rows) {
    const day = perDay.get(row.day);
    if (!day) continue; // outside the window
    add(day, row);
    add(total, row);
    const integration = byIntegration.get(row.integrationId) ?? { ...noOutcomes(), sourceId: row.sourceId };
    add(integration, row);
    byIntegration.set(row.integrationId, integration);
    const source = bySource.get(row.sourceId) ?? noOutcomes();
    add(source, row);
    bySource.set(row.sourceId, source);
  }
  return {
    perDay: [...perDay].map(([day, totals]) => ({ day, ...totals })),
    total,
    byIntegration,
    bySource,
  };
}
