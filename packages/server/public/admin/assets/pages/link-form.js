// @ts-check
// A smart link's settings, new or existing: where it sends fans, which pixels hear about its
// clicks and conversions (picked by name), and which Snapchat event each link event becomes.
import { api } from '../api.js';
import { errorList, field, fill, h, select, toast } from '../dom.js';
import { showFormError } from './form-errors.js';
import { LINK_EVENTS } from './link-format.js';

const OFFER_TYPES = [
  ['tracking_link', 'Tracking link'],
  ['free_trial', 'Free trial'],
];
/** Draws the form: #/links/new, or #/links/:id/edit. */
export async function render(main, ctx) {
  const id = ctx.params[0] === 'new' ? null : ctx.params[0];
  const [{ sources }, { integrations }, link] = await Promise.all([
    api('GET', 'sources', undefined, { signal: ctx.signal }),
    api('GET', 'integrations', undefined, { signal: ctx.signal }),
    id ? api('GET', `links/${encodeURIComponent(id)}`, undefined, { signal: ctx.signal }) : null,
  ]);
  if (ctx.signal.aborted) return;
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));

  const name = h('input', { name: 'name', value: link?.name ?? '', required: true, autocomplete: 'off' });
  const destination = h('input', {
    name: 'destination_url',
    type: 'url',
    value: link?.destination_url ?? '',
    required: true,
    placeholder: 'https://offer.example/landing?aff=42',
  });
  const offerType = select({ name: 'offer_type' }, OFFER_TYPES, link?.offer_type ?? 'tracking_link');
  const source = select(
    { name: 'source_id', disabled: Boolean(link) },
    sources.map((s) => [s.id, s.name]),
    link?.source_id ?? sources[0]?.id,
  );
  const chosen = new Set(link?.integrations ?? []);
  const pixelBoxes = integrations.map((integration) =>
    h('input', { type: 'checkbox', value: integration.id, checked: chosen.has(integration.id) }),
  );
  const pixels = h(
    'fieldset',
    { name: 'integrations' },
    h('legend', {}, 'Pixels to tell'),
    integrations.length === 0
      ? h('p', { class: 'muted' }, 'No integrations yet: ', h('a', { href: '#/integrations/new' }, 'add one'), '.')
      : integrations.map((integration, index) =>
          field(
            `${integration.name} (${sourceName.get(integration.source_id) ?? 'unknown source'}, pixel ${integration.config.pixel_id})`,
            /** @type {HTMLInputElement} */ (pixelBoxes[index]),
          ),
        ),
  );
  const includeSource = h('input', {
    type: 'checkbox',
    name: 'include_source_integrations',
    checked: link?.include_source_integrations ?? true,
  });
  const clickIdParam = h('input', { name: 'click_id_param', value: link?.click_id_param ?? 'df_click_id', class: 'mono' });
  const windowDays = h('input', {
    name: 'conversion_window_days',
    type: 'number',
    min: 1,
    max: 365,
    value: String(link?.conversion_window_days ?? 28),
  });
  const currency = h('input', { name: 'currency', value: link?.currency ?? '', placeholder: 'USD', maxlength: 3 });
  const eventInputs = LINK_EVENTS.map(([key]) =>
    h('input', {
      dataset: { event: key },
      value: link ? (link.events[key] ?? '') : '',
      placeholder: link ? 'off' : 'default',
      class: 'mono',
    }),
  );
  const events = h(
    'fieldset',
    { name: 'events' },
    h('legend', {}, 'Snapchat event for each link event'),
    h('p', { class: 'hint' }, 'A Snapchat event name such as PURCHASE or CUSTOM_EVENT_1; empty sends nothing.'),
    LINK_EVENTS.map(([, label], index) => field(label, /** @type {HTMLInputElement} */ (eventInputs[index]))),
  );
  let errors = errorList([]);

  const form = h(
    'form',
    { class: 'link-form', novalidate: true },
    errors,
    field('Name', name),
    field('Destination URL', destination, 'Where the link sends fans; every query parameter of the click is passed on.'),
    h('div', { class: 'row' }, field('Offer type', offerType), field('Source', source, link ? 'Fixed once created.' : undefined)),
    pixels,
    field('Also tell every enabled pixel of the source', includeSource),
    h(
      'div',
      { class: 'row' },
      field('Click id parameter', clickIdParam, 'The sub-id parameter the offer gets our click id in.'),
      field('Conversion window (days)', windowDays),
      field('Currency', currency, 'For postbacks that give none.'),
    ),
    events,
    h(
      'div',
      { class: 'buttons sticky' },
      h('button', { type: 'submit', class: 'primary' }, link ? 'Save changes' : 'Create smart link'),
      h('a', { class: 'button secondary', href: link ? `#/links/${encodeURIComponent(link.id)}` : '#/links' }, 'Cancel'),
    ),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const eventMap = {};
    LINK_EVENTS.forEach(([key], index) => {
      const value = /** @type {HTMLInputElement} */ (eventInputs[index]).value.trim();
      // A new link keeps the defaults of the events left empty; an existing one turns them off.
      if (value || link) eventMap[key] = value || null;
    });
    const body = {
      name: name.value.trim(),
      destination_url: destination.value.trim(),
      offer_type: offerType.value,
      integrations: pixelBoxes.filter((box) => box.checked).map((box) => box.value),
      include_source_integrations: includeSource.checked,
      click_id_param: clickIdParam.value.trim(),
      conversion_window_days: Number(windowDays.value),
      currency: currency.value.trim() || null,
      events: eventMap,
    };
    try {
      const saved = link
        ? await api('PATCH', `links/${encodeURIComponent(link.id)}`, body)
        : await api('POST', 'links', { ...body, source_id: source.value });
      toast(link ? 'Smart link saved.' : `Smart link “${saved.name}” created: copy its URL below.`);
      ctx.navigate(`#/links/${encodeURIComponent(saved.id)}`);
    } catch (error) {
      errors = showFormError(form, errors, error);
    }
  });

  fill(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/links' }, 'Smart links')),
    h('h1', {}, link ? `Edit “${link.name}”` : 'New smart link'),
    form,
  );
}
