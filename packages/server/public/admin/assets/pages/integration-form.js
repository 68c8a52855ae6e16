// @ts-check
// One integration, new or existing: the destination's settings (drawn from the fields it
// declares through the API), consent, and the event-mapping editor. The server validates
// everything; this page shows its reasons next to the fields they name.
import { api, ApiError, errorMessages } from '../api.js';
import { errorList, field, fill, h, select, toast } from '../dom.js';
import { loadVocabulary } from '../vocabulary.js';
import { remove } from './integrations.js';

const OFF = 'OFF';

/** Draws the integration editor: `#/integrations/new` or `#/integrations/<id>`. */
export async function render(main, ctx) {
  const id = ctx.params[0] === 'new' ? null : ctx.params[0];
  const [{ sources }, integration, destinations] = await Promise.all([
    api('GET', 'sources', undefined, { signal: ctx.signal }),
    id ? api('GET', `integrations/${encodeURIComponent(id)}`, undefined, { signal: ctx.signal }) : null,
    loadVocabulary(),
  ]);
  if (ctx.signal.aborted) return;
  if (!id && sources.length === 0) {
    fill(
      main,
      h('h1', {}, 'New integration'),
      h('p', { class: 'empty' }, 'Add a source first: ', h('a', { href: '#/sources' }, 'Sources'), '.'),
    );
    return;
  }
  const vendor = integration?.vendor ?? ctx.query.get('vendor') ?? destinations[0].vendor;
  const destination = destinations.find((d) => d.vendor === vendor) ?? destinations[0];
  const config = integration?.config ?? {};
  const sourceId = integration?.source_id ?? ctx.query.get('source') ?? sources[0].id;

  const inputs = {
    source_id: select(
      { name: 'source_id', disabled: Boolean(integration) },
      sources.map((s) => [s.id, s.name]),
      sourceId,
    ),
    name: h('input', { name: 'name', value: integration?.name ?? destination.name, required: true, maxlength: 200 }),
    enabled: h('input', { type: 'checkbox', name: 'enabled', checked: integration?.enabled ?? true }),
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
  };
  const settings = destination.fields
    .filter((f) => f.type !== 'event_map' && f.type !== 'field_map')
    .map((f) => settingInput(f, config, integration));
  const mappingField = destination.fields.find((f) => f.type === 'event_map');
  const mapping = mappingField ? mappingEditor(destination, mappingField, config[mappingField.key] ?? {}) : null;
  const dataField = destination.fields.find((f) => f.type === 'field_map');
  const eventNames = Object.keys(destination.default_event_map).filter((name) => name !== 'page');
  const data = dataField ? fieldMapEditor(dataField, config[dataField.key] ?? {}, eventNames, integration, ctx.signal) : null;
  const groups = new Map();
  for (const setting of settings) {
    const group = setting.field.group ?? destination.name;
    groups.set(group, [...(groups.get(group) ?? []), setting]);
  }
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
    [...groups].map(([group, members]) =>
      h(
        'fieldset',
        {},
        h('legend', {}, group),
        members.map((setting) => field(setting.field.label, setting.input, setting.field.help || undefined)),
      ),
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
    mapping?.element ?? null,
    data?.element ?? null,
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
    const categories = [
      ...(inputs.advertising.checked ? ['advertising'] : []),
      ...inputs.other_categories.value
        .trim()
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ];
    // null clears an optional setting; a secret is sent only when a new one was typed.
    const configBody = {};
    for (const setting of settings) {
      const value = setting.value();
      if (value !== undefined) configBody[setting.field.key] = value;
    }
    if (mapping) configBody[mappingField.key] = mapping.value();
    if (data) configBody[dataField.key] = data.value();
    const body = { name: inputs.name.value, enabled: inputs.enabled.checked, config: configBody, consent_categories: categories };
    try {
      if (integration) {
        await api('PATCH', `integrations/${encodeURIComponent(integration.id)}`, body);
        toast('Integration saved.');
        ctx.navigate(`#/integrations/${encodeURIComponent(integration.id)}`);
      } else {
        const created = await api('POST', 'integrations', {
          source_id: inputs.source_id.value,
          vendor: destination.vendor,
          ...body,
        });
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

/**
 * The input for one declared setting, and how to read its value back for the API: `null` clears
 * an optional setting, `undefined` leaves it out (a secret nobody retyped).
 */
function settingInput(f, config, integration) {
  const current = config[f.key];
  const common = {
    name: f.key,
    autocomplete: 'off',
    spellcheck: 'false',
    ...(f.placeholder ? { placeholder: f.placeholder } : {}),
  };
  if (f.type === 'boolean') {
    const input = h('input', { type: 'checkbox', name: f.key, checked: current === true });
    return { field: f, input, value: () => (input.checked ? true : null) };
  }
  if (f.type === 'select') {
    const input = select(
      { name: f.key },
      f.options.map((option) => [option.value, option.label]),
      current ?? f.default ?? f.options[0]?.value,
    );
    return { field: f, input, value: () => input.value };
  }
  if (f.type === 'integer') {
    const input = h('input', {
      ...common,
      type: 'number',
      min: 0,
      step: 'any',
      value: current ?? '',
      placeholder: f.default === undefined ? '' : String(f.default),
    });
    return { field: f, input, value: () => (input.value.trim() === '' ? null : Number(input.value)) };
  }
  if (f.secret) {
    const input = h('input', {
      ...common,
      type: 'password',
      autocomplete: 'new-password',
      required: f.required && !integration,
      placeholder: integration ? `Saved (${current ?? 'none'}). Leave empty to keep it.` : '',
    });
    return { field: f, input, value: () => (input.value.trim() === '' ? undefined : input.value.trim()) };
  }
  const input = h('input', {
    ...common,
    value: current ?? '',
    required: f.required,
    class: f.key.endsWith('_id') ? 'mono' : undefined,
  });
  return {
    field: f,
    input,
    value: () => {
      const text = input.value.trim();
      return f.required ? text : text || null;
    },
  };
}

/** Marks the inputs an API error names (`config.pixel_id: …`, `name: …`) as invalid. */
function markInvalid(form, errors) {
  for (const error of errors) {
    // A field map error names its Snapchat field (config.field_map.events.X.custom_data.value: …).
    const mapped = /^config\.field_map\..*?((?:custom_data|user_data)\.\w+):/.exec(error)?.[1];
    if (mapped) {
      form.querySelector(`[data-field="${mapped}"]`)?.setAttribute('aria-invalid', 'true');
      continue;
    }
    const name = /^(?:config\.)?([a-z_]+)/.exec(error)?.[1];
    const input = name && form.querySelector(`[name="${name === 'event_map' ? 'new-event' : name}"]`);
    input?.setAttribute('aria-invalid', 'true');
  }
}

/**
 * The event-mapping editor: every event with a default mapping (overridable, or switched off),
 * then your own events mapped to a standard or custom destination event. Its value is the
 * integration's `event_map`: only the rows that differ from the defaults.
 */
function mappingEditor(destination, mappingField, eventMap) {
  const defaults = destination.default_event_map;
  const standard = destination.event_names.filter((name) => !name.startsWith('CUSTOM_EVENT_'));
  const custom = destination.event_names.filter((name) => name.startsWith('CUSTOM_EVENT_'));
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
      { 'aria-label': `${destination.name} event for ${name}`, dataset: { event: name } },
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
  const newTarget = select({ name: 'new-target' }, [['', `Choose a ${destination.name} event…`], ...targets], '');
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
    if (!newTarget.value)
      return void ((addError.textContent = `Choose the ${destination.name} event to send it as.`), newTarget.focus());
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
    h('legend', {}, mappingField.label),
    h('p', { class: 'hint' }, mappingField.help),
    h(
      'table',
      { class: 'data compact' },
      h('caption', { class: 'visually-hidden' }, mappingField.label),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Your event'),
          h('th', { scope: 'col' }, `Sent to ${destination.name} as`),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')),
        ),
      ),
      body,
    ),
    h(
      'div',
      { class: 'add-mapping' },
      field('Your event name', newName),
      field(`${destination.name} event`, newTarget),
      addButton,
    ),
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

/**
 * The event data editor (`field_map`): per event, or for all events, which fields come from where.
 * Each mappable field takes its default, a path in the event, a fixed value, or "never send". The
 * fields the default rules already send for a recent real event show greyed; the preview shows the
 * payload that event would get with the map as it stands on screen, before it is saved.
 */
function fieldMapEditor(dataField, fieldMap, eventNames, integration, signal) {
  const state = { default: { ...(fieldMap.default ?? {}) }, events: structuredClone(fieldMap.events ?? {}) };
  const ALL = '';
  const scope = select(
    { name: 'field-map-event', 'aria-label': 'Event data for' },
    [[ALL, 'All events'], ...[...new Set([...eventNames, ...Object.keys(state.events)])].map((n) => [n, n])],
    ALL,
  );
  const body = h('tbody', {});
  const preview = h('pre', { class: 'json', 'aria-label': 'Payload preview', tabindex: 0 });
  const previewNote = h('p', { class: 'hint', role: 'status' });
  let defaults = new Set();
  let timer;

  const sourcesOf = () => (scope.value === ALL ? state.default : (state.events[scope.value] ??= {}));
  const kindOf = (source) =>
    source === undefined ? 'default' : source === null ? 'never' : typeof source === 'string' ? 'path' : 'value';

  function row({ key, value: valueType }) {
    const sources = sourcesOf();
    const source = sources[key];
    const kind = select(
      { 'aria-label': `Source of ${key}`, dataset: { field: key } },
      [
        ['default', defaults.has(key) ? 'Sent by default' : 'Default (not sent)'],
        ['path', 'From the event'],
        ['value', 'Fixed value'],
        ['never', 'Never send'],
      ],
      kindOf(source),
    );
    const text = h('input', {
      'aria-label': `Value of ${key}`,
      autocomplete: 'off',
      spellcheck: 'false',
      value: typeof source === 'string' ? source : source && typeof source === 'object' ? String(source.value) : '',
      placeholder: 'properties.grand_total',
    });
    const update = () => {
      const raw = text.value.trim();
      text.hidden = kind.value === 'default' || kind.value === 'never';
      if (kind.value === 'default') delete sources[key];
      else if (kind.value === 'never') sources[key] = null;
      else if (kind.value === 'path') sources[key] = raw;
      else
        sources[key] = {
          // What is no number goes as typed, so the refusal names it (NaN would be sent as null).
          value: valueType === 'number' && raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw,
        };
      schedulePreview();
    };
    kind.addEventListener('change', update);
    text.addEventListener('input', update);
    text.hidden = kind.value === 'default' || kind.value === 'never';
    return h(
      'tr',
      { class: defaults.has(key) && kind.value === 'default' ? 'muted' : '' },
      h('th', { scope: 'row' }, h('code', {}, key)),
      h('td', {}, kind),
      h('td', {}, text),
    );
  }

  function draw() {
    fill(body, ...dataField.mappable.map(row));
  }

  async function refreshPreview() {
    if (!integration) {
      previewNote.textContent = 'Save the integration to preview its payloads.';
      return;
    }
    const event = scope.value === ALL ? undefined : scope.value;
    try {
      const [withMap, withoutMap] = await Promise.all([
        api(
          'POST',
          `integrations/${encodeURIComponent(integration.id)}/preview`,
          { event, config: { field_map: value() } },
          { signal },
        ),
        api(
          'POST',
          `integrations/${encodeURIComponent(integration.id)}/preview`,
          { event, config: { field_map: {} } },
          { signal },
        ),
      ]);
      const sent = new Set();
      for (const part of ['custom_data', 'user_data']) {
        for (const key of Object.keys(withoutMap.payload?.[part] ?? {})) sent.add(`${part}.${key}`);
      }
      if ([...sent].join() !== [...defaults].join()) {
        defaults = sent;
        draw();
      }
      preview.textContent = JSON.stringify(withMap.payload ?? null, null, 2);
      previewNote.textContent = withMap.message
        ? `For the latest “${withMap.message.event ?? withMap.message.type}” event (${withMap.message.messageId})${withMap.reason ? `: not sent: ${withMap.reason}` : ''}.`
        : 'No event of this name yet: send one to preview its payload.';
    } catch (error) {
      previewNote.textContent = errorMessages(error).join('; ');
    }
  }

  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(() => void refreshPreview(), 300);
  }

  /** The field_map to save: only what differs from the defaults. */
  function value() {
    const events = Object.fromEntries(Object.entries(state.events).filter(([, sources]) => Object.keys(sources).length > 0));
    return {
      ...(Object.keys(state.default).length > 0 ? { default: state.default } : {}),
      ...(Object.keys(events).length > 0 ? { events } : {}),
    };
  }

  scope.addEventListener('change', () => {
    draw();
    schedulePreview();
  });
  draw();
  void refreshPreview();

  const element = h(
    'fieldset',
    { class: 'field-map' },
    h('legend', {}, dataField.label),
    h('p', { class: 'hint' }, dataField.help),
    field('Event', scope),
    h(
      'table',
      { class: 'data compact' },
      h('caption', { class: 'visually-hidden' }, dataField.label),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Field'),
          h('th', { scope: 'col' }, 'Source'),
          h('th', { scope: 'col' }, 'Path or value'),
        ),
      ),
      body,
    ),
    h('h3', {}, 'Preview'),
    previewNote,
    preview,
  );
  return { element, value };
}
