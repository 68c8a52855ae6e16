// @ts-check
// One sync: preview its first rows (as the events and payloads they become), map its columns with
// the columns the preview found, run it now or upload a CSV file, and its run history with the
// counts and the rows that failed.
import { api, errorMessages } from '../api.js';
import { badge, date, errorList, fill, h, jsonBlock, toast } from '../dom.js';
import { clearFormErrors, showFormError } from './form-errors.js';
import { mappingEditor } from './sync-mapping.js';

const COUNTS = ['queried', 'added', 'changed', 'unchanged', 'sent', 'skipped', 'failed'];
const POLL_MS = 1000;

/** Draws #/syncs/:id; returns the cleanup that stops watching a run. */
export async function render(main, ctx) {
  const id = encodeURIComponent(ctx.params[0]);
  const [sync, { runs }, targets] = await Promise.all([
    api('GET', `syncs/${id}`, undefined, { signal: ctx.signal }),
    api('GET', `syncs/${id}/runs`, undefined, { signal: ctx.signal }),
    api('GET', 'syncs/targets', undefined, { signal: ctx.signal }),
  ]);
  if (ctx.signal.aborted) return;
  const csv = sync.kind === 'csv';
  const columnsOfMapping = Object.values(sync.mapping).filter((s) => typeof s === 'string');
  const mapping = mappingEditor(sync.mapping, [sync.primary_key, ...columnsOfMapping], targets);
  const previewArea = h('div', { class: 'preview', 'aria-live': 'polite' });
  const history = h('div', { class: 'runs' }, runTable(runs));
  let timer;

  const file = h('input', { type: 'file', accept: '.csv,text/csv', name: 'file', 'aria-label': 'CSV file' });
  async function preview() {
    if (csv && !file.files?.[0]) return fill(previewArea, errorList(['Choose a CSV file to preview first.']));
    fill(previewArea, h('p', { class: 'muted' }, 'Reading the first rows…'));
    try {
      const answer = await api('POST', `syncs/${id}/preview`, csv ? file.files?.[0] : {});
      mapping.setColumns(answer.columns);
      fill(previewArea, previewTable(answer));
    } catch (error) {
      fill(previewArea, errorList(errorMessages(error)));
    }
  }

  let errors = errorList([]);
  const mappingForm = h(
    'form',
    { novalidate: true },
    errors,
    mapping.element,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Save mapping')),
  );
  mappingForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('PATCH', `syncs/${id}`, { mapping: mapping.value() });
      errors = clearFormErrors(mappingForm, errors);
      toast('Mapping saved.');
      await preview();
    } catch (error) {
      errors = showFormError(mappingForm, errors, error);
    }
  });

  // A failed look (the collector restarting, a dropped connection) tries again, not gives up on the run.
  const poll = () =>
    refreshRuns().catch(() => {
      clearTimeout(timer);
      timer = setTimeout(poll, POLL_MS * 2);
    });

  async function refreshRuns() {
    const { runs: latest } = await api('GET', `syncs/${id}/runs`);
    fill(history, runTable(latest));
    clearTimeout(timer);
    if (latest.some(isUnderWay)) timer = setTimeout(poll, POLL_MS);
  }

  const runButton = h('button', { type: 'button', class: 'primary' }, csv ? 'Upload and send' : 'Run now');
  runButton.addEventListener('click', async () => {
    runButton.disabled = true;
    try {
      if (csv) {
        const chosen = file.files?.[0];
        if (!chosen) throw new Error('Choose a CSV file to upload first.');
        const run = await api('POST', `syncs/${id}/upload`, chosen).catch((error) => {
          // A run that failed answers 400 with the run: show it in the history all the same.
          if (error.status === 400) return null;
          throw error;
        });
        toast(
          run
            ? `Uploaded: ${run.counts.sent} ${run.counts.sent === 1 ? 'row' : 'rows'} queued for Snapchat; the debugger shows what each became.`
            : 'The upload failed: see the run below.',
        );
      } else {
        await api('POST', `syncs/${id}/run`, {});
        toast('Run started.');
      }
      await refreshRuns();
    } catch (error) {
      toast(errorMessages(error).join(' '), 'error');
    }
    runButton.disabled = false;
  });

  fill(
    main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/syncs' }, 'Warehouse syncs')),
    h('h1', {}, sync.name),
    h(
      'p',
      { class: 'lead' },
      csv ? 'Reads uploaded CSV files' : [`Runs `, h('code', {}, sync.query)],
      `; a row is identified by `,
      h('code', {}, sync.primary_key),
      `; ${sync.mode === 'upsert' ? 'changed rows are sent again' : 'only new rows are sent'}.`,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'sync-preview' },
      h('h2', { id: 'sync-preview' }, 'Preview'),
      h('p', { class: 'hint' }, 'The first rows as the events they become; nothing is stored or sent.'),
      h(
        'div',
        { class: 'toolbar' },
        csv ? file : null,
        h('button', { type: 'button', class: 'secondary', onclick: () => preview() }, 'Preview'),
        runButton,
      ),
      previewArea,
    ),
    h('section', { class: 'card', 'aria-labelledby': 'sync-mapping' }, h('h2', { id: 'sync-mapping' }, 'Mapping'), mappingForm),
    h('section', { class: 'card', 'aria-labelledby': 'sync-runs' }, h('h2', { id: 'sync-runs' }, 'Runs'), history),
  );
  if (!csv) await preview();
  if (runs.some(isUnderWay)) poll();
  return () => clearTimeout(timer);
}

function previewTable(answer) {
  if (answer.rows.length === 0) return h('p', { class: 'muted' }, `No rows. Columns: ${answer.columns.join(', ')}.`);
  return [
    h(
      'p',
      {},
      `Columns: `,
      answer.columns.map((c, i) => [i ? ', ' : '', h('code', {}, c)]),
    ),
    h(
      'table',
      { class: 'data compact' },
      h('caption', {}, `First ${answer.rows.length} rows`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Row', 'Event', 'Would send'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        answer.rows.map((row) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, h('code', {}, row.row_key ?? '–')),
            h('td', {}, row.error ? badge(row.error, 'failed') : (row.message?.event ?? row.message?.type)),
            h(
              'td',
              {},
              row.payloads.map((p) =>
                p.payload
                  ? h(
                      'details',
                      {},
                      h('summary', {}, badge(`${p.payload.event_name ?? 'payload'}`, 'delivered')),
                      jsonBlock(p.payload, 'Payload'),
                    )
                  : badge(`${p.reason_code}: ${p.detail}`, 'skipped'),
              ),
            ),
          ),
        ),
      ),
    ),
  ];
}

function runTable(runs) {
  if (runs.length === 0) return h('p', { class: 'muted' }, 'Not run yet.');
  return h(
    'table',
    { class: 'data compact' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Started', 'Trigger', 'Status', ...COUNTS, 'Row errors'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      runs.map((run) =>
        h(
          'tr',
          { dataset: { runId: run.id } },
          h('td', {}, date(run.started_at)),
          h('td', {}, run.trigger),
          h('td', {}, badge(run.status, run.status === 'succeeded' ? 'delivered' : isUnderWay(run) ? 'pending' : 'failed')),
          COUNTS.map((key) => h('td', { class: 'num', dataset: { count: key } }, String(run.counts?.[key] ?? 0))),
          h(
            'td',
            {},
            run.error ? h('p', { class: 'reason' }, run.error) : null,
            run.errors.length === 0
              ? run.error
                ? null
                : '–'
              : h(
                  'ul',
                  { class: 'row-errors' },
                  run.errors.map((e) =>
                    h('li', {}, h('code', {}, e.row_key), ` ${e.reason_code}${e.detail ? `: ${e.detail}` : ''}`),
                  ),
                ),
          ),
        ),
      ),
    ),
  );
}

/** A run that has not ended yet: queued, querying its warehouse or sending its rows. */
function isUnderWay(run) {
  return run.status !== 'succeeded' && run.status !== 'failed';
}
