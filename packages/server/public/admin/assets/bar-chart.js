// @ts-check
// A stacked bar chart drawn as SVG, with the same numbers in a table for screen readers. Used by
// delivery health (tries per minute) and smart links (clicks and conversions per day).
import { h, svg } from './dom.js';

/**
 * @typedef {object} BarChartSpec
 * @property {string} caption the figure's caption
 * @property {string} description what the chart shows, for its aria-label
 * @property {[key: string, label: string][]} series stacked bottom to top; each key is also a CSS class
 * @property {Record<string, any>[]} rows one bar each, with a number per series key
 * @property {(index: number) => string} axisLabel a bar's short label under the x axis
 * @property {(index: number) => Node | string} rowLabel a bar's label in the table
 * @property {string} rowHeading the table's first column heading
 * @property {string} emptyText what the table says when every bar is empty
 */

/** Draws a stacked bar chart figure from a spec. */
export function barChart(/** @type {BarChartSpec} */ spec) {
  const { rows, series } = spec;
  const width = 720;
  const height = 200;
  const pad = { left: 36, right: 8, top: 10, bottom: 24 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totalOf = (/** @type {Record<string, any>} */ row) => series.reduce((sum, [key]) => sum + (row[key] ?? 0), 0);
  const busiest = Math.max(0, ...rows.map(totalOf));
  const scale = niceMax(Math.max(1, busiest));
  const slot = innerW / Math.max(1, rows.length);
  const bar = Math.max(1, slot - (slot > 4 ? 2 : 0.5));
  const y = (/** @type {number} */ value) => pad.top + innerH - (value / scale) * innerH;

  const bars = [];
  rows.forEach((row, index) => {
    let base = 0;
    for (const [key, label] of series) {
      const value = row[key] ?? 0;
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
          svg('title', {}, `${spec.axisLabel(index)}: ${value} ${label.toLowerCase()}`),
        ),
      );
      base += value;
    }
  });
  const ticks = [0, scale / 2, scale].map((value) => [
    svg('line', { class: 'grid', x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value) }),
    svg('text', { class: 'axis', x: pad.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, String(Math.round(value))),
  ]);
  const every = Math.max(1, Math.round(rows.length / 6));
  const labels = rows
    .map((_, index) =>
      index % every === 0
        ? svg(
            'text',
            { class: 'axis', x: pad.left + index * slot + slot / 2, y: height - 6, 'text-anchor': 'middle' },
            spec.axisLabel(index),
          )
        : null,
    )
    .filter(Boolean);

  const busy = rows.map((row, index) => ({ row, index })).filter(({ row }) => totalOf(row) > 0);
  return h(
    'figure',
    { class: 'chart card' },
    h('figcaption', {}, spec.caption),
    h(
      'ul',
      { class: 'legend' },
      series.map(([key, label]) => h('li', { class: key }, label)),
    ),
    svg(
      'svg',
      {
        viewBox: `0 0 ${width} ${height}`,
        role: 'img',
        'aria-label': `${spec.description} ${busy.length} of ${rows.length} bars have values; the highest is ${busiest}.`,
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
        ? h('p', { class: 'muted' }, spec.emptyText)
        : h(
            'table',
            { class: 'data compact' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, spec.rowHeading),
                series.map(([, label]) => h('th', { scope: 'col' }, label)),
              ),
            ),
            h(
              'tbody',
              {},
              busy.map(({ row, index }) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, spec.rowLabel(index)),
                  series.map(([key]) => h('td', {}, String(row[key] ?? 0))),
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
