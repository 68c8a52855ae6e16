// @ts-check
// Integrations: every Snapchat pixel each source sends to, switched on and off in place.
import { api, errorMessage } from '../api.js';
import { badge, date, field, fill, h, openDialog, select, toast } from '../dom.js';

/** Draws the integrations list, optionally for one source (?source=). */
export async function render(main, ctx) {
  const sourceFilter = ctx.query.get('source') ?? '';

  async function draw() {
    const [{ sources }, { integrations }] = await Promise.all([
      api('GET', 'sources', undefined, { signal: ctx.signal }),
      api('GET', `integrations${sourceFilter ? `?source_id=${encodeURIComponent(sourceFilter)}` : ''}`, undefined, {
        signal: ctx.signal,
      }),
    ]);
    if (ctx.signal.aborted) return;
    const sourceName = new Map(sources.map((s) => [s.id, s.name]));
    const filter = select({ name: 'source' }, [['', 'All sources'], ...sources.map((s) => [s.id, s.name])], sourceFilter);
    filter.addEventListener('change', () =>
      ctx.navigate(`#/integrations${filter.value ? `?source=${encodeURIComponent(filter.value)}` : ''}`),
    );
    const newLink = `#/integrations/new${sourceFilter ? `?source=${encodeURIComponent(sourceFilter)}` : ''}`;

    fill(
      main,
      h('h1', {}, 'Integrations'),
      h(
        'p',
        { class: 'lead' },
        'Each integration sends one source’s events to one Snapchat pixel, with its own event mapping, consent and rate limits.',
      ),
      h(
        'div',
        { class: 'toolbar' },
        field('Source', filter),
        h('a', { class: 'button primary', href: newLink }, 'New integration'),
      ),
      sources.length === 0
        ? h('p', { class: 'empty' }, 'Add a source first: ', h('a', { href: '#/sources' }, 'Sources'), '.')
        : integrations.length === 0
          ? h(
              'p',
              { class: 'empty' },
              'No integrations yet. ',
              h('a', { href: newLink }, 'Add one'),
              ' to start sending events to Snapchat.',
            )
          : table(integrations, sourceName),
    );
  }

  function table(integrations, sourceName) {
    return h(
      'table',
      { class: 'data' },
      h('caption', { class: 'visually-hidden' }, 'Integrations'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Name', 'Source', 'Pixel ID', 'Access token', 'Sending', 'Updated', 'Actions'].map((t) =>
            h('th', { scope: 'col' }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        integrations.map((integration) => {
          const toggle = h('input', {
            type: 'checkbox',
            role: 'switch',
            checked: integration.enabled,
            'aria-label': `Send events to ${integration.name}`,
          });
          toggle.addEventListener('change', async () => {
            // Busy, not disabled: a disabled control loses the keyboard focus.
            toggle.setAttribute('aria-busy', 'true');
            const wanted = toggle.checked;
            try {
              await api('PATCH', `integrations/${encodeURIComponent(integration.id)}`, { enabled: wanted });
              toast(`${integration.name} ${wanted ? 'enabled' : 'disabled'}.`);
            } catch (error) {
              toggle.checked = !wanted;
              toast(errorMessage(error), 'error');
            }
            toggle.removeAttribute('aria-busy');
            state.replaceChildren(...stateOf({ ...integration, enabled: toggle.checked }));
          });
          const state = h('span', { class: 'state' }, stateOf(integration));
          return h(
            'tr',
            { dataset: { integrationId: integration.id } },
            h('th', { scope: 'row' }, h('a', { href: `#/integrations/${encodeURIComponent(integration.id)}` }, integration.name)),
            h('td', {}, sourceName.get(integration.source_id) ?? integration.source_id),
            h('td', {}, h('code', {}, integration.config.pixel_id)),
            h('td', {}, h('code', { class: 'masked', title: 'Write-only' }, integration.config.access_token ?? '')),
            h(
              'td',
              {},
              h('label', { class: 'switch' }, toggle, state),
              integration.paused_reason ? pausedNote(integration, draw) : null,
            ),
            h('td', {}, date(integration.updated_at)),
            h(
              'td',
              { class: 'actions' },
              h('a', { class: 'button secondary small', href: `#/integrations/${encodeURIComponent(integration.id)}` }, 'Edit'),
              h(
                'a',
                { class: 'button secondary small', href: `#/test?integration=${encodeURIComponent(integration.id)}` },
                'Send test event',
              ),
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger small',
                  onclick: () => remove(integration, draw),
                  'aria-label': `Delete ${integration.name}`,
                },
                'Delete',
              ),
            ),
          );
        }),
      ),
    );
  }

  await draw();
}

function stateOf(integration) {
  return [integration.enabled ? 'On' : 'Off'];
}

function pausedNote(integration, redraw) {
  const resume = h('button', { type: 'button', class: 'secondary small' }, 'Resume');
  resume.addEventListener('click', async () => {
    await api('PATCH', `integrations/${encodeURIComponent(integration.id)}`, { resume: true });
    toast(`${integration.name} resumed: parked events are sent again.`);
    await redraw();
  });
  return h('p', { class: 'paused' }, badge('Paused', 'failed'), ' ', integration.paused_reason, ' ', resume);
}

/** Asks before deleting an integration. */
export function remove(integration, after) {
  openDialog(`Delete “${integration.name}”?`, (close) => {
    const button = h('button', { type: 'button', class: 'danger' }, 'Delete integration');
    button.addEventListener('click', async () => {
      try {
        await api('DELETE', `integrations/${encodeURIComponent(integration.id)}`);
        close();
        toast(`Integration “${integration.name}” deleted.`);
        await after();
      } catch (error) {
        toast(errorMessage(error), 'error');
      }
    });
    return [
      h(
        'p',
        {},
        'Events stop going to this pixel; events waiting to be sent to it are dropped. Its past deliveries stay in the debugger.',
      ),
      h('div', { class: 'buttons' }, button, h('button', { type: 'button', class: 'secondary', onclick: close }, 'Cancel')),
    ];
  });
}
