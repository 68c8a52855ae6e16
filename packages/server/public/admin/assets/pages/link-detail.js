// @ts-check
// One smart link: its URL and the postback URL to give the offer network, ready to copy; clicks
// and conversions per day as a chart; its latest clicks with each click's conversions; and a test
// event to check the pixels hear about it.
import { api, errorMessage, errorMessages } from '../api.js';
import { barChart } from '../bar-chart.js';
import { badge, copyButton, date, errorList, field, fill, h, jsonBlock, openDialog, select, timeEl, toast } from '../dom.js';
import { LINK_EVENTS, revenueText } from './link-format.js';

/** @type {[key: string, label: string][]} */
const SERIES = [
  ['clicks', 'Clicks'],
  ['subscribers', 'Subscribers'],
  ['purchases', 'Purchases'],
];
const DAYS_SHOWN = 30;

/** Draws #/links/:id. */
export async function render(main, ctx) {
  const id = encodeURIComponent(ctx.params[0]);
  const from = new Date(Date.now() - (DAYS_SHOWN - 1) * 86_400_000).toISOString().slice(0, 10);
  const [link, stats, { clicks }, { integrations }] = await Promise.all([
    api('GET', `links/${id}`, undefined, { signal: ctx.signal }),
    api('GET', `links/${id}/stats?from=${from}`, undefined, { signal: ctx.signal }),
    api('GET', `links/${id}/clicks?limit=50`, undefined, { signal: ctx.signal }),
    api('GET', 'integrations', undefined, { signal: ctx.signal }),
  ]);
  if (ctx.signal.aborted) return;
  const pixelNames = link.integrations.map((i) => integrations.find((x) => x.id === i)?.name ?? i);

  fill(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/links' }, 'Smart links')),
    h('h1', {}, link.name, link.archived ? ' (archived)' : ''),
    h(
      'p',
      { class: 'lead' },
      `Sends fans to `,
      h('code', { class: 'break' }, link.destination_url),
      `; tells ${pixelNames.length ? pixelNames.join(', ') : 'no pixel of its own'}${link.include_source_integrations ? ' and the source’s enabled pixels' : ''}.`,
    ),
    h(
      'div',
      { class: 'toolbar' },
      h('a', { class: 'button secondary', href: `#/links/${id}/edit` }, 'Edit settings'),
      h('a', { class: 'button secondary', href: `#/debugger?source=${encodeURIComponent(link.source_id)}` }, 'See its events'),
    ),
    urls(link),
    totals(stats.totals),
    chart(stats.days, from),
    clickList(link, clicks),
    testEvent(link),
  );
}

/** A read-only URL with its copy button. */
function copyable(label, value, hint) {
  const input = h('input', { value, readOnly: true, class: 'mono', name: label.toLowerCase().replace(/\W+/g, '-') });
  const node = field(label, input, hint);
  node.append(copyButton(() => input.value, input));
  return node;
}

function urls(link) {
  const postback = h('div', { class: 'postback' });
  const showKey = async () => {
    try {
      const key = await api('GET', `sources/${encodeURIComponent(link.source_id)}/postback-key`);
      fill(
        postback,
        h(
          'p',
          {},
          `The source’s postback key `,
          h('code', {}, key.postback_key),
          ` was made ${date(key.created_at)} and is shown only once. Lost it? Make a new one (the old one stops working).`,
        ),
        keyButton('Make a new postback key', true),
      );
    } catch {
      fill(
        postback,
        h('p', {}, 'The source has no postback key yet: make one to get the postback URL.'),
        keyButton('Make a postback key'),
      );
    }
  };
  const makeKey = async () => {
    try {
      const made = await api('POST', `sources/${encodeURIComponent(link.source_id)}/postback-key`, {});
      fill(
        postback,
        copyable(
          'Postback URL',
          made.postback_url,
          'Give this to the offer network: it fills in {click_id}, {event}, {value}, {currency} and {txid}. The key is shown only now.',
        ),
      );
    } catch (error) {
      toast(errorMessage(error), 'error');
    }
  };
  // Replacing a key cuts off every offer network that still has the old one, for every link of the source: ask first.
  const confirmReplace = () =>
    openDialog('Make a new postback key?', (close) => [
      h(
        'p',
        {},
        'The current key stops working at once, for every link of this source: postbacks still sent with it are refused (401) and their conversions lost, until each offer network has the new URL.',
      ),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', class: 'danger', onclick: () => (close(), void makeKey()) }, 'Make a new key'),
        h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel'),
      ),
    ]);
  const keyButton = (label, replaces = false) =>
    h('button', { type: 'button', class: 'secondary', onclick: replaces ? confirmReplace : makeKey }, label);
  showKey();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'link-urls' },
    h('h2', { id: 'link-urls' }, 'Share'),
    copyable('Link URL', link.url, 'Put this in your ad or bio; each click is counted and sent on.'),
    postback,
  );
}

function stat(label, value) {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, h('span', { class: 'value' }, String(value))));
}

function totals(counts) {
  return h(
    'dl',
    { class: 'stats', 'aria-label': 'Totals' },
    stat('Clicks', counts.clicks),
    stat('Subscribers', counts.subscribers),
    stat('Purchases', counts.purchases),
    stat('Renewals', counts.renewals),
    stat('Messages', counts.messages),
    stat('Revenue', revenueText(counts.revenue)),
  );
}

/** Every day from `from` to today, with the days that had nothing as zeros. */
function chart(days, from) {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const rows = [];
  for (let i = 0; i < DAYS_SHOWN; i++) {
    const day = new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10);
    const found = byDate.get(day);
    rows.push({ date: day, clicks: found?.clicks ?? 0, subscribers: found?.subscribers ?? 0, purchases: found?.purchases ?? 0 });
  }
  return barChart({
    caption: `Clicks and conversions per day, last ${DAYS_SHOWN} days`,
    description: 'Bar chart of clicks, subscribers and purchases per day.',
    series: SERIES,
    rows,
    axisLabel: (index) => rows[index].date.slice(5),
    rowLabel: (index) => rows[index].date,
    rowHeading: 'Day',
    emptyText: 'No clicks in these days.',
  });
}

function clickList(link, clicks) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'link-clicks' },
    h('h2', { id: 'link-clicks' }, 'Latest clicks'),
    clicks.length === 0
      ? h('p', { class: 'muted' }, 'No clicks counted yet. Open the link URL in a browser to count one.')
      : h(
          'div',
          { class: 'clicks' },
          clicks.map((click) => {
            const conversions = h('div', { class: 'conversions' }, h('p', { class: 'muted' }, 'Loading…'));
            const details = h(
              'details',
              { class: 'click', dataset: { clickId: click.id } },
              h(
                'summary',
                {},
                timeEl(click.created_at, date),
                ' ',
                h('code', {}, click.id),
                click.sc_click_id ? [' · Snapchat click ', h('code', {}, click.sc_click_id)] : ' · no Snapchat click id',
                ' · ',
                click.subscribed ? badge('subscribed', 'delivered') : null,
                ` ${click.purchases} ${click.purchases === 1 ? 'purchase' : 'purchases'} · ${revenueText(click.revenue)}`,
              ),
              conversions,
            );
            details.addEventListener(
              'toggle',
              async () => {
                try {
                  const found = await api('GET', `links/${encodeURIComponent(link.id)}/clicks/${encodeURIComponent(click.id)}`);
                  fill(conversions, conversionTable(found.conversions));
                } catch (error) {
                  fill(conversions, errorList(errorMessages(error)));
                }
              },
              { once: true },
            );
            return details;
          }),
        ),
  );
}

function conversionTable(conversions) {
  if (conversions.length === 0) return h('p', { class: 'muted' }, 'No conversions from this click yet.');
  return h(
    'table',
    { class: 'data compact' },
    h('caption', {}, 'Conversions'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['When', 'Event', 'Value', 'Transaction', 'In window'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      conversions.map((c) =>
        h(
          'tr',
          {},
          h('td', {}, timeEl(c.received_at, date)),
          h('td', {}, c.event),
          h('td', {}, c.value === null ? '–' : `${c.value.toFixed(2)} ${c.currency ?? ''}`),
          h('td', {}, c.txid ? h('code', {}, c.txid) : '–'),
          h('td', {}, c.within_window ? 'yes' : 'no'),
        ),
      ),
    ),
  );
}

function testEvent(link) {
  const which = select({ name: 'event' }, LINK_EVENTS, 'click');
  const result = h('div', { class: 'test-result', 'aria-live': 'polite' });
  const send = h('button', { type: 'submit', class: 'primary' }, 'Send test event');
  const form = h('form', { class: 'toolbar' }, field('Link event', which), send);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      const answer = await api('POST', `links/${encodeURIComponent(link.id)}/test`, { event: which.value });
      fill(
        result,
        answer.snapchat_event === null
          ? h('p', {}, 'This link sends nothing for that event (switched off in its settings).')
          : h('p', {}, `Sent as Snapchat ${answer.snapchat_event} to ${answer.results.length} pixel(s):`),
        h(
          'ul',
          {},
          answer.results.map((r) =>
            h(
              'li',
              {},
              `${r.integration_name} (pixel ${r.pixel_id}): `,
              r.error ? badge(r.error, 'failed') : badge(r.outcome?.status ?? 'sent', r.outcome?.status ?? 'delivered'),
            ),
          ),
        ),
        answer.results.length ? jsonBlock(answer.results, 'Test event requests and answers') : null,
      );
    } catch (error) {
      fill(result, errorList(errorMessages(error)));
    }
    send.disabled = false;
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'link-test' },
    h('h2', { id: 'link-test' }, 'Send a test event'),
    h(
      'p',
      { class: 'hint' },
      'Sent to the link’s pixels as a Snapchat test event: it shows in Events Manager, never in your reports.',
    ),
    form,
    result,
  );
}
