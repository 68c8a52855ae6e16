// @ts-check
// What the smart-link and trends pages share: the link events and how amounts are written
// (revenue per currency, "12.50 USD · 3.00 EUR").

// The link events in the order a fan meets them, with what each means.
/** @type {[key: string, label: string][]} */
export const LINK_EVENTS = [
  ['click', 'Click on the link'],
  ['new_subscriber', 'New subscriber'],
  ['first_purchase', 'First purchase'],
  ['repeat_purchase', 'Repeat purchase'],
  ['message_received', 'Message received'],
  ['fan_sent_3_messages', 'Fan sent 3 messages'],
];

/** Revenue by currency in one line, or an en dash when there is none. */
export function revenueText(/** @type {Record<string, number>} */ revenue) {
  const parts = Object.entries(revenue ?? {}).map(([currency, amount]) => `${amount.toFixed(2)} ${currency}`);
  return parts.length ? parts.join(' · ') : '–';
}
