// @ts-check
// How the pages write amounts (smart links, trends): revenue per currency ("12.50 USD · 3.00 EUR").

/** Revenue by currency in one line, or an en dash when there is none. */
export function revenueText(/** @type {Record<string, number>} */ revenue) {
  const parts = Object.entries(revenue ?? {}).map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`);
  return parts.length ? parts.join(' · ') : '–';
}
