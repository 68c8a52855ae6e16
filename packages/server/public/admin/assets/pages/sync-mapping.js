// @ts-check
// The column mapping editor of a sync: one line per target (the event, the email, the value…),
// each taking a column of the rows (the columns the last preview found) or one value for every row.
import { h, select } from '../dom.js';

const FIXED = '\u0000fixed'; // the column choice meaning "one value for every row"

/**
 * @typedef {object} MappingTargets what `GET /v1/admin/syncs/targets` answers: the one list of
 *   targets, kept by the server, which refuses others with a reason shown beside the mapping
 * @property {string[]} targets
 * @property {string[]} required
 * @property {string} property_target the pattern of the free targets, `properties.<name>`
 */

/**
 * The editor for a mapping (target → column name, or { value }) over the given columns. Its
 * `value()` is the mapping to save; `setColumns` swaps the column choices (after a preview).
 * @param {Record<string, string | { value: unknown }>} mapping
 * @param {string[]} columns
 * @param {MappingTargets} known the targets the API takes
 */
export function mappingEditor(mapping, columns, { targets: names, required, property_target: propertyTarget }) {
  let known = columns;
  const targets = h(
    'datalist',
    { id: 'mapping-targets' },
    names.map((t) => h('option', { value: t })),
  );
  const body = h('tbody', {});
  const lines = [];

  function columnChoices(current) {
    const names = [...new Set([...known, ...(current && current !== FIXED ? [current] : [])])];
    return [['', '— choose a column —'], ...names.map((c) => [c, c]), [FIXED, 'one value for every row…']];
  }

  function addLine(target = '', source = /** @type {string | { value: unknown }} */ ('')) {
    const isFixed = typeof source === 'object';
    const targetInput = h('input', { value: target, list: targets.id, class: 'mono', 'aria-label': 'Target' });
    const column = select(
      { 'aria-label': `Column for ${target || 'new target'}` },
      columnChoices(isFixed ? FIXED : source),
      isFixed ? FIXED : source,
    );
    const fixed = h('input', {
      value: isFixed ? String(source.value) : '',
      hidden: !isFixed,
      'aria-label': `Value for ${target || 'new target'}`,
    });
    column.addEventListener('change', () => (fixed.hidden = column.value !== FIXED));
    const remove = h(
      'button',
      { type: 'button', class: 'secondary small', 'aria-label': `Remove ${target || 'line'}` },
      'Remove',
    );
    const row = h('tr', { dataset: { target } }, h('td', {}, targetInput), h('td', {}, column, ' ', fixed), h('td', {}, remove));
    const line = { row, targetInput, column, fixed };
    remove.addEventListener('click', () => {
      lines.splice(lines.indexOf(line), 1);
      row.remove();
    });
    lines.push(line);
    body.append(row);
  }

  for (const [target, source] of Object.entries(mapping)) addLine(target, source);
  const add = h('button', { type: 'button', class: 'secondary small', onclick: () => addLine() }, 'Add a target');

  return {
    element: h(
      'fieldset',
      { name: 'mapping', class: 'mapping' },
      h('legend', {}, 'Column mapping'),
      h(
        'p',
        { class: 'hint', id: 'mapping-targets-hint' },
        `Targets: ${names.join(', ')}, or ${propertyTarget}. Required: ${required.join(', ')}.`,
      ),
      targets,
      h(
        'table',
        { class: 'data compact' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Target', 'From', ''].map((t) => h('th', { scope: 'col' }, t)),
          ),
        ),
        body,
      ),
      add,
    ),
    /** The mapping as the API takes it. */
    value() {
      const result = {};
      for (const { targetInput, column, fixed } of lines) {
        const target = targetInput.value.trim();
        if (!target) continue;
        if (column.value === FIXED) {
          const text = fixed.value.trim();
          result[target] = { value: text !== '' && !Number.isNaN(Number(text)) && target === 'value' ? Number(text) : text };
        } else result[target] = column.value;
      }
      return result;
    },
    /** New column choices (e.g. from a preview), keeping each line's choice. */
    setColumns(/** @type {string[]} */ next) {
      known = next;
      for (const { column } of lines) {
        const current = column.value;
        column.replaceChildren(...select({}, columnChoices(current), current).children);
        column.value = current;
      }
    },
  };
}
