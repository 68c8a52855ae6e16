// @ts-check
// One integration, new or existing: Snapchat settings, consent, rate limits and the event-mapping
// editor. The server validates everything (with the Snapchat library's validator); this page
// shows its reasons next to the fields they name.
import { api, ApiError, errorMessages } from '../api.js';
import { errorList, field, fill, h, select, toast } from '../dom.js';
import { remove } from './integrations.js';

let vocabulary = null; // GET snapchat: event names and the default mapping, fetched once

const OFF = 'OFF';

/** Draws the integration editor: `#/integrations/new` or `#/integrations/<id>`. */
export async function render(main, ctx) {
  const id = ctx.params[0] === 'new' ? null : ctx.params[0];
  const [{ sources }, integration, vocab] = await Promise.all([
    api('GET', 'sources', undefined, { signal: ctx.signal }),
    id ? api('GET', `integrations/${encodeURIComponent(id)}`, undefined, { signal: ctx.signal }) : null,
    vocabulary ?? api('GET', 'snapchat', undefined, { signal: ctx.signal }),
  ]);
  vocabulary = vocab;
  if (ctx.signal.aborted) return;
  if (!id && sources.length === 0) {
    fill(
      main,
      h('h1', {}, 'New integration'),
      h('p', { class: 'empty' }, 'Add a source first: ', h('a', { href: '#/sources' }, 'Sources'), '.'),
    );
    return;
  }
  const config = integration?.config ?? {};
  const sourceId = integration?.source_id ?? ctx.query.get('source') ?? sources[0].id;

  // Inputs, named after the API field each one fills.
  const inputs = {
    source_id: select(
      { name: 'source_id', disabled: Boolean(integration) },
      sources.map((s) => [s.id, s.name]),
      sourceId,
    ),
    name: h('input', { name: 'name', value: integration?.name ?? 'Snapchat', required: true, maxlength: 200 }),
    enabled: h('input', { type: 'checkbox', name: 'enabled', checked: integration?.enabled ?? true }),
    pixel_id: h('input', {
      name: 'pixel_id',
      value: config.pixel_id ?? '',
      required: true,
      class: 'mono',
      size: 38,
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a',
    }),
    access_token: h('input', {
      name: 'access_token',
      type: 'password',
      autocomplete: 'new-password',
      spellcheck: 'false',
      required: !integration,
      placeholder: integration ? `Saved (${config.access_token ?? 'none'}). Leave empty to keep it.` : '',
    }),
    snap_app_id: h('input', {
      name: 'snap_app_id',
      value: config.snap_app_id ?? '',
      class: 'mono',
      size: 38,
      spellcheck: 'false',
      autocomplete: 'off',
    }),
    app_id: h('input', {
      name: 'app_id',
      value: config.app_id ?? '',
      spellcheck: 'false',
      autocomplete: 'off',
      placeholder: 'com.example.app or 123456789',
    }),
    api_version: select(
      { name: 'api_version' },
      [
        ['v3', 'v3 (recommended)'],
        ['v2', 'v2 (deprecated by Snap)'],
      ],
      config.api_version ?? 'v3',
    ),
    action_source: select(
      { name: 'action_source' },
      vocab.action_sources.map((s) => [s, s]),
      config.action_source ?? 'WEB',
    ),
    phone_default_country: h('input', {
      name: 'phone_default_country',
      value: config.phone_default_country ?? '',
      maxlength: 2,
      size: 4,
      autocomplete: 'off',
      placeholder: 'GB',
    }),
    limited_data_use: h('input', { type: 'checkbox', name: 'limited_data_use', checked: config.limited_data_use === true }),
    advertising: h('input', {
      type: 'checkbox',
      name: 'advertising',
      checked: (integration?.consent_categories ?? ['advertising']).includes('advertising'),
    }),
    other_categories: h('input', {
      name: 'consent_categories',
      value: (integration?.consent_categories ?? []).filter((c) => c !== 'advertising').join(', '),
      autocomplete: 'off',
      placeholder: 'e.g. analytics, C0004',
    }),
    rate_limit_rps: h('input', {
      name: 'rate_limit_rps',
      type: 'number',
      min: 0,
      step: 'any',
      value: config.rate_limit_rps ?? '',
      placeholder: '50',
    }),
    rate_limit_burst: h('input', {
      name: 'rate_limit_burst',
      type: 'number',
      min: 1,
      step: 'any',
      value: config.rate_limit_burst ?? '',
      placeholder: '100',
    }),
  };
  const mapping = mappingEditor(vocab, config.event_map ?? {});
  let errors = errorList([]);

  const form = h(
    'form',
    { class: 'integration-form', novalidate: true },
    errors,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Integration'),
      field('Source', inputs.source_id, integration ? 'An integration stays with its source.' : undefined),
      field('Name', inputs.name),
      field('Send events to this pixel', inputs.enabled),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Snapchat'),
      field('Pixel ID', inputs.pixel_id, 'Ads Manager → Events Manager: a UUID.'),
      field(
        'Access token',
        inputs.access_token,
        'A Conversions API token (Business Details → Conversions API Tokens). Write-only: it is never shown again.',
      ),
      field('Snap App ID', inputs.snap_app_id, 'For app events (action source MOBILE_APP).'),
      field('App store ID', inputs.app_id, 'Your app’s store id, sent with app events.'),
      field('API version', inputs.api_version),
      field('Action source', inputs.action_source, 'Where events happen, unless an event says otherwise.'),
      field(
        'Default phone country',
        inputs.phone_default_country,
        'ISO code used for phone numbers written without +country code. Without it such numbers are left out, not guessed.',
      ),
      field('Always ask for limited data use (LDU)', inputs.limited_data_use),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Consent'),
      h(
        'p',
        { class: 'hint' },
        'An event reaches this integration only when its consent grants every category checked or listed here. With none, events are sent whatever their consent.',
      ),
      field('advertising', inputs.advertising),
      field('Other categories', inputs.other_categories, 'Comma-separated, as your consent tool names them.'),
    ),
    h(
      'fieldset',
      {},
      h('legend', {}, 'Rate limits'),
      h(
        'div',
        { class: 'row' },
        field('Requests per second', inputs.rate_limit_rps, 'Default 50; at most 1000.'),
        field('Burst', inputs.rate_limit_burst, 'Default 100 requests at once.'),
      ),
    ),
    mapping.element,
    h(
      'div',
      { class: 'buttons sticky' },
      h('button', { type: 'submit', class: 'primary' }, integration ? 'Save changes' : 'Create integration'),
      h('a', { class: 'button secondary', href: '#/integrations' }, 'Cancel'),
      integration
        ? h(
            'a',
            { class: 'button secondary', href: `#/test?integration=${encodeURIComponent(integration.id)}` },
            'Send test event',
          )
        : null,
    ),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    const text = (input) => input.value.trim();
    const number = (input) => (input.value.trim() === '' ? null : Number(input.value));
    const categories = [
      ...(inputs.advertising.checked ? ['advertising'] : []),
      ...text(inputs.other_categories)
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ];
    // null clears an optional setting; the token is sent only when a new one was typed.
    const configBody = {
      pixel_id: text(inputs.pixel_id),
      ...(text(inputs.access_token) ? { access_token: text(inputs.access_token) } : {}),
      snap_app_id: text(inputs.snap_app_id) || null,
      app_id: text(inputs.app_id) || null,
      api_version: inputs.api_version.value,
      action_source: inputs.action_source.value,
      phone_default_country: text(inputs.phone_default_country).toUpperCase() || null,
      limited_data_use: inputs.limited_data_use.checked ? true : null,
      rate_limit_rps: number(inputs.rate_limit_rps),
      rate_limit_burst: number(inputs.rate_limit_burst),
      event_map: mapping.value(),
    };
    const body = { name: inputs.name.value, enabled: inputs.enabled.checked, config: configBody, consent_categories: categories };
    try {
      if (integration) {
        await api('PATCH', `integrations/${encodeURIComponent(integration.id)}`, body);
        toast('Integration saved.');
        ctx.navigate(`#/integrations/${encodeURIComponent(integration.id)}`);
      } else {
        const created = await api('POST', 'integrations', { source_id: inputs.source_id.value, vendor: 'snapchat', ...body });
        toast(`Integration “${created.name}” created. Send a test event to check it.`);
        ctx.navigate(`#/integrations?source=${encodeURIComponent(created.source_id)}`);
      }
    } catch (error) {
      const next = errorList(errorMessages(error));
      errors.replaceWith(next);
      errors = next;
      markInvalid(form, error instanceof ApiError ? error.errors : []);
      next.tabIndex = -1;
      next.focus();
    }
  });

  fill(
    main,
    h(
      'p',
      { class: 'crumbs' },
      h('a', { href: '#/integrations' }, 'Integrations'),
      ' / ',
      integration ? integration.name : 'New',
    ),
    h('h1', {}, integration ? `Edit “${integration.name}”` : 'New integration'),
    integration?.paused_reason
      ? h(
          'p',
          { class: 'notice warning', role: 'status' },
          `Paused: ${integration.paused_reason}. Saving new credentials resumes it.`,
        )
      : null,
    form,
    integration
      ? h(
          'section',
          { class: 'card danger-zone' },
          h('h2', {}, 'Delete this integration'),
          h(
            'button',
            { type: 'button', class: 'danger', onclick: () => remove(integration, () => ctx.navigate('#/integrations')) },
            'Delete integration',
          ),
        )
      : null,
  );
}

/** Marks the inputs an API error names (`config.pixel_id: …`, `name: …`) as invalid. */
function markInvalid(form, errors) {
  for (const error of errors) {
    const name = /^(?:config\.)?([a-z_]+)/.exec(error)?.[1];
    const input = name && form.querySelector(`[name="${name === 'event_map' ? 'new-event' : name}"]`);
    input?.setAttribute('aria-invalid', 'true');
  }
}

/**
 * The event-mapping editor: every event with a default mapping (overridable, or switched off),
 * then your own events mapped to a standard or custom Snapchat event. Its value is the
 * integration's `event_map`: only the rows that differ from the defaults.
 */
function mappingEditor(vocab, eventMap) {
  const defaults = vocab.default_event_map;
  const standard = vocab.event_names.filter((name) => !name.startsWith('CUSTOM_EVENT_'));
  const custom = vocab.event_names.filter((name) => name.startsWith('CUSTOM_EVENT_'));
  const targets = [
    { group: 'Standard events', options: standard.map((n) => [n, n]) },
    { group: 'Custom events', options: custom.map((n) => [n, n]) },
    [OFF, 'Off: not sent'],
  ];
  const valueOf = (target) => (target === null ? OFF : target);
  const rows = [];
  const body = h('tbody', {});

  function addRow(name, target, isDefault) {
    const choice = select(
      { 'aria-label': `Snapchat event for ${name}`, dataset: { event: name } },
      isDefault ? [['', `Default: ${defaults[name]}`], ...targets] : targets,
      target === undefined ? '' : valueOf(target),
    );
    const row = { name, isDefault, choice };
    const removeButton = isDefault
      ? null
      : h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            'aria-label': `Remove the mapping of ${name}`,
            onclick: () => {
              rows.splice(rows.indexOf(row), 1);
              tr.remove();
            },
          },
          'Remove',
        );
    const tr = h(
      'tr',
      {},
      h('th', { scope: 'row' }, h('code', {}, name === 'page' ? 'page (every page view)' : name)),
      h('td', {}, choice),
      h('td', {}, removeButton),
    );
    rows.push(row);
    body.append(tr);
  }

  for (const name of Object.keys(defaults)) addRow(name, Object.hasOwn(eventMap, name) ? eventMap[name] : undefined, true);
  for (const [name, target] of Object.entries(eventMap)) if (!Object.hasOwn(defaults, name)) addRow(name, target, false);

  const newName = h('input', { name: 'new-event', placeholder: 'e.g. Video Played', autocomplete: 'off', maxlength: 200 });
  const newTarget = select({ name: 'new-target' }, [['', 'Choose a Snapchat event…'], ...targets], '');
  const addError = h('p', { class: 'error-text', role: 'alert' });
  const addButton = h('button', { type: 'button', class: 'secondary' }, 'Add mapping');
  addButton.addEventListener('click', () => {
    const name = newName.value.trim();
    addError.textContent = '';
    if (!name)
      return void (
        (addError.textContent = 'Type the event name as your pages send it, e.g. _df.track("Video Played").'),
        newName.focus()
      );
    if (!newTarget.value) return void ((addError.textContent = 'Choose the Snapchat event to send it as.'), newTarget.focus());
    const existing = rows.find((row) => row.name === name);
    if (existing) {
      existing.choice.value = newTarget.value;
      existing.choice.focus();
    } else {
      addRow(name, newTarget.value === OFF ? null : newTarget.value, false);
    }
    newName.value = '';
    newTarget.value = '';
    newName.focus();
  });

  const element = h(
    'fieldset',
    { class: 'mapping' },
    h('legend', {}, 'Event mapping'),
    h(
      'p',
      { class: 'hint' },
      'Which Snapchat event each of your events is sent as. Events not listed are stored but not sent; “Off” stops an event that is sent by default.',
    ),
    h(
      'table',
      { class: 'data compact' },
      h('caption', { class: 'visually-hidden' }, 'Event mapping'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Your event'),
          h('th', { scope: 'col' }, 'Sent to Snapchat as'),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')),
        ),
      ),
      body,
    ),
    h('div', { class: 'add-mapping' }, field('Your event name', newName), field('Snapchat event', newTarget), addButton),
    addError,
  );

  return {
    element,
    /** The event_map to save: every row whose choice differs from the default. */
    value() {
      const map = {};
      for (const row of rows) {
        const choice = row.choice.value;
        if (choice === '' || (row.isDefault && choice === defaults[row.name])) continue;
        map[row.name] = choice === OFF ? null : choice;
      }
      return map;
    },
  };
}
