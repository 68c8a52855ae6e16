// @ts-check
// The live event debugger: events arrive over server-sent events (no polling, no reload), and each
// one is updated in place as its deliveries move on. Every stage is shown: the message received,
// the payload mapped for Snapchat (personal data hashed), and Snapchat's answer, the retry
// schedule, or the reason it was not sent.
import { api, apiUrl, ApiError, errorMessage } from '../api.js';
import { badge, clock, date, field, fill, h, jsonBlock, relative, select, showFieldErrors, timeEl, toast } from '../dom.js';
import { labels, loadVocabulary } from '../vocabulary.js';
import { identifierLabel, identifierList } from './identifiers.js';

const MAX_SHOWN = 200;
/** How many of the latest matching events a connection starts with. */
const FIRST_EVENTS = 100;
const STATUSES = ['pending', 'delivered', 'skipped', 'failed', 'blocked', 'dead'];
/**
 * What the search box finds events by: the events API's parameter, its label, the words for it
 * in a sentence, and an example.
 * @type {[param: string, label: string, words: string, example: string][]}
 */
const SEARCHES = [
  ['email', 'Email', 'email', 'jane@example.com'],
  ['user_id', 'User id', 'user id', 'the id your site gives the user'],
  ['anonymous_id', 'Anonymous id', 'anonymous id', 'e.g. the _dfid cookie'],
  ['order_id', 'Order id', 'order id', 'properties.order_id, e.g. 1001'],
  ['click_id', 'Click id (ScCid)', 'ad click id (ScCid)', 'the ScCid of the ad click'],
];

/** Draws the debugger and opens the live stream; returns the cleanup that closes it. */
export async function render(main, ctx) {
  const [{ sources }, { integrations }] = await Promise.all([
    api('GET', 'sources', undefined, { signal: ctx.signal }),
    api('GET', 'integrations', undefined, { signal: ctx.signal }),
    loadVocabulary(),
  ]);
  if (ctx.signal.aborted) return;
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  const filters = {
    source: ctx.query.get('source') ?? '',
    integration: ctx.query.get('integration') ?? '',
    status: ctx.query.get('status') ?? '',
    name: ctx.query.get('name') ?? '',
  };
  // One search at a time, kept in the page's address under the API's name (`#/debugger?email=…`).
  const searched = SEARCHES.find(([param]) => ctx.query.get(param));
  const search = { by: searched?.[0] ?? 'email', text: searched ? (ctx.query.get(searched[0]) ?? '') : '' };

  const sourceSelect = select({ name: 'source' }, [['', 'All sources'], ...sources.map((s) => [s.id, s.name])], filters.source);
  const integrationSelect = select({ name: 'integration' }, integrationOptions(), filters.integration);
  const statusSelect = select({ name: 'status' }, [['', 'Any status'], ...STATUSES.map((s) => [s, s])], filters.status);
  const names = h('datalist', { id: 'event-names' });
  const nameInput = h('input', {
    name: 'name',
    value: filters.name,
    list: 'event-names',
    autocomplete: 'off',
    placeholder: 'e.g. Order Completed',
  });
  const searchBy = select(
    { name: 'search_by' },
    SEARCHES.map(([param, label]) => [param, label]),
    search.by,
  );
  const searchInput = h('input', {
    type: 'search',
    name: search.by,
    value: search.text,
    autocomplete: 'off',
    spellcheck: false,
    placeholder: placeholderOf(search.by),
  });
  const searchButton = h('button', { type: 'submit', class: 'primary' }, 'Search');
  const clearSearchButton = h('button', { type: 'button', class: 'secondary', hidden: !search.text }, 'Clear search');
  const searchNote = h('p', { class: 'search-note muted', id: 'search-note' });
  // Said when the list holds only the newest of what matches: a list cut short in silence passes for all there is.
  const limitNote = h('p', { class: 'muted small', hidden: true });
  const noteLimit = () => {
    const count = list.children.length;
    limitNote.hidden = count < FIRST_EVENTS;
    limitNote.textContent =
      count >= MAX_SHOWN
        ? `Showing the newest ${MAX_SHOWN} events; older ones drop off as new ones arrive. Narrow the filters, or use the events API, to see older ones.`
        : `Showing the newest ${count} matching events; older ones are not listed. Narrow the filters, or use the events API, to see older ones.`;
  };
  const pauseButton = h('button', { type: 'button', class: 'secondary' }, 'Pause');
  const clearButton = h('button', { type: 'button', class: 'secondary' }, 'Clear');
  const exportButton = h('button', { type: 'button', class: 'secondary' }, 'Export as JSON');
  const status = h('p', { class: 'live-status', role: 'status' });
  const list = h('div', { class: 'events', id: 'events' });
  const empty = h(
    'p',
    { class: 'empty' },
    'Waiting for events… Open your site (or the demo shop) in another tab: events appear here as they arrive.',
  );

  function integrationOptions() {
    const shown = integrations.filter((i) => !filters.source || i.source_id === filters.source);
    return [['', 'All integrations'], ...shown.map((i) => [i.id, i.name])];
  }

  const cards = new Map(); // event id → its <details>
  const shown = new Map(); // event id → the event as last received, for the export
  const seenNames = new Set();
  let stream = null;
  let paused = false;

  function setStatus(state, text) {
    status.className = `live-status ${state}`;
    status.textContent = text;
  }

  /** The events API's parameters for the filters and the search. */
  function queryOf() {
    const params = new URLSearchParams({ limit: String(FIRST_EVENTS) });
    if (filters.source) params.set('source_id', filters.source);
    if (filters.integration) params.set('integration_id', filters.integration);
    if (filters.status) params.set('status', filters.status);
    if (filters.name) params.set('name', filters.name);
    if (search.text) params.set(search.by, search.text);
    return params;
  }

  function connect() {
    stream?.close();
    const params = queryOf();
    setStatus('connecting', 'Connecting…');
    const source = new EventSource(apiUrl(`events/stream?${params}`));
    stream = source;
    source.addEventListener('event', (message) => upsert(JSON.parse(message.data)));
    source.addEventListener('ready', () => {
      setStatus('live', 'Live: new events and changes appear as they happen.');
      empty.hidden = cards.size > 0;
      noteLimit();
    });
    source.addEventListener('signed-out', () => {
      source.close();
      api('GET', 'session').catch(() => {}); // a 401 here shows the sign-in page
    });
    source.addEventListener('error', () => {
      if (stream !== source) return;
      if (source.readyState === EventSource.CONNECTING) {
        setStatus('reconnecting', 'Connection lost: reconnecting…');
        return;
      }
      // Closed for good (an error answer): find out why, then try again if still signed in.
      setStatus('reconnecting', 'Connection refused: retrying in a few seconds…');
      api('GET', 'session').then(
        () => setTimeout(() => stream === source && !paused && connect(), 3000),
        () => {},
      );
    });
  }

  function applyFilters() {
    filters.source = sourceSelect.value;
    if (filters.integration && !integrationOptions().some(([id]) => id === filters.integration)) filters.integration = '';
    integrationSelect.replaceChildren(...select({}, integrationOptions(), filters.integration).children);
    integrationSelect.value = filters.integration;
    filters.status = statusSelect.value;
    filters.name = nameInput.value.trim();
    ctx.replaceQuery({ ...filters, ...(search.text ? { [search.by]: search.text } : {}) });
    clear();
    describeSearch();
    if (!paused) connect();
  }

  /** Says what the search finds, so a list of one person's events is not taken for all events. */
  function describeSearch() {
    clearSearchButton.hidden = !search.text;
    const words = SEARCHES.find(([param]) => param === search.by)?.[2] ?? search.by;
    searchNote.hidden = !search.text;
    searchNote.textContent = !search.text
      ? ''
      : search.by === 'email'
        ? `Showing the events whose email is ${search.text} (compared by its hash, in any case), and the events of the user and anonymous ids that carried it.`
        : `Showing the events whose ${words} is ${search.text}.`;
    empty.textContent = search.text
      ? 'No event matches this search yet: new matching events appear here as they arrive.'
      : 'Waiting for events… Open your site (or the demo shop) in another tab: events appear here as they arrive.';
  }

  /**
   * Runs the search: the API checks it first (an email must be an address, say), and its reason
   * shows beside the search box; the live stream then follows the matching events. Resolves
   * with whether the search now applies.
   */
  async function runSearch() {
    showFieldErrors(filterForm, []);
    const wanted = { by: searchBy.value, text: searchInput.value.trim() };
    if (wanted.text) {
      const params = new URLSearchParams({ limit: '1', [wanted.by]: wanted.text });
      try {
        await api('GET', `events?${params}`, undefined, { signal: ctx.signal });
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 400) throw error;
        showFieldErrors(filterForm, error.errors);
        return false;
      }
    }
    Object.assign(search, wanted);
    applyFilters();
    return true;
  }

  function clear() {
    cards.clear();
    shown.clear();
    list.replaceChildren();
    empty.hidden = false;
    limitNote.hidden = true;
  }

  function upsert(event) {
    // The name filter reads names as each event shows them (`Order Completed`, `page: Pricing`).
    seenNames.add(event.name);
    let card = cards.get(event.id);
    const fresh = !card;
    if (!card) {
      card = h('details', { class: 'event', dataset: { eventId: String(event.id) } });
      cards.set(event.id, card);
      // Newest first: in front of the first card with a smaller id.
      const next = [...list.children].find((other) => Number(other.dataset.eventId) < event.id);
      list.insertBefore(card, next ?? null);
      while (list.children.length > MAX_SHOWN) {
        const last = list.lastElementChild;
        cards.delete(Number(last.dataset.eventId));
        shown.delete(Number(last.dataset.eventId));
        last.remove();
      }
      if (list.children.length >= MAX_SHOWN) noteLimit();
    }
    shown.set(event.id, event);
    card.className = `event ${overall(event)}`;
    // The card is rebuilt: a control of it that had the keyboard focus (a "Send again" pressed
    // with Enter) gets it back, found again by its kind and text.
    const focused = card.contains(document.activeElement) ? document.activeElement : null;
    card.replaceChildren(summaryOf(event, sourceName), bodyOf(event));
    if (focused) {
      const again = [...card.querySelectorAll(focused.tagName)].find((el) => el.textContent === focused.textContent);
      /** @type {HTMLElement | undefined} */ (again)?.focus({ preventScroll: true });
    }
    if (fresh) card.classList.add('arrived');
    empty.hidden = true;
    refreshNames();
  }

  function refreshNames() {
    const known = [...seenNames].filter(Boolean).sort();
    if (known.length !== names.children.length) names.replaceChildren(...known.map((n) => h('option', { value: n })));
  }

  sourceSelect.addEventListener('change', applyFilters);
  integrationSelect.addEventListener('change', applyFilters);
  statusSelect.addEventListener('change', applyFilters);
  let typing;
  nameInput.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(applyFilters, 400);
  });
  searchBy.addEventListener('change', () => {
    searchInput.name = searchBy.value;
    searchInput.placeholder = placeholderOf(searchBy.value);
    if (searchInput.value.trim()) runSearch().catch((error) => toast(errorMessage(error), 'error'));
  });
  clearSearchButton.addEventListener('click', () => {
    searchInput.value = '';
    search.text = '';
    showFieldErrors(filterForm, []);
    applyFilters();
    searchInput.focus();
  });
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    pauseButton.setAttribute('aria-pressed', String(paused));
    if (paused) {
      stream?.close();
      stream = null;
      setStatus('paused', 'Paused: new events are not shown until you resume.');
    } else connect();
  });
  clearButton.addEventListener('click', clear);
  exportButton.addEventListener('click', () => {
    // What the list shows, newest first, as the admin API gave it.
    const events = [...shown.values()].sort((a, b) => b.id - a.id);
    const query = { ...filters, ...(search.text ? { [search.by]: search.text } : {}) };
    downloadJson(`datafirst-events-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, { filters: query, events });
    toast(`Exported ${events.length} ${events.length === 1 ? 'event' : 'events'}.`);
  });

  const filterForm = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter and search events', novalidate: true },
    h(
      'div',
      { class: 'search' },
      field('Find by', searchBy),
      field('Search', searchInput),
      h('div', { class: 'buttons' }, searchButton, clearSearchButton),
    ),
    field('Source', sourceSelect),
    field('Integration', integrationSelect),
    field('Status', statusSelect),
    field('Event name', nameInput),
    names,
    h('div', { class: 'buttons' }, pauseButton, clearButton, exportButton),
  );
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    runSearch().catch((error) => toast(errorMessage(error), 'error'));
  });
  describeSearch();

  // "Next try in 12 s" stays true while the page is open.
  const ticker = setInterval(() => {
    for (const node of list.querySelectorAll('[data-countdown]')) node.textContent = relative(node.dataset.countdown);
  }, 1000);

  fill(
    main,
    h('h1', {}, 'Live event debugger'),
    h(
      'p',
      { class: 'lead' },
      'Events as they arrive and what became of each: the message received, the payload mapped for Snapchat (personal data hashed), and Snapchat’s answer, the retry schedule, or why it was not sent.',
    ),
    filterForm,
    searchNote,
    status,
    limitNote,
    empty,
    list,
  );
  if (search.text) {
    // A search in the page's address is checked like a typed one: a refused one shows its reason,
    // and the list every event.
    search.text = '';
    runSearch().then(
      (applied) => applied || applyFilters(),
      () => applyFilters(),
    );
  } else connect();

  return () => {
    clearInterval(ticker);
    clearTimeout(typing);
    stream?.close();
    stream = null;
  };
}

/** The search box's example for a kind of search. */
function placeholderOf(param) {
  return SEARCHES.find(([key]) => key === param)?.[3] ?? '';
}

/** The worst state of an event's deliveries, for the card's colour edge. */
function overall(event) {
  const statuses = event.deliveries.map((d) => d.status);
  for (const status of ['failed', 'dead', 'blocked', 'pending', 'delivered', 'skipped'])
    if (statuses.includes(status)) return status;
  return 'none';
}

function summaryOf(event, sourceName) {
  const badges = event.deliveries.map((d) => badge(`${d.integration_name}: ${d.status}`, d.status));
  if (badges.length === 0)
    badges.push(badge(event.message.type === 'identify' ? 'profile updated' : 'no integration', 'skipped'));
  return h(
    'summary',
    {},
    h('span', { class: 'time' }, timeEl(event.received_at)),
    h('span', { class: 'name' }, event.name || event.message.type),
    destinationNames(event),
    h('span', { class: 'source muted' }, sourceName.get(event.source_id) ?? event.source_id),
    h('span', { class: 'badges' }, badges),
    h('span', { class: 'ids-compact muted', 'aria-label': 'Identifiers present' }, presentIds(event)),
  );
}

/** The Snapchat event names the deliveries were mapped to (" → PURCHASE"), once each. */
function destinationNames(event) {
  const names = [...new Set(event.deliveries.map((d) => d.payload?.event?.event_name).filter(Boolean))];
  return names.length ? h('span', { class: 'destination-name muted' }, `→ ${names.join(', ')}`) : null;
}

/** Offers a value as a JSON file download. */
function downloadJson(filename, value) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A button that sends a failed or dead delivery again (the live stream then shows its new state). */
function replayButton(delivery) {
  const button = h('button', { type: 'button', class: 'secondary small' }, 'Send again');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api('POST', `deliveries/${encodeURIComponent(delivery.id)}/replay`, {});
      toast(`Queued again for ${delivery.integration_name}.`);
    } catch (error) {
      button.disabled = false;
      toast(errorMessage(error), 'error');
    }
  });
  return button;
}

function presentIds(event) {
  const present = Object.entries(event.identifiers)
    .filter(([, yes]) => yes)
    .map(([id]) => identifierLabel(id).short);
  return present.length ? present.join(' · ') : 'no identifiers';
}

function bodyOf(event) {
  return h(
    'div',
    { class: 'stages' },
    h(
      'section',
      { class: 'stage received' },
      h(
        'h3',
        {},
        h('span', { class: 'step' }, '1'),
        'Received ',
        h(
          'span',
          { class: 'muted' },
          `${date(event.received_at)} · ${event.message.type} · `,
          h('code', {}, event.message.messageId),
        ),
      ),
      identifierList(event.identifiers),
      jsonBlock(event.message, 'Message received'),
    ),
    event.deliveries.length === 0
      ? h(
          'p',
          { class: 'muted' },
          event.message.type === 'identify'
            ? 'identify calls are not sent: they add traits to later events of the same person.'
            : 'This source had no enabled integration when the event arrived.',
        )
      : event.deliveries.map(deliveryOf),
  );
}

function deliveryOf(delivery) {
  return h(
    'section',
    { class: `stage delivery ${delivery.status}` },
    h(
      'h3',
      {},
      '→ ',
      delivery.integration_name,
      ' ',
      badge(delivery.status),
      ' ',
      h('span', { class: 'muted' }, `${delivery.attempts} ${delivery.attempts === 1 ? 'try' : 'tries'}`),
    ),
    h(
      'ol',
      { class: 'pipeline', start: 2 },
      h('li', {}, h('h4', {}, h('span', { class: 'step' }, '2'), 'Mapped Snapchat payload (hashed)'), payloadOf(delivery)),
      h('li', {}, outcomeOf(delivery)),
    ),
  );
}

function payloadOf(delivery) {
  if (delivery.payload) {
    return [
      h('p', {}, h('code', { class: 'break' }, `POST ${delivery.payload.url}`)),
      jsonBlock(delivery.payload.event ?? delivery.payload, 'Payload sent to Snapchat'),
    ];
  }
  if (delivery.status === 'pending') return h('p', { class: 'muted' }, 'Not built yet: waiting for the worker.');
  return h('p', { class: 'muted' }, 'Not built: the event was not sent (see below).');
}

/** Why a delivery is where it is: the reason code's label (from the API), then the detail. */
function reasonOf(delivery) {
  const reason = delivery.reason;
  if (!reason) return null;
  const label = delivery.reason_code ? labels.reasons[delivery.reason_code] : undefined;
  // The detail text may start with its code or stage ("no_consent: …", "retrying: …"): the label says that.
  const detail = reason.replace(/^(?:[a-z_]+: )+/, '');
  return label ? h('p', { class: 'reason' }, h('strong', {}, `${label}: `), detail) : h('p', { class: 'reason' }, reason);
}

function answerOf(delivery) {
  const response = delivery.response;
  if (!response) return null;
  return [
    h('p', {}, response.status === null ? 'No answer (network error or timeout).' : `HTTP ${response.status}`),
    jsonBlock(response.body ?? null, 'Snapchat’s answer'),
  ];
}

function historyOf(delivery) {
  if (!delivery.history?.length) return null;
  return h(
    'table',
    { class: 'data compact history' },
    h('caption', {}, 'Tries'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['#', 'When', 'Outcome', 'HTTP', 'Reason'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      delivery.history.map((attempt, index) =>
        h(
          'tr',
          {},
          h('td', {}, String(index + 1)),
          h('td', {}, timeEl(attempt.at)),
          h('td', {}, attempt.status === 'pending' ? 'retry scheduled' : attempt.status),
          h('td', {}, attempt.httpStatus ?? '–'),
          h('td', {}, attempt.reason ?? ''),
        ),
      ),
    ),
  );
}

function outcomeOf(delivery) {
  const [title, ...rest] = outcomeParts(delivery);
  return [h('h4', {}, h('span', { class: 'step' }, '3'), title), ...rest];
}

function outcomeParts(delivery) {
  switch (delivery.status) {
    case 'delivered':
      return ['Snapchat’s answer', answerOf(delivery), historyOf(delivery)];
    case 'pending':
      if (delivery.attempts === 0 && !delivery.response)
        return ['Waiting', h('p', { class: 'muted' }, 'Queued: the worker sends it within moments.'), reasonOf(delivery)];
      return [
        'Retry schedule',
        reasonOf(delivery),
        h(
          'p',
          {},
          `Next try `,
          h('strong', { dataset: { countdown: delivery.next_attempt_at } }, relative(delivery.next_attempt_at)),
          ` (at ${clock(delivery.next_attempt_at)}), with the same event_id, so Snapchat counts it once.`,
        ),
        historyOf(delivery),
        answerOf(delivery),
      ];
    case 'skipped':
      return ['Not sent', reasonOf(delivery)];
    case 'blocked': {
      // Parked for one reason or another (refused credentials, a missing page URL…): its code says which, and what cures it.
      const fix = delivery.reason_code ? labels.fixes[delivery.reason_code] : undefined;
      return [
        (delivery.reason_code && labels.reasons[delivery.reason_code]) || 'Parked',
        reasonOf(delivery),
        h(
          'p',
          { class: 'hint' },
          fix ? `${fix}: it is sent again once that is saved.` : 'Sent again once the setting that parked it is saved.',
        ),
        answerOf(delivery),
        historyOf(delivery),
      ];
    }
    case 'dead':
      return [
        'Gave up after retrying',
        reasonOf(delivery),
        h(
          'p',
          { class: 'hint' },
          'Sending it again queues it with the same event_id, so Snapchat counts it once. ',
          replayButton(delivery),
        ),
        historyOf(delivery),
        answerOf(delivery),
      ];
    default:
      return [
        'Failed',
        reasonOf(delivery),
        h('p', { class: 'hint' }, 'Once the cause is fixed, send it again: ', replayButton(delivery)),
        answerOf(delivery),
        historyOf(delivery),
      ];
  }
}
