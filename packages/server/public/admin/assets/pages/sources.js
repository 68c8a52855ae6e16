// @ts-check
// Sources: list, create, rename, rotate the write key (with a grace period), mark server-side or
// browser, delete. A write key is shown once, when it is made; afterwards only its last four characters.
import { api, ApiError, errorMessages } from '../api.js';
import { copyButton, date, errorList, field, fill, h, openDialog, relative, select, toast } from '../dom.js';

const GRACE = [
  ['0', 'Stop the old key now (it leaked)'],
  ['3600', '1 hour'],
  ['86400', '1 day'],
  ['604800', '7 days'],
  ['2592000', '30 days'],
];

/** Draws the sources page. */
export async function render(main, ctx) {
  let revealed = null; // { name, key, snippet, note }: the key just made, shown once

  async function draw() {
    const { sources } = await api('GET', 'sources', undefined, { signal: ctx.signal });
    if (ctx.signal.aborted) return;
    fill(
      main,
      h('h1', {}, 'Sources'),
      h(
        'p',
        { class: 'lead' },
        'A source is a website or a backend that sends events, authenticated by its write key. Each source can send to several Snapchat pixels.',
      ),
      revealed ? newKeyPanel(revealed, () => ((revealed = null), draw())) : null,
      sources.length === 0 ? h('p', { class: 'empty' }, 'No sources yet: add one below.') : sourceTable(sources),
      createForm(),
    );
  }

  function sourceTable(sources) {
    return h(
      'table',
      { class: 'data' },
      h('caption', { class: 'visually-hidden' }, 'Sources'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Name', 'Source ID', 'Write key', 'Kind', 'Integrations', 'Created', 'Actions'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        sources.map((source) =>
          h(
            'tr',
            { dataset: { sourceId: source.id } },
            h('th', { scope: 'row' }, source.name),
            h('td', {}, h('code', {}, source.id)),
            h(
              'td',
              {},
              h('code', { class: 'masked', title: 'Write-only: only its last four characters are shown' }, source.write_key),
              source.previous_key_expires_at
                ? h(
                    'p',
                    { class: 'hint' },
                    `The previous key works until ${date(source.previous_key_expires_at)} (${relative(source.previous_key_expires_at)}).`,
                  )
                : null,
            ),
            h(
              'td',
              { class: 'source-kind' },
              source.server_side ? 'Server-side' : 'Browser',
              h(
                'p',
                { class: 'hint' },
                source.server_side
                  ? 'Its key is secret: identify calls build user profiles.'
                  : 'Its key is public: identify calls add traits to the visitor only.',
              ),
            ),
            h('td', {}, h('a', { href: `#/integrations?source=${encodeURIComponent(source.id)}` }, `${source.integrations}`)),
            h('td', {}, date(source.created_at)),
            h(
              'td',
              { class: 'actions' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary small',
                  onclick: () => rename(source),
                  'aria-label': `Rename ${source.name}`,
                },
                'Rename',
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary small',
                  onclick: () => rotate(source),
                  'aria-label': `Rotate the write key of ${source.name}`,
                },
                'Rotate key',
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary small',
                  onclick: () => switchKind(source),
                  'aria-label': source.server_side ? `Make ${source.name} a browser source` : `Make ${source.name} server-side`,
                },
                source.server_side ? 'Make browser source' : 'Make server-side',
              ),
              h(
                'button',
                { type: 'button', class: 'danger small', onclick: () => remove(source), 'aria-label': `Delete ${source.name}` },
                'Delete',
              ),
            ),
          ),
        ),
      ),
    );
  }

  function createForm() {
    const name = h('input', {
      name: 'name',
      required: true,
      maxlength: 200,
      placeholder: 'e.g. Shop website',
      autocomplete: 'off',
    });
    const errors = errorList([]);
    const form = h(
      'form',
      { class: 'card inline-form', novalidate: true, 'aria-labelledby': 'new-source' },
      h('h2', { id: 'new-source' }, 'Add a source'),
      field('Name', name),
      h('button', { type: 'submit', class: 'primary' }, 'Create source'),
      errors,
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const created = await api('POST', 'sources', { name: name.value });
        revealed = { name: created.name, key: created.write_key, snippet: created.snippet, note: 'Your new source’s write key.' };
        toast(`Source “${created.name}” created.`);
        await draw();
        main.querySelector('.new-key input')?.focus();
      } catch (error) {
        errors.replaceWith(errorList(errorMessages(error)));
      }
    });
    return form;
  }

  function rename(source) {
    openDialog(`Rename “${source.name}”`, (close) => {
      const name = h('input', { value: source.name, required: true, maxlength: 200 });
      const errors = errorList([]);
      const form = h(
        'form',
        { novalidate: true },
        field('New name', name),
        errors,
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'submit', class: 'primary' }, 'Save'),
          h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel'),
        ),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          await api('PATCH', `sources/${encodeURIComponent(source.id)}`, { name: name.value });
          close();
          toast('Source renamed.');
          await draw();
        } catch (error) {
          const list = errorList(errorMessages(error));
          form.querySelector('.errors').replaceWith(list);
        }
      });
      return form;
    });
  }

  function rotate(source) {
    openDialog(`Rotate the write key of “${source.name}”`, (close) => {
      const grace = select({ name: 'grace' }, GRACE, '86400');
      const errors = errorList([]);
      const form = h(
        'form',
        { novalidate: true },
        h(
          'p',
          {},
          'A new write key is made at once. Update your pages and servers with it; until the grace period ends the old key keeps working, so no events are lost meanwhile.',
        ),
        // Only one replaced key is kept: a second rotation cuts off the one still in its grace period.
        source.previous_key_expires_at && Date.parse(source.previous_key_expires_at) > Date.now()
          ? h(
              'p',
              { class: 'error-text' },
              `The key this source's last rotation replaced still works until ${date(source.previous_key_expires_at)}: rotating again stops it at once. Senders still using it lose their events.`,
            )
          : null,
        field('Keep the old key working for', grace),
        errors,
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'submit', class: 'primary' }, 'Rotate key'),
          h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel'),
        ),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          const rotated = await api('POST', `sources/${encodeURIComponent(source.id)}/rotate-key`, {
            grace_seconds: Number(grace.value),
          });
          close();
          revealed = {
            name: rotated.name,
            key: rotated.write_key,
            // A server-side source's key is secret: no snippet puts it in a page.
            snippet: source.server_side ? null : rotated.snippet,
            note: rotated.previous_key_expires_at
              ? `The old key works until ${date(rotated.previous_key_expires_at)}.`
              : 'The old key no longer works.',
          };
          toast('Write key rotated.');
          await draw();
          main.querySelector('.new-key input')?.focus();
        } catch (error) {
          form.querySelector('.errors').replaceWith(errorList(errorMessages(error)));
        }
      });
      return form;
    });
  }

  // A server-side source's identify calls write a user id's profile: only for a key no page holds.
  function switchKind(source) {
    const serverSide = !source.server_side;
    openDialog(serverSide ? `Make “${source.name}” server-side?` : `Make “${source.name}” a browser source?`, (close) => {
      const button = h('button', { type: 'button', class: 'primary' }, serverSide ? 'Make server-side' : 'Make browser source');
      button.addEventListener('click', async () => {
        try {
          await api('PATCH', `sources/${encodeURIComponent(source.id)}`, { server_side: serverSide });
          close();
          toast(serverSide ? `“${source.name}” is server-side.` : `“${source.name}” is a browser source.`);
          await draw();
        } catch (error) {
          toast(error instanceof ApiError ? error.message : String(error), 'error');
        }
      });
      return [
        h(
          'p',
          {},
          serverSide
            ? 'For a backend whose write key never goes into a page. Its identify calls may then write any user id’s profile, and its alias calls link profiles: anyone holding the key could attach their email to someone else’s purchases.'
            : 'For a website: its write key is in every page. Its identify calls then add traits to the visitor’s own anonymous id only.',
        ),
        h('div', { class: 'buttons' }, button, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')),
      ];
    });
  }

  function remove(source) {
    openDialog(`Delete “${source.name}”?`, (close) => {
      const button = h('button', { type: 'button', class: 'danger' }, 'Delete source');
      button.addEventListener('click', async () => {
        try {
          await api('DELETE', `sources/${encodeURIComponent(source.id)}`);
          close();
          toast(`Source “${source.name}” deleted.`);
          await draw();
        } catch (error) {
          toast(error instanceof ApiError ? error.message : String(error), 'error');
        }
      });
      return [
        h(
          'p',
          {},
          `${integrationsGoing(source.integrations)}The events it received are deleted with it, and events sent with its write key are refused from now on.`,
        ),
        h('div', { class: 'buttons' }, button, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')),
      ];
    });
  }

  await draw();
}

/** The once-only view of a new write key, with copy buttons and the snippet that carries it (none for a server-side source). */
function newKeyPanel({ name, key, snippet, note }, dismiss) {
  const input = h('input', { readOnly: true, value: key, 'aria-label': `Write key of ${name}`, class: 'mono', size: 40 });
  const snippetBox = h('textarea', { readOnly: true, rows: 4, class: 'mono', 'aria-label': 'Snippet' }, snippet);
  return h(
    'section',
    { class: 'new-key notice', 'aria-labelledby': 'new-key-title' },
    h('h2', { id: 'new-key-title' }, `Write key for “${name}”`),
    h('p', {}, note, ' ', h('strong', {}, 'Copy it now: it is not shown again.')),
    h(
      'div',
      { class: 'copy-row' },
      input,
      copyButton(() => key, input),
    ),
    snippet
      ? h(
          'details',
          {},
          h('summary', {}, 'Snippet for your pages'),
          h('p', { class: 'hint' }, 'Paste it into the <head> of every page.'),
          snippetBox,
          copyButton(() => snippet, snippetBox, 'Copy snippet'),
        )
      : h('p', { class: 'hint' }, 'A server-side source’s key stays on your servers: never put it in a page.'),
    h(
      'button',
      { type: 'button', class: 'secondary small', onclick: (event) => (event.target.closest('.new-key').remove(), dismiss()) },
      'I have saved it',
    ),
  );
}

/** What deleting a source takes with it besides its events, as a sentence (or nothing). */
function integrationsGoing(count) {
  if (count === 0) return '';
  return count === 1 ? 'Its integration is deleted too. ' : `Its ${count} integrations are deleted too. `;
}
