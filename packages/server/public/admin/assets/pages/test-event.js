// @ts-check
// Send test event: one event to Snapchat's validation endpoint, which checks it and lists it under
// Test Events without counting it; the request and Snapchat's answer are shown as they were.
import { api, ApiError, errorMessage } from '../api.js';
import { badge, errorList, field, fill, h, jsonBlock, select } from '../dom.js';

const SAMPLE_MESSAGE = {
  type: 'track',
  event: 'Order Completed',
  userId: 'user-1234',
  properties: {
    order_id: 'ORD-TEST-1',
    revenue: 59.97,
    currency: 'GBP',
    products: [{ product_id: 'SKU-1', price: 19.99, quantity: 3 }],
  },
  context: {
    page: { url: 'https://shop.example.com/thanks' },
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (Datafirst test event)',
    traits: { email: 'jane@example.com' },
  },
};

/** Draws the test-event page (?integration= preselects one). */
export async function render(main, ctx) {
  const [{ sources }, { integrations }] = await Promise.all([
    api('GET', 'sources', undefined, { signal: ctx.signal }),
    api('GET', 'integrations', undefined, { signal: ctx.signal }),
  ]);
  if (ctx.signal.aborted) return;
  if (integrations.length === 0) {
    fill(
      main,
      h('h1', {}, 'Send test event'),
      h('p', { class: 'empty' }, 'There is no integration to test yet: ', h('a', { href: '#/integrations/new' }, 'add one'), '.'),
    );
    return;
  }
  const groups = sources
    .map((source) => ({
      group: source.name,
      options: integrations.filter((i) => i.source_id === source.id).map((i) => [i.id, `${i.name} (${i.config.pixel_id})`]),
    }))
    .filter((group) => group.options.length > 0);
  const integration = select({ name: 'integration' }, groups, ctx.query.get('integration') ?? integrations[0].id);
  const code = h('input', { name: 'test_event_code', autocomplete: 'off', spellcheck: 'false', placeholder: 'optional' });
  const useSample = h('input', { type: 'radio', name: 'kind', value: 'sample', checked: true, id: 'kind-sample' });
  const useOwn = h('input', { type: 'radio', name: 'kind', value: 'own', id: 'kind-own' });
  const message = h(
    'textarea',
    { name: 'message', rows: 14, class: 'mono', spellcheck: 'false', hidden: true, 'aria-label': 'Message (JSON)' },
    JSON.stringify(SAMPLE_MESSAGE, null, 2),
  );
  const toggle = () => (message.hidden = !useOwn.checked);
  useSample.addEventListener('change', toggle);
  useOwn.addEventListener('change', toggle);
  const button = h('button', { type: 'submit', class: 'primary' }, 'Send test event');
  const result = h('section', { class: 'result', 'aria-live': 'polite' });

  const form = h(
    'form',
    { class: 'card', novalidate: true },
    field('Integration', integration),
    field('Test event code', code, 'From Snapchat Events Manager → Test Events, to see the event there. Optional.'),
    h(
      'fieldset',
      { class: 'radios' },
      h('legend', {}, 'Event'),
      h(
        'div',
        { class: 'field check' },
        useSample,
        h('label', { for: 'kind-sample' }, 'A sample event (a page view, or an app open for app integrations)'),
      ),
      h(
        'div',
        { class: 'field check' },
        useOwn,
        h('label', { for: 'kind-own' }, 'My own message (Segment-style JSON, as your pages or servers send it)'),
      ),
      message,
    ),
    button,
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {};
    if (code.value.trim()) body.test_event_code = code.value.trim();
    if (useOwn.checked) {
      try {
        body.message = JSON.parse(message.value);
      } catch (error) {
        fill(result, errorList([`message: not valid JSON (${errorMessage(error)})`]));
        return;
      }
    }
    button.disabled = true;
    button.textContent = 'Sending…';
    try {
      const answer = await api('POST', `integrations/${encodeURIComponent(integration.value)}/test`, body);
      fill(result, answerView(answer));
    } catch (error) {
      fill(result, h('h2', {}, 'Not sent'), errorList(error instanceof ApiError ? error.errors : [String(error)]));
    } finally {
      button.disabled = false;
      button.textContent = 'Send test event';
    }
  });

  fill(
    main,
    h('h1', {}, 'Send test event'),
    h(
      'p',
      { class: 'lead' },
      'Sends one event to Snapchat’s validation endpoint: Snapchat checks it and lists it under Test Events, without counting it as a conversion.',
    ),
    form,
    result,
  );
}

/** The request as sent and Snapchat's answer. */
function answerView(answer) {
  const status = answer.response.status;
  const verdict = answer.response.body?.status;
  const ok = answer.outcome.kind === 'delivered' && verdict !== 'INVALID';
  const tone = status === null ? 'failed' : ok ? 'delivered' : 'failed';
  const summary =
    status === null
      ? 'Snapchat did not answer.'
      : `HTTP ${status}${verdict ? `, ${verdict}` : ''}${answer.response.body?.reason ? `: ${answer.response.body.reason}` : ''}`;
  return [
    h('h2', {}, 'Snapchat’s answer'),
    h(
      'p',
      { class: 'verdict' },
      badge(status === null ? 'No answer' : ok ? 'Valid' : 'Invalid', tone),
      ' ',
      h('span', { class: 'answer-summary' }, summary),
      ' ',
      h('span', { class: 'muted' }, `(${answer.duration_ms} ms)`),
    ),
    h(
      'div',
      { class: 'stages two' },
      h(
        'section',
        {},
        h('h3', {}, 'Request'),
        h('p', {}, h('code', { class: 'break' }, `POST ${answer.request.url}`)),
        jsonBlock(answer.request.body, 'Request body'),
      ),
      h(
        'section',
        {},
        h('h3', {}, `Answer${status === null ? '' : ` (HTTP ${status})`}`),
        jsonBlock(answer.response.body ?? null, 'Answer body'),
        answer.outcome.kind !== 'delivered'
          ? h(
              'p',
              { class: 'hint' },
              `Classified as: ${answer.outcome.kind}${answer.outcome.reason ? ` (${answer.outcome.reason})` : ''}`,
            )
          : null,
      ),
    ),
  ];
}
