// @ts-check
// Warehouses and syncs: the databases Datafirst reads offline conversions from (added and tested
// here), and the syncs that turn their rows, or an uploaded CSV file, into events.
import { api, errorMessage } from '../api.js';
import { badge, date, errorList, field, fill, h, select, toast } from '../dom.js';
import { showFormError } from './form-errors.js';

const KINDS = [
  ['sqlite', 'SQLite file'],
  ['postgres', 'PostgreSQL'],
  ['mysql', 'MySQL / MariaDB'],
];
const URL_HINTS = {
  sqlite: 'A file: URL, e.g. file:/var/lib/shop/sales.db (opened read-only).',
  postgres: 'e.g. postgres://reader:secret@db.internal:5432/shop (the password is kept sealed).',
  mysql: 'e.g. mysql://reader:secret@db.internal:3306/shop (the password is kept sealed).',
};

/** Draws #/syncs: warehouses with their test, syncs, and the forms to add each. */
export async function render(main, ctx) {
  const [{ warehouses }, { syncs }, { sources }] = await Promise.all([
    api('GET', 'warehouses', undefined, { signal: ctx.signal }),
    api('GET', 'syncs', undefined, { signal: ctx.signal }),
    api('GET', 'sources', undefined, { signal: ctx.signal }),
  ]);
  if (ctx.signal.aborted) return;
  const warehouseName = new Map(warehouses.map((w) => [w.id, w.name]));
  const sourceName = new Map(sources.map((s) => [s.id, s.name]));
  const redraw = () => render(main, ctx);

  fill(
    main,
    h('h1', {}, 'Warehouse syncs'),
    h(
      'p',
      { class: 'lead' },
      'Conversions that never touch a browser (store sales, phone orders, CRM stages), read from a database or an uploaded CSV file and sent like web events.',
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'warehouses' },
      h('h2', { id: 'warehouses' }, 'Warehouses'),
      warehouses.length === 0
        ? h('p', { class: 'muted' }, 'No warehouse yet: add the database to read from below.')
        : warehouseTable(warehouses),
      warehouseForm(redraw),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'syncs' },
      h('h2', { id: 'syncs' }, 'Syncs'),
      syncs.length === 0
        ? h('p', { class: 'muted' }, 'No sync yet.')
        : h(
            'table',
            { class: 'data' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Name', 'Reads', 'Source', 'Schedule', 'Created'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              syncs.map((sync) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, h('a', { href: `#/syncs/${encodeURIComponent(sync.id)}` }, sync.name)),
                  h('td', {}, sync.kind === 'csv' ? 'uploaded CSV files' : (warehouseName.get(sync.warehouse_id) ?? '–')),
                  h('td', {}, sourceName.get(sync.source_id) ?? sync.source_id),
                  h('td', {}, sync.schedule ? `every ${sync.schedule.every_minutes} min` : 'on demand'),
                  h('td', {}, date(sync.created_at)),
                ),
              ),
            ),
          ),
      syncForm(warehouses, sources, ctx),
    ),
  );
}

function warehouseTable(warehouses) {
  return h(
    'table',
    { class: 'data' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Name', 'Kind', 'Location', 'Test'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      warehouses.map((warehouse) => {
        const result = h('span', { class: 'test-result', 'aria-live': 'polite' });
        const test = h('button', { type: 'button', class: 'secondary small' }, 'Test connection');
        test.addEventListener('click', async () => {
          test.disabled = true;
          try {
            const answer = await api('POST', `warehouses/${encodeURIComponent(warehouse.id)}/test`, {});
            fill(
              result,
              answer.ok
                ? [badge('connected', 'delivered'), ` tables: ${answer.tables.join(', ') || 'none'}`]
                : [badge('failed'), ` ${answer.error}`],
            );
          } catch (error) {
            fill(result, badge('failed'), ` ${errorMessage(error)}`);
          }
          test.disabled = false;
        });
        return h(
          'tr',
          { dataset: { warehouseId: warehouse.id } },
          h('th', { scope: 'row' }, warehouse.name),
          h('td', {}, warehouse.kind),
          h('td', {}, h('code', { class: 'break' }, warehouse.config.url)),
          h('td', {}, test, ' ', result),
        );
      }),
    ),
  );
}

function warehouseForm(redraw) {
  const name = h('input', { name: 'name', required: true, autocomplete: 'off' });
  const kind = select({ name: 'kind' }, KINDS, 'sqlite');
  const url = h('input', { name: 'config', required: true, class: 'mono' });
  const urlField = field('Database URL or file', url, URL_HINTS.sqlite);
  kind.addEventListener('change', () => {
    const hint = urlField.querySelector('.hint');
    if (hint) hint.textContent = URL_HINTS[kind.value];
  });
  let errors = errorList([]);
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'add-warehouse' },
    h('h3', { id: 'add-warehouse' }, 'Add a warehouse'),
    errors,
    h('div', { class: 'row' }, field('Warehouse name', name), field('Kind', kind)),
    urlField,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Add warehouse')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const made = await api('POST', 'warehouses', {
        name: name.value.trim(),
        kind: kind.value,
        config: { url: url.value.trim() },
      });
      toast(`Warehouse “${made.name}” added: Datafirst could read it.`);
      await redraw();
    } catch (error) {
      errors = showFormError(form, errors, error);
    }
  });
  return form;
}

function syncForm(warehouses, sources, ctx) {
  const name = h('input', { name: 'name', required: true, autocomplete: 'off' });
  const kind = select(
    { name: 'kind' },
    [
      ['warehouse', 'A query on a warehouse'],
      ['csv', 'Uploaded CSV files'],
    ],
    warehouses.length ? 'warehouse' : 'csv',
  );
  const warehouse = select(
    { name: 'warehouse_id' },
    warehouses.map((w) => [w.id, w.name]),
    warehouses[0]?.id,
  );
  const source = select(
    { name: 'source_id' },
    sources.map((s) => [s.id, s.name]),
    sources[0]?.id,
  );
  const query = h('textarea', { name: 'query', rows: 3, class: 'mono', placeholder: 'select * from sales' });
  const primaryKey = h('input', { name: 'primary_key', required: true, class: 'mono', placeholder: 'sale_id' });
  const eventName = h('input', { name: 'mapping', value: 'Order Completed' });
  const warehouseOnly = h('div', {}, field('Warehouse', warehouse), field('Query', query, 'The rows to send, one event each.'));
  kind.addEventListener('change', () => (warehouseOnly.hidden = kind.value === 'csv'));
  warehouseOnly.hidden = kind.value === 'csv';
  let errors = errorList([]);
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'add-sync' },
    h('h3', { id: 'add-sync' }, 'Create a sync'),
    errors,
    h(
      'div',
      { class: 'row' },
      field('Sync name', name),
      field('Reads', kind),
      field('Source', source, 'Its integrations get the events.'),
    ),
    warehouseOnly,
    h(
      'div',
      { class: 'row' },
      field('Primary key column', primaryKey, 'The column that identifies a row.'),
      field('Event name', eventName, 'Every row becomes this event; map the columns on the next page.'),
    ),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Create sync')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {
      name: name.value.trim(),
      kind: kind.value,
      source_id: source.value,
      primary_key: primaryKey.value.trim(),
      mapping: { event: { value: eventName.value.trim() } },
      ...(kind.value === 'warehouse' ? { warehouse_id: warehouse.value, query: query.value.trim() } : {}),
    };
    try {
      const made = await api('POST', 'syncs', body);
      toast(`Sync “${made.name}” created: preview it and map its columns.`);
      ctx.navigate(`#/syncs/${encodeURIComponent(made.id)}`);
    } catch (error) {
      errors = showFormError(form, errors, error);
    }
  });
  return form;
}
