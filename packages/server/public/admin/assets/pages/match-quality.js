// @ts-check
// Match quality: per integration, the share of events that carried each identifier over the last
// hour and day; and for the latest events, which identifiers each one had.
import { api } from '../api.js';
import { field, fill, h, percent, refresher, select, timeEl } from '../dom.js';
import { loadVocabulary } from '../vocabulary.js';
import { identifierLabel, presence } from './identifiers.js';

const REFRESH_MS = 30_000;

/** Draws the match-quality page (?source= narrows it to one source). */
export async function render(main, ctx) {
  const sourceId = ctx.query.get('source') ?? '';
  const { sources } = await api('GET', 'sources', undefined, { signal: ctx.signal });
  if (ctx.signal.aborted) return;
  const filter = select({ name: 'source' }, [['', 'All sources'], ...sources.map((s) => [s.id, s.name])], sourceId);
  filter.addEventListener('change', () =>
    ctx.navigate(`#/match-quality${filter.value ? `?source=${encodeURIComponent(filter.value)}` : ''}`),
  );
  const updated = h('p', { class: 'muted small', role: 'status' });
  const content = h('div', {});

  async function load() {
    const query = sourceId ? `?source_id=${encodeURIComponent(sourceId)}` : '';
    const [quality, , { events }] = await Promise.all([
      api('GET', `match-quality${query}`, undefined, { signal: ctx.signal }),
      loadVocabulary(),
      api('GET', `events${query ? `${query}&` : '?'}limit=25`, undefined, { signal: ctx.signal }),
    ]);
    if (ctx.signal.aborted) return;
    const sourceName = new Map(sources.map((s) => [s.id, s.name]));
    fill(
      content,
      quality.integrations.length === 0
        ? h('p', { class: 'empty' }, 'No integrations yet: ', h('a', { href: '#/integrations/new' }, 'add one'), '.')
        : h(
            'div',
            { class: 'cards' },
            quality.integrations.map((entry) => integrationCard(entry, quality.identifiers, sourceName)),
          ),
      recentEvents(
        events.filter((e) => e.message.type !== 'identify'),
        quality.identifiers,
      ),
    );
    updated.textContent = `Counted at ${new Date(quality.counted_at).toLocaleTimeString()}; refreshes every 30 seconds.`;
  }
  const refresh = refresher(load, updated, content);

  fill(
    main,
    h('h1', {}, 'Match quality'),
    h(
      'p',
      { class: 'lead' },
      'Snapchat attributes a conversion when it can match the event to a person. The more identifiers events carry, the more it matches: a click id or _scid ties an event to an ad, email and phone (hashed before sending) and IP + user agent to a Snapchatter.',
    ),
    h('div', { class: 'toolbar' }, field('Source', filter), updated),
    content,
  );
  await load();
  const timer = setInterval(refresh, REFRESH_MS);
  return () => clearInterval(timer);
}

function meter(counts, id) {
  const share = counts.share[id];
  return h(
    'td',
    { class: 'share' },
    h('meter', { min: 0, max: 1, value: share ?? 0, low: 0.3, high: 0.7, optimum: 1, 'aria-hidden': 'true' }),
    h('span', {}, percent(share)),
    h('span', { class: 'muted small' }, ` ${counts.carrying[id]} of ${counts.events}`),
  );
}

function integrationCard(entry, identifiers, sourceName) {
  const headingId = `mq-${entry.integration_id}`;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': headingId, dataset: { integrationId: entry.integration_id } },
    h(
      'h2',
      { id: headingId },
      entry.integration_name,
      ' ',
      h('span', { class: 'muted small' }, sourceName.get(entry.source_id) ?? ''),
    ),
    h(
      'p',
      { class: 'muted small' },
      `${entry.last_hour.events} events in the last hour, ${entry.last_day.events} in the last 24 hours.`,
    ),
    entry.last_day.events === 0
      ? h('p', { class: 'empty' }, 'No events in the last 24 hours.')
      : h(
          'table',
          { class: 'data compact' },
          h('caption', { class: 'visually-hidden' }, `Share of ${entry.integration_name}'s events carrying each identifier`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Identifier'),
              h('th', { scope: 'col' }, 'Last hour'),
              h('th', { scope: 'col' }, 'Last 24 hours'),
            ),
          ),
          h(
            'tbody',
            {},
            identifiers.map((id) =>
              h(
                'tr',
                { dataset: { identifier: id } },
                h('th', { scope: 'row' }, identifierLabel(id).long),
                meter(entry.last_hour, id),
                meter(entry.last_day, id),
              ),
            ),
          ),
        ),
  );
}

function recentEvents(events, identifiers) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'recent-title' },
    h('h2', { id: 'recent-title' }, 'Latest events'),
    events.length === 0
      ? h('p', { class: 'empty' }, 'No events yet.')
      : h(
          'table',
          { class: 'data compact matrix' },
          h('caption', { class: 'visually-hidden' }, 'Which identifiers each of the latest events carried'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Time'),
              h('th', { scope: 'col' }, 'Event'),
              identifiers.map((id) => h('th', { scope: 'col' }, identifierLabel(id).short)),
            ),
          ),
          h(
            'tbody',
            {},
            events.map((event) =>
              h(
                'tr',
                { dataset: { eventId: String(event.id) } },
                h('td', {}, timeEl(event.received_at)),
                h(
                  'th',
                  { scope: 'row' },
                  h(
                    'a',
                    { href: `#/debugger?name=${encodeURIComponent(event.message.event ?? event.message.name ?? '')}` },
                    event.name,
                  ),
                ),
                identifiers.map((id) => h('td', { class: 'mark' }, presence(event.identifiers[id]))),
              ),
            ),
          ),
        ),
  );
}
