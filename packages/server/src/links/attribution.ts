import type { ClickSummary, Conversion, LinkClick, LinkCounts, LinkStats, Revenue } from '@datafirst/store';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether a conversion at `at` falls within `windowDays` of its click, and how long after it came. */
export function conversionWindow(clickAt: string, at: Date, windowDays: number): { within: boolean; reason?: string } {
  const elapsed = at.getTime() - Date.parse(clickAt);
  if (elapsed <= windowDays * DAY_MS) return { within: true };
  const days = Math.floor(elapsed / DAY_MS);
  return {
    within: false,
    reason: `outside_conversion_window: ${days} days after the click; the link attributes conversions for ${windowDays} days`,
  };
}

// Values that came without a currency are stored under "", which reads badly in JSON.
function revenueJson(revenue: Revenue): Record<string, number> {
  return Object.fromEntries(
    Object.entries(revenue).map(([currency, amount]) => [currency === '' ? 'unknown' : currency, amount]),
  );
}

function countsJson(counts: LinkCounts) {
  return {
    clicks: counts.clicks,
    subscribers: counts.subscribers,
    purchases: counts.purchases,
    renewals: counts.renewals,
    messages: counts.messages,
    revenue: revenueJson(counts.revenue),
    revenue_outside_window: revenueJson(counts.revenueOutsideWindow),
  };
}

/** A link's stats as the admin API answers them. */
export function statsJson(linkId: string, stats: LinkStats, range: { from?: string; to?: string }) {
  return {
    link_id: linkId,
    from: range.from ?? null,
    to: range.to ?? null,
    totals: countsJson(stats.totals),
    days: stats.days.map((day) => ({ date: day.date, ...countsJson(day) })),
  };
}

/** A click's lifetime totals from its conversions: all of them count, in the window or not. */
export function summarizeClick(click: LinkClick, conversions: readonly Conversion[]): ClickSummary {
  const summary: ClickSummary = { ...click, subscribed: false, purchases: 0, messages: 0, revenue: {} };
  for (const conversion of conversions) {
    if (conversion.kind === 'subscribe') summary.subscribed = true;
    if (conversion.kind === 'purchase') summary.purchases++;
    if (conversion.kind === 'message') summary.messages++;
    if (conversion.value !== null) {
      const currency = conversion.currency ?? '';
      summary.revenue[currency] = Math.round(((summary.revenue[currency] ?? 0) + conversion.value) * 1e6) / 1e6;
    }
  }
  return summary;
}

/** A click with its lifetime revenue, as the admin API answers it. */
export function clickJson(click: ClickSummary) {
  return {
    id: click.id,
    link_id: click.linkId,
    sc_click_id: click.adClickId,
    ip: click.ip,
    user_agent: click.userAgent,
    referrer: click.referrer,
    query: click.query,
    url: click.url,
    destination: click.destination,
    created_at: click.createdAt,
    subscribed: click.subscribed,
    purchases: click.purchases,
    messages: click.messages,
    revenue: revenueJson(click.revenue),
  };
}

/** A conversion as the admin API answers it. */
export function conversionJson(conversion: Conversion) {
  return {
    id: conversion.id,
    click_id: conversion.clickId,
    link_id: conversion.linkId,
    txid: conversion.txid,
    event: conversion.kind,
    value: conversion.value,
    currency: conversion.currency,
    within_window: conversion.withinWindow,
    received_at: conversion.receivedAt,
  };
}
