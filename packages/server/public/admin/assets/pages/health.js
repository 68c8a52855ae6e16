// @ts-check
// Delivery health: delivered, retried and failed tries per minute as a chart, the backlog, and the
// last error; refreshed every few seconds.
import { api } from '../api.js';
import { barChart } from '../bar-chart.js';
import { badge, clock, date, field, fill, h, refresher, relative, select, timeEl } from '../dom.js';
import { labels, loadVocabulary } from '../vocabulary.js';

const REFRESH_MS = 5_000;
const WINDOWS = [
  ['15', 'Last 15 minutes'],
  ['60', 'Last hour'],
  ['180', 'Last 3 hours'],
];
/** @type {[key: 'delivered' | 'retried' | 'failed', label: string][]} */
const SERIES = [
  ['delivered', 'Delivered'],
  ['retried', 'Retried'],
  ['failed', 'Failed'],
];

/** Draws the health page (?integration= and ?minutes= narrow it). */
export async function render(main, ctx) {
  const [{ integrations }] = await Promise.all([api('GET', 'integrations', undefined, { signal: ctx.signal }), loadVocabulary()]);
  if (ctx.signal.aborted) return;
  const state = { integration: ctx.query.get('integration') ?? '', minutes: ctx.query.get('minutes') ?? '60' };
  const integrationSelect = select(
    { name: 'integration' },
    [['', 'All integrations'], ...integrations.map((i) => [i.id, i.name])],
    state.integration,
  );
  const windowSelect = select({ name: 'minutes' }, WINDOWS, state.minutes);
  const updated = h('p', { class: 'muted small' });
  const content = h('div', { class: 'health' });

  async function load() {
    const params = new URLSearchParams({ minutes: state.minutes });
    if (state.integration) params.set('integration_id', state.integration);
    const parkedParams = new URLSearchParams({ status: 'blocked', limit: '500' });
    if (state.integration) parkedParams.set('integration_id', state.integration);
    const [health, { events: parkedEvents }] = await Promise.all([
      api('GET', `delivery-health?${params}`, undefined, { signal: ctx.signal }),
      api('GET', `events?${parkedParams}`, undefined, { signal: ctx.signal }),
    ]);
    if (ctx.signal.aborted) return;
    fill(content, summary(health), chart(health), parked(health.backlog.blocked, parkedEvents), lastError(health.last_error));
    updated.textContent = `Updated at ${new Date().toLocaleTimeString()}; refreshes every 5 seconds.`;
  }
  const refresh = refresher(load, updated, content);
  const change = () => {
    state.integration = integrationSelect.value;
    state.minutes = windowSelect.value;
    ctx.replaceQuery(state);
    refresh();
  };
  integrationSelect.addEventListener('change', change);
  windowSelect.addEventListener('change', change);

  fill(
    main,
    h('h1', {}, 'Delivery health'),
    h(
      'p',
      { class: 'lead' },
      'What the delivery worker did, minute by minute: tries Snapchat accepted, tries that failed and are retried, and tries that failed for good.',
    ),
    h('div', { class: 'toolbar' }, field('Integration', integrationSelect), field('Window', windowSelect), updated),
    content,
  );
  await load();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}

function stat(label, value, note, tone) {
  return h(
    'div',
    { class: `stat ${tone ?? ''}` },
    h('dt', {}, label),
    h('dd', {}, h('span', { class: 'value' }, String(value)), note ? h('span', { class: 'note' }, note) : null),
  );
}

function summary(health) {
  const { totals, backlog } = health;
  return h(
    'dl',
    { class: 'stats' },
    stat('Delivered', totals.delivered, `in ${health.window_minutes} min`, 'delivered'),
    stat('Retried', totals.retried, `in ${health.window_minutes} min`, totals.retried ? 'pending' : ''),
    stat('Failed', totals.failed, `in ${health.window_minutes} min`, totals.failed ? 'failed' : ''),
    stat('Backlog', backlog.pending, `${backlog.due} due now`, backlog.due > 100 ? 'pending' : ''),
    stat(
      'Oldest waiting',
      backlog.oldest_pending_at ? relative(backlog.oldest_pending_at).replace(/ ago$/, '') : '–',
      backlog.oldest_pending_at ? `since ${clock(backlog.oldest_pending_at)}` : 'nothing waiting',
    ),
    stat('Dead letters', backlog.dead, 'failed for good; can be sent again', backlog.dead ? 'failed' : ''),
    stat('Parked', backlog.blocked, 'waiting for a fix, see below', backlog.blocked ? 'pending' : ''),
  );
}

/** Tries per minute as stacked bars. */
function chart(health) {
  const minutes = health.per_minute;
  return barChart({
    caption: `Tries per minute, last ${health.window_minutes} minutes`,
    description: 'Bar chart of delivered, retried and failed tries per minute.',
    series: SERIES,
    rows: minutes,
    axisLabel: (index) => clock(minutes[index].minute).slice(0, 5),
    rowLabel: (index) => timeEl(minutes[index].minute),
    rowHeading: 'Minute',
    emptyText: 'No tries in this window.',
  });
}

/**
 * Parked deliveries, apart from failures: they wait for a setting to be fixed and are sent again
 * by themselves once it is. Grouped by integration and reason, each with what fixes it.
 */
function parked(count, events) {
  const groups = new Map();
  for (const event of events) {
    for (const delivery of event.deliveries) {
      if (delivery.status !== 'blocked') continue;
      const key = `${delivery.integration_id} ${delivery.reason_code ?? ''}`;
      const group = groups.get(key) ?? { delivery, count: 0 };
      group.count += 1;
      groups.set(key, group);
    }
  }
  return h(
    'section',
    { class: `card parked ${count ? '' : 'ok'}`, 'aria-labelledby': 'parked' },
    h('h2', { id: 'parked' }, `Parked deliveries (${count})`),
    count === 0
      ? h('p', {}, 'Nothing is parked: no integration is waiting for a fix.')
      : [
          h('p', {}, 'These are not failures: they wait for a setting to be fixed, then are sent again by themselves.'),
          h(
            'table',
            { class: 'data compact' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Integration', 'Parked', 'Why', 'What fixes it'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              [...groups.values()].map(({ delivery, count: parkedCount }) =>
                h(
                  'tr',
                  {},
                  h(
                    'th',
                    { scope: 'row' },
                    h('a', { href: `#/integrations/${encodeURIComponent(delivery.integration_id)}` }, delivery.integration_name),
                  ),
                  h('td', { class: 'num' }, String(parkedCount)),
                  h('td', {}, labels.reasons[delivery.reason_code] ?? delivery.reason ?? '–'),
                  h(
                    'td',
                    { class: 'fix' },
                    labels.fixes[delivery.reason_code] ?? 'Check the integration’s settings, then resume it.',
                  ),
                ),
              ),
            ),
          ),
        ],
  );
}

function lastError(error) {
  if (!error)
    return h(
      'section',
      { class: 'card last-error ok', 'aria-labelledby': 'last-error' },
      h('h2', { id: 'last-error' }, 'Last error'),
      h('p', {}, 'No errors in the last 24 hours.'),
    );
  return h(
    'section',
    { class: 'card last-error', 'aria-labelledby': 'last-error' },
    h('h2', { id: 'last-error' }, 'Last error'),
    h(
      'dl',
      { class: 'pairs' },
      h('dt', {}, 'When'),
      h('dd', {}, `${date(error.at)} (${relative(error.at)})`),
      h('dt', {}, 'Integration'),
      h('dd', {}, error.integration_name),
      h('dt', {}, 'Outcome'),
      h('dd', {}, badge(error.status === 'pending' ? 'retrying' : error.status, error.status)),
      h('dt', {}, 'HTTP status'),
      h('dd', {}, error.http_status === null ? 'no answer' : String(error.http_status)),
      h('dt', {}, 'Reason'),
      h('dd', {}, error.reason ?? '–'),
    ),
    h(
      'p',
      {},
      h(
        'a',
        { href: `#/debugger?integration=${encodeURIComponent(error.integration_id)}` },
        'See its events in the live debugger',
      ),
    ),
  );
}
