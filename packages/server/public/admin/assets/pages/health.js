// @ts-check
// Delivery health: delivered, retried and failed tries per minute as a chart, the backlog, and the
// last error; refreshed every few seconds.
import { api } from '../api.js';
import { badge, clock, date, field, fill, h, relative, select, svg, timeEl } from '../dom.js';

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
  const { integrations } = await api('GET', 'integrations', undefined, { signal: ctx.signal });
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
    const health = await api('GET', `delivery-health?${params}`, undefined, { signal: ctx.signal });
    if (ctx.signal.aborted) return;
    fill(content, summary(health), chart(health), lastError(health.last_error));
    updated.textContent = `Updated at ${new Date().toLocaleTimeString()}; refreshes every 5 seconds.`;
  }
  const change = () => {
    state.integration = integrationSelect.value;
    state.minutes = windowSelect.value;
    ctx.replaceQuery(state);
    load().catch(() => {});
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
  const timer = setInterval(() => load().catch(() => {}), REFRESH_MS);
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
    stat('Parked', backlog.blocked, 'credentials refused', backlog.blocked ? 'failed' : ''),
    stat('Dead letters', backlog.dead, 'gave up; can be replayed', backlog.dead ? 'failed' : ''),
  );
}

/** Stacked bars per minute, drawn as SVG; the same numbers are in a table for screen readers. */
function chart(health) {
  const minutes = health.per_minute;
  const width = 720;
  const height = 200;
  const pad = { left: 36, right: 8, top: 10, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const busiest = Math.max(0, ...minutes.map((m) => m.delivered + m.retried + m.failed));
  const scale = niceMax(Math.max(1, busiest));
  const slot = innerW / minutes.length;
  const bar = Math.max(1, slot - (slot > 4 ? 2 : 0.5));
  const y = (value) => pad.top + innerH - (value / scale) * innerH;

  const bars = [];
  minutes.forEach((m, index) => {
    let base = 0;
    for (const [key] of SERIES) {
      const value = m[key];
      if (value === 0) continue;
      bars.push(
        svg(
          'rect',
          {
            class: key,
            x: (pad.left + index * slot).toFixed(1),
            y: y(base + value).toFixed(1),
            width: bar.toFixed(1),
            height: (y(base) - y(base + value)).toFixed(1),
          },
          svg('title', {}, `${clock(m.minute)}: ${value} ${key}`),
        ),
      );
      base += value;
    }
  });
  const ticks = [0, scale / 2, scale].map((value) => [
    svg('line', { class: 'grid', x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value) }),
    svg('text', { class: 'axis', x: pad.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, String(Math.round(value))),
  ]);
  const every = Math.max(1, Math.round(minutes.length / 6));
  const labels = minutes
    .map((m, index) =>
      index % every === 0
        ? svg(
            'text',
            { class: 'axis', x: pad.left + index * slot + slot / 2, y: height - 6, 'text-anchor': 'middle' },
            clock(m.minute).slice(0, 5),
          )
        : null,
    )
    .filter(Boolean);

  const busy = minutes.filter((m) => m.delivered + m.retried + m.failed > 0);
  return h(
    'figure',
    { class: 'chart card' },
    h('figcaption', {}, `Tries per minute, last ${health.window_minutes} minutes`),
    h(
      'ul',
      { class: 'legend' },
      SERIES.map(([key, label]) => h('li', { class: key }, label)),
    ),
    svg(
      'svg',
      {
        viewBox: `0 0 ${width} ${height}`,
        role: 'img',
        'aria-label': `Bar chart of delivered, retried and failed tries per minute. ${busy.length} of ${minutes.length} minutes had tries; the busiest had ${busiest}.`,
      },
      ticks,
      bars,
      labels,
    ),
    h(
      'details',
      {},
      h('summary', {}, 'Show the numbers'),
      busy.length === 0
        ? h('p', { class: 'muted' }, 'No tries in this window.')
        : h(
            'table',
            { class: 'data compact' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'Minute'),
                SERIES.map(([, label]) => h('th', { scope: 'col' }, label)),
              ),
            ),
            h(
              'tbody',
              {},
              busy.map((m) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, timeEl(m.minute)),
                  SERIES.map(([key]) => h('td', {}, String(m[key]))),
                ),
              ),
            ),
          ),
    ),
  );
}

// A round top for the y axis whose half is a whole number too (the middle grid line).
function niceMax(value) {
  const power = 10 ** Math.max(0, Math.floor(Math.log10(value)));
  for (const step of [2, 4, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
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
