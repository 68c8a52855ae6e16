// @ts-check
// Trends: what deliveries came to day by day (delivered, skipped, failed for good) and what the
// delivered purchases were worth, per currency; for every integration and source, or one of each.
// Read from counts the store keeps as deliveries reach an outcome, so it is as quick on a million
// events as on ten.
import { api } from '../api.js';
import { barChart } from '../bar-chart.js';
import { field, fill, h, refresher, select } from '../dom.js';
import { revenueText } from './link-format.js';

const REFRESH_MS = 30_000;
const WINDOWS = [
  ['7', 'Last 7 days'],
  ['30', 'Last 30 days'],
  ['90', 'Last 90 days'],
];
/** @type {[key: 'delivered' | 'skipped' | 'failed', label: string][]} */
const SERIES = [
  ['delivered', 'Delivered'],
  ['skipped', 'Skipped'],
  ['failed', 'Failed'],
];
// Days are UTC days, as the store counts them: show them so, whatever the browser's time zone.
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const dayLabel = (/** @type {string} */ day) => dayFormat.format(new Date(`${day}T00:00:00Z`));
const longDay = (/** @type {string} */ day) => longDayFormat.format(new Date(`${day}T00:00:00Z`));

/** Draws #/trends (?source=, ?integration= and ?days= narrow it). */
export async function render(main, ctx) {
  const [{ sources }, { integrations }] = await Promise.all([
    api('GET', 'sources', undefined, { signal: ctx.signal }),
    api('GET', 'integrations', undefined, { signal: ctx.signal }),
  ]);
  if (ctx.signal.aborted) return;
  const state = {
    source: ctx.query.get('source') ?? '',
    integration: ctx.query.get('integration') ?? '',
    days: ctx.query.get('days') ?? '30',
  };
  const integrationOptions = () => [
    ['', 'All integrations'],
    ...integrations.filter((i) => !state.source || i.source_id === state.source).map((i) => [i.id, i.name]),
  ];
  const sourceSelect = select({ name: 'source' }, [['', 'All sources'], ...sources.map((s) => [s.id, s.name])], state.source);
  const integrationSelect = select({ name: 'integration' }, integrationOptions(), state.integration);
  const windowSelect = select({ name: 'days' }, WINDOWS, state.days);
  const updated = h('p', { class: 'muted small' });
  const content = h('div', { class: 'trends' });

  async function load() {
    const params = new URLSearchParams({ days: state.days });
    if (state.source) params.set('source_id', state.source);
    if (state.integration) params.set('integration_id', state.integration);
    const trends = await api('GET', `trends?${params}`, undefined, { signal: ctx.signal });
    if (ctx.signal.aborted) return;
    fill(content, summary(trends), chart(trends), dayTable(trends), integrationTable(trends), sourceTable(trends));
    updated.textContent = `Updated at ${new Date().toLocaleTimeString()}; refreshes every 30 seconds. Days are UTC days.`;
  }
  const refresh = refresher(load, updated, content);
  const change = () => {
    state.source = sourceSelect.value;
    if (!integrationOptions().some(([id]) => id === state.integration)) state.integration = '';
    integrationSelect.replaceChildren(...select({}, integrationOptions(), state.integration).children);
    integrationSelect.value = state.integration;
    state.integration = integrationSelect.value;
    state.days = windowSelect.value;
    ctx.replaceQuery(state);
    refresh();
  };
  sourceSelect.addEventListener('change', change);
  integrationSelect.addEventListener('change', change);
  windowSelect.addEventListener('change', change);

  fill(
    main,
    h('h1', {}, 'Trends'),
    h(
      'p',
      { class: 'lead' },
      'What your events came to, day by day: deliveries Snapchat accepted, events not sent on purpose (unmapped, no consent…), deliveries that failed for good, and the revenue of delivered purchases, per currency.',
    ),
    h(
      'div',
      { class: 'toolbar' },
      field('Source', sourceSelect),
      field('Integration', integrationSelect),
      field('Window', windowSelect),
      updated,
    ),
    content,
  );
  await load();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}

function stat(label, value, note, tone = '') {
  return h(
    'div',
    { class: `stat ${tone}` },
    h('dt', {}, label),
    h('dd', {}, h('span', { class: 'value' }, String(value)), note ? h('span', { class: 'note' }, note) : null),
  );
}

function summary(trends) {
  const { totals } = trends;
  const span = `${longDay(trends.from)} – ${longDay(trends.to)}`;
  return h(
    'dl',
    { class: 'stats', 'aria-label': `Totals, ${span}` },
    stat('Delivered', totals.delivered, `in ${trends.days} days`, 'delivered'),
    stat('Skipped', totals.skipped, 'not sent on purpose'),
    stat('Failed', totals.failed, 'failed for good', totals.failed ? 'failed' : ''),
    stat('Purchases', totals.purchases, 'delivered'),
    stat('Revenue', revenueText(totals.revenue), 'of delivered purchases', 'revenue'),
  );
}

/** Deliveries per day as stacked bars. */
function chart(trends) {
  const days = trends.per_day;
  return barChart({
    caption: `Deliveries per day, last ${trends.days} days`,
    description: 'Bar chart of delivered, skipped and failed deliveries per day.',
    series: SERIES,
    rows: days,
    axisLabel: (index) => dayLabel(days[index].day),
    rowLabel: (index) => longDay(days[index].day),
    rowHeading: 'Day',
    emptyText: 'No delivery reached an outcome in this window.',
  });
}

/** A table of outcome counts and revenue, one row per item. */
function outcomeTable(caption, heading, rows, labelOf) {
  return h(
    'table',
    { class: 'data compact outcomes' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, heading),
        ['Delivered', 'Skipped', 'Failed', 'Purchases', 'Revenue'].map((t) => h('th', { scope: 'col', class: 'num' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          // A quiet day (or pixel) is there for the record, but should not catch the eye.
          { class: row.delivered + row.skipped + row.failed === 0 ? 'quiet' : null },
          h('th', { scope: 'row' }, labelOf(row)),
          ['delivered', 'skipped', 'failed', 'purchases'].map((key) => h('td', { class: 'num' }, String(row[key]))),
          h('td', { class: 'num' }, revenueText(row.revenue)),
        ),
      ),
    ),
  );
}

/** Every day of the window, newest first. */
function dayTable(trends) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'per-day' },
    h('h2', { id: 'per-day' }, 'Per day'),
    outcomeTable('Outcomes and revenue per day (UTC), newest first', 'Day', [...trends.per_day].reverse(), (row) =>
      h('time', { datetime: row.day }, longDay(row.day)),
    ),
  );
}

function integrationTable(trends) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'per-integration' },
    h('h2', { id: 'per-integration' }, 'Per integration'),
    trends.integrations.length === 0
      ? h('p', { class: 'muted' }, 'No integration yet.')
      : outcomeTable(`Totals of the last ${trends.days} days per integration`, 'Integration', trends.integrations, (row) =>
          row.integration_name === '(deleted)'
            ? `${row.integration_id} (deleted)`
            : h('a', { href: `#/debugger?integration=${encodeURIComponent(row.integration_id)}` }, row.integration_name),
        ),
  );
}

function sourceTable(trends) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'per-source' },
    h('h2', { id: 'per-source' }, 'Per source'),
    trends.sources.length === 0
      ? h('p', { class: 'muted' }, 'No source yet.')
      : outcomeTable(`Totals of the last ${trends.days} days per source`, 'Source', trends.sources, (row) =>
          row.source_name === '(deleted)' ? `${row.source_id} (deleted)` : row.source_name,
        ),
  );
}
