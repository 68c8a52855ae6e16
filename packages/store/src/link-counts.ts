import { isTrue, type BooleanColumn } from './columns.js';
import type { ClickSummary, DateRange, LinkClick, LinkCounts, LinkStats, Revenue } from './links.js';

const DAY_MS = 24 * 60 * 60 * 1000;

// Sums of amounts carry binary noise (0.1 + 0.2); no currency has more than 4 decimals.
const roundMoney = (amount: number) => Math.round(amount * 1e6) / 1e6;

/** Adds an amount to the revenue of its currency. */
export function addMoney(revenue: Revenue, currency: string, amount: number): void {
  revenue[currency] = roundMoney((revenue[currency] ?? 0) + amount);
}

/** A link's counts before anything happened. */
export function emptyCounts(): LinkCounts {
  return { clicks: 0, subscribers: 0, purchases: 0, renewals: 0, messages: 0, revenue: {}, revenueOutsideWindow: {} };
}

/** A date range as epoch ms, both ends inclusive; open ends reach as far as can be. */
export function rangeMs(range: DateRange | undefined): { from: number; to: number } {
  const from = range?.from ? Date.parse(`${range.from}T00:00:00.000Z`) : 0;
  const to = range?.to ? Date.parse(`${range.to}T00:00:00.000Z`) + DAY_MS - 1 : Number.MAX_SAFE_INTEGER;
  return { from, to };
}

/** A click's conversions of one kind and currency, for its lifetime totals. */
export interface ClickTotalRow {
  click_id: string;
  kind: string;
  currency: string | null;
  n: number;
  total: number | null;
}

/** Clicks with their lifetime totals, from their conversions grouped by click, kind and currency. */
export function summariseClicks(clicks: readonly LinkClick[], totals: readonly ClickTotalRow[]): ClickSummary[] {
  const summaries = new Map(
    clicks.map((click): [string, ClickSummary] => [
      click.id,
      { ...click, subscribed: false, purchases: 0, messages: 0, revenue: {} },
    ]),
  );
  for (const row of totals) {
    const summary = summaries.get(row.click_id)!;
    if (row.kind === 'subscribe') summary.subscribed = true;
    if (row.kind === 'purchase') summary.purchases += row.n;
    if (row.kind === 'message') summary.messages += row.n;
    if (row.total !== null) addMoney(summary.revenue, row.currency ?? '', row.total);
  }
  return [...summaries.values()];
}

/** Conversions of one day, kind, window and currency, with how many of them were a click's first subscription. */
export interface ConversionDayRow {
  day: string;
  kind: string;
  within_window: BooleanColumn;
  currency: string | null;
  n: number;
  total: number | null;
  new_subscribers: number;
}

/** Adds a day's conversions to its counts and the totals. */
export function addConversions(counts: readonly LinkCounts[], row: ConversionDayRow): void {
  for (const target of counts) {
    // A subscriber is a click's first subscription; a re-subscription adds revenue, not a subscriber.
    target.subscribers += row.new_subscribers;
    if (row.kind === 'purchase') target.purchases += row.n;
    if (row.kind === 'renewal') target.renewals += row.n;
    if (row.kind === 'message') target.messages += row.n;
    if (row.total !== null) {
      const currency = row.currency ?? '';
      addMoney(target.revenue, currency, row.total);
      if (!isTrue(row.within_window)) addMoney(target.revenueOutsideWindow, currency, row.total);
    }
  }
}

/** A link's clicks on one day (UTC, `YYYY-MM-DD`). */
export interface ClickDayRow {
  day: string;
  n: number;
}

/** A link's stats, its totals and each day's counts in date order, from its clicks and conversions per day. */
export function assembleLinkStats(clicks: readonly ClickDayRow[], conversions: readonly ConversionDayRow[]): LinkStats {
  const totals = emptyCounts();
  const days = new Map<string, LinkCounts>();
  const day = (date: string) => {
    let counts = days.get(date);
    if (!counts) days.set(date, (counts = emptyCounts()));
    return counts;
  };
  for (const row of clicks) {
    day(row.day).clicks += row.n;
    totals.clicks += row.n;
  }
  for (const row of conversions) addConversions([day(row.day), totals], row);
  return {
    totals,
    days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, counts]) => ({ date, ...counts })),
  };
}
