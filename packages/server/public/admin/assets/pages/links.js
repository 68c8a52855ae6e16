// @ts-check
// Smart links: every link with its lifetime totals, its URL ready to copy, and a way in to its
// stats, clicks and settings.
import { api } from '../api.js';
import { copyButton, date, fill, h } from '../dom.js';
import { revenueText } from './link-format.js';

/** Draws the list of smart links. */
export async function render(main, ctx) {
  const [{ links }, { sources }] = await Promise.all([
    api('GET', 'links', undefined, { signal: ctx.signal }),
    api('GET', 'sources', undefined, { signal: ctx.signal }),
  ]);
  if (ctx.signal.aborted) return;
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  fill(
    main,
    h('h1', {}, 'Smart links'),
    h(
      'p',
      { class: 'lead' },
      'A smart link counts each click, sends the offer its click id, and reports the conversions the offer’s postbacks tell about to Snapchat.',
    ),
    h('div', { class: 'toolbar' }, h('a', { class: 'button primary', href: '#/links/new' }, 'New smart link')),
    links.length === 0
      ? h(
          'p',
          { class: 'empty' },
          'No smart links yet. ',
          h('a', { href: '#/links/new' }, 'Create one'),
          ' to share in your ads.',
        )
      : h(
          'table',
          { class: 'data' },
          h('caption', { class: 'visually-hidden' }, 'Smart links'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Name', 'Source', 'Link URL', 'Clicks', 'Subscribers', 'Purchases', 'Revenue', 'Created'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            links.map((link) =>
              h(
                'tr',
                { dataset: { linkId: link.id }, class: link.archived ? 'muted' : undefined },
                h(
                  'th',
                  { scope: 'row' },
                  h('a', { href: `#/links/${encodeURIComponent(link.id)}` }, link.name),
                  link.archived ? ' (archived)' : null,
                ),
                h('td', {}, sourceName.get(link.source_id) ?? link.source_id),
                h(
                  'td',
                  {},
                  h('code', { class: 'break' }, link.url),
                  ' ',
                  copyButton(() => link.url, undefined, 'Copy'),
                ),
                h('td', { class: 'num' }, String(link.totals.clicks)),
                h('td', { class: 'num' }, String(link.totals.subscribers)),
                h('td', { class: 'num' }, String(link.totals.purchases)),
                h('td', {}, revenueText(link.totals.revenue)),
                h('td', {}, date(link.created_at)),
              ),
            ),
          ),
        ),
  );
}
