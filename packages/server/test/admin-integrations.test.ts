import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, call, createIntegration, createSource, OTHER_PIXEL_ID, PIXEL_ID } from './admin-helpers.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
let sourceId: string;
beforeAll(async () => {
  collector = await startTestCollector(['--no-worker']);
  sourceId = (await createSource(collector, 'Integrations')).id;
});
afterAll(() => collector.stopAndClean());

const integrationShape = (extra: Record<string, unknown> = {}) => ({
  id: expect.stringMatching(/^int_/),
  source_id: sourceId,
  vendor: 'snapchat',
  name: 'Main pixel',
  enabled: true,
  config: { pixel_id: PIXEL_ID, access_token: '****CRET' },
  consent_categories: ['advertising'],
  paused_reason: null,
  created_at: expect.any(String),
  updated_at: expect.any(String),
  ...extra,
});

/** POSTs an integration and expects 400 with exactly these errors. */
async function expectRefused(body: Record<string, unknown>, errors: string[]) {
  const result = await call(collector, 'POST', '/v1/admin/integrations', {
    source_id: sourceId,
    vendor: 'snapchat',
    config: { pixel_id: PIXEL_ID, access_token: ACCESS_TOKEN },
    ...body,
  });
  expect(result).toEqual({ status: 400, body: { error: errors.join('; '), errors } });
}

describe('POST /v1/admin/integrations', () => {
  it('creates a Snapchat integration with defaults and masks its access token', async () => {
    const created = await createIntegration(collector, sourceId);
    expect(created).toEqual(integrationShape());
  });

  it('takes every setting: snap app id, API version, action source, phone country, event map, consent, rate limits', async () => {
    const config = {
      pixel_id: PIXEL_ID,
      access_token: ACCESS_TOKEN,
      snap_app_id: OTHER_PIXEL_ID,
      api_version: 'v2',
      action_source: 'web',
      phone_default_country: 'gb',
      event_map: { 'Newsletter Joined': 'sign_up', 'Video Played': 'CUSTOM_EVENT_1', 'Product Viewed': null },
      rate_limit_rps: 20,
      rate_limit_burst: 40,
    };
    const created = await createIntegration(collector, sourceId, {
      name: 'Full',
      enabled: false,
      config,
      consent_categories: ['advertising', 'C0004'],
    });
    expect(created).toEqual(
      integrationShape({
        name: 'Full',
        enabled: false,
        consent_categories: ['advertising', 'C0004'],
        config: {
          ...config,
          access_token: '****CRET',
          action_source: 'WEB',
          phone_default_country: 'GB',
          event_map: { 'Newsletter Joined': 'SIGN_UP', 'Video Played': 'CUSTOM_EVENT_1', 'Product Viewed': null },
        },
      }),
    );
  });

  it('attaches several pixels to one source', async () => {
    const source = await createSource(collector, 'Two pixels');
    await createIntegration(collector, source.id, { name: 'Pixel A' });
    await createIntegration(collector, source.id, {
      name: 'Pixel B',
      config: { pixel_id: OTHER_PIXEL_ID, access_token: 'other-token' },
    });
    const { body } = await call(collector, 'GET', `/v1/admin/integrations?source_id=${source.id}`);
    expect(body.integrations.map((i: { name: string; config: { pixel_id: string } }) => [i.name, i.config.pixel_id])).toEqual([
      ['Pixel A', PIXEL_ID],
      ['Pixel B', OTHER_PIXEL_ID],
    ]);
  });

  it('names an unknown Snapchat event, and the event it probably meant', async () => {
    await expectRefused(
      { config: { pixel_id: PIXEL_ID, access_token: ACCESS_TOKEN, event_map: { Bought: 'BUY', Carted: 'ADD_TO_CART' } } },
      [
        'config.event_map.Bought: "BUY" is not a Snapchat event; use a Snapchat event name (e.g. PURCHASE, CUSTOM_EVENT_1) or null',
        'config.event_map.Carted: "ADD_TO_CART" is not a Snapchat event; use ADD_CART',
      ],
    );
  });

  it('refuses a pixel id of the wrong shape and a missing access token', async () => {
    await expectRefused({ config: { pixel_id: '12345' } }, [
      'config.pixel_id: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)',
      'config.access_token: is required',
    ]);
  });

  it('refuses bad API versions, action sources, countries and unknown settings', async () => {
    await expectRefused(
      {
        config: {
          pixel_id: PIXEL_ID,
          access_token: ACCESS_TOKEN,
          api_version: 'v4',
          action_source: 'TV',
          phone_default_country: 'XX',
          colour: 'red',
        },
      },
      [
        'config.colour: is not a Snapchat setting (known: pixel_id, access_token, snap_app_id, app_id, api_version, action_source, site_url, phone_default_country, event_map, field_map, limited_data_use, ldu_country, ldu_state, rate_limit_rps, rate_limit_burst)',
        'config.api_version: must be "v3" (default) or "v2"',
        'config.action_source: must be WEB, MOBILE_APP or OFFLINE',
        'config.phone_default_country: must be an ISO 3166-1 alpha-2 country code, such as US or GB',
      ],
    );
  });

  it('refuses rate limits that are not positive or above what Snapchat advises', async () => {
    await expectRefused(
      { config: { pixel_id: PIXEL_ID, access_token: ACCESS_TOKEN, rate_limit_rps: 0, rate_limit_burst: 0.5 } },
      ['config.rate_limit_rps: must be a number above 0', 'config.rate_limit_burst: must be a number of at least 1'],
    );
    await expectRefused(
      { config: { pixel_id: PIXEL_ID, access_token: ACCESS_TOKEN, rate_limit_rps: 5000, rate_limit_burst: 20_000 } },
      [
        'config.rate_limit_rps: at most 1000 (Snapchat advises no more requests a second)',
        'config.rate_limit_burst: at most 10000',
      ],
    );
  });

  it('refuses consent categories that are not a list of distinct names', async () => {
    await expectRefused({ consent_categories: 'advertising' }, [
      'consent_categories: an array of category names such as ["advertising"] ([] sends regardless of consent)',
    ]);
    await expectRefused({ consent_categories: ['advertising', 'ads & more', 'advertising'] }, [
      'consent_categories: "ads & more" is not a category name (letters, digits, _ . : -)',
      'consent_categories: each category at most once',
    ]);
  });

  it('refuses an unknown source, another vendor, a bad name or enabled flag, and unknown fields, all at once', async () => {
    await expectRefused({ source_id: 'src_nope', vendor: 'tiktok', name: '', enabled: 'yes', colour: 'red' }, [
      'colour: unknown field (known: source_id, vendor, name, enabled, config, consent_categories)',
      'source_id: no such source',
      'vendor: must be "snapchat" (the only destination so far)',
      'name: a non-empty string of at most 200 characters',
      'enabled: true or false',
    ]);
  });
});

describe('GET /v1/admin/integrations', () => {
  it('reads one integration, and answers 404 for an unknown one', async () => {
    const created = await createIntegration(collector, sourceId);
    expect(await call(collector, 'GET', `/v1/admin/integrations/${created.id}`)).toEqual({ status: 200, body: created });
    expect(await call(collector, 'GET', '/v1/admin/integrations/int_nope')).toEqual({
      status: 404,
      body: { error: 'no such integration' },
    });
  });
});

describe('PATCH /v1/admin/integrations/:id', () => {
  it('disables and enables an integration', async () => {
    const created = await createIntegration(collector, sourceId);
    const off = await call(collector, 'PATCH', `/v1/admin/integrations/${created.id}`, { enabled: false });
    expect(off.body.enabled).toBe(false);
    const on = await call(collector, 'PATCH', `/v1/admin/integrations/${created.id}`, { enabled: true });
    expect(on.body.enabled).toBe(true);
  });

  it('merges a config patch, keeping the write-only token, and replaces the event map whole', async () => {
    const created = await createIntegration(collector, sourceId, {
      config: { pixel_id: PIXEL_ID, access_token: ACCESS_TOKEN, event_map: { A: 'SAVE' } },
    });
    const { status, body } = await call(collector, 'PATCH', `/v1/admin/integrations/${created.id}`, {
      config: { event_map: { 'Video Played': 'CUSTOM_EVENT_2', 'Signed Up': null }, phone_default_country: 'US' },
      consent_categories: [],
    });
    expect(status).toBe(200);
    expect(body.config).toEqual({
      pixel_id: PIXEL_ID,
      access_token: '****CRET',
      phone_default_country: 'US',
      event_map: { 'Video Played': 'CUSTOM_EVENT_2', 'Signed Up': null },
    });
    expect(body.consent_categories).toEqual([]);
    // The real token is still there: a test event authenticates with it.
    const test = await call(collector, 'POST', `/v1/admin/integrations/${created.id}/test`, {});
    expect(test.body.response.status).toBe(200);
  });

  it('keeps the real token when the masked value is sent back, and clears optional settings with null', async () => {
    const created = await createIntegration(collector, sourceId, {
      config: { pixel_id: PIXEL_ID, access_token: ACCESS_TOKEN, snap_app_id: OTHER_PIXEL_ID },
    });
    const round = await call(collector, 'PATCH', `/v1/admin/integrations/${created.id}`, {
      config: { ...created.config, snap_app_id: null },
    });
    expect(round.body.config).toEqual({ pixel_id: PIXEL_ID, access_token: '****CRET' });
    const test = await call(collector, 'POST', `/v1/admin/integrations/${created.id}/test`, {});
    expect(test.body.request.url).toBe(`${collector.snapchatApiUrl}/v3/${PIXEL_ID}/events/validate?access_token=***`);
    expect(test.body.response.status).toBe(200);
  });

  it('changes the access token when a new one is given', async () => {
    const created = await createIntegration(collector, sourceId);
    const { body } = await call(collector, 'PATCH', `/v1/admin/integrations/${created.id}`, {
      config: { access_token: 'a-brand-new-token' },
    });
    expect(body.config.access_token).toBe('****oken');
  });

  it('refuses invalid changes with 400 and changes nothing', async () => {
    const created = await createIntegration(collector, sourceId);
    expect(
      await call(collector, 'PATCH', `/v1/admin/integrations/${created.id}`, {
        source_id: sourceId,
        name: 'Renamed',
        config: { event_map: { X: 'NOPE' }, pixel_id: 'bad' },
      }),
    ).toEqual({
      status: 400,
      body: {
        error:
          'source_id: cannot be changed; config.pixel_id: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager); ' +
          'config.event_map.X: "NOPE" is not a Snapchat event; use a Snapchat event name (e.g. PURCHASE, CUSTOM_EVENT_1) or null',
        errors: [
          'source_id: cannot be changed',
          'config.pixel_id: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)',
          'config.event_map.X: "NOPE" is not a Snapchat event; use a Snapchat event name (e.g. PURCHASE, CUSTOM_EVENT_1) or null',
        ],
      },
    });
    expect((await call(collector, 'GET', `/v1/admin/integrations/${created.id}`)).body.name).toBe('Main pixel');
    expect((await call(collector, 'PATCH', `/v1/admin/integrations/${created.id}`, { enabled: 'no' })).body.errors).toEqual([
      'enabled: true or false',
    ]);
    expect(await call(collector, 'PATCH', '/v1/admin/integrations/int_nope', { enabled: false })).toEqual({
      status: 404,
      body: { error: 'no such integration' },
    });
  });
});

describe('DELETE /v1/admin/integrations/:id', () => {
  it('deletes an integration, then answers 404', async () => {
    const created = await createIntegration(collector, sourceId);
    expect(await call(collector, 'DELETE', `/v1/admin/integrations/${created.id}`)).toEqual({ status: 204, body: undefined });
    expect(await call(collector, 'DELETE', `/v1/admin/integrations/${created.id}`)).toEqual({
      status: 404,
      body: { error: 'no such integration' },
    });
  });
});

describe('POST /v1/admin/integrations/:id/test', () => {
  it("sends a test event to Snapchat's validation endpoint and shows the request and the answer", async () => {
    const created = await createIntegration(collector, sourceId);
    const { status, body } = await call(collector, 'POST', `/v1/admin/integrations/${created.id}/test`, {
      test_event_code: 'TEST123',
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      request: {
        url: `${collector.snapchatApiUrl}/v3/${PIXEL_ID}/events/validate?access_token=***`,
        body: {
          data: [
            expect.objectContaining({
              event_name: 'PAGE_VIEW',
              action_source: 'WEB',
              event_source_url: 'https://example.com/datafirst-test',
              test_event_code: 'TEST123',
            }),
          ],
        },
      },
      response: { status: 200, body: expect.objectContaining({ status: 'VALID', test_event: true }) },
      outcome: { kind: 'delivered', failed: [] },
      duration_ms: expect.any(Number),
    });
    expect(JSON.stringify(body)).not.toContain(ACCESS_TOKEN);
  });

  it('refuses a message that cannot be sent, an invalid message, and unknown fields with 400', async () => {
    const created = await createIntegration(collector, sourceId);
    const unmapped = await call(collector, 'POST', `/v1/admin/integrations/${created.id}/test`, {
      message: { type: 'track', event: 'Nothing Mapped', anonymousId: 'a', context: { page: { url: 'https://x.example/' } } },
    });
    expect(unmapped).toEqual({
      status: 400,
      body: {
        error:
          'message: the test event cannot be sent: unmapped: no Snapchat event is mapped for track "Nothing Mapped"; add it to event_map',
        errors: [
          'message: the test event cannot be sent: unmapped: no Snapchat event is mapped for track "Nothing Mapped"; add it to event_map',
        ],
      },
    });
    const invalid = await call(collector, 'POST', `/v1/admin/integrations/${created.id}/test`, {
      message: { type: 'track', anonymousId: 'a' },
    });
    expect(invalid).toEqual({
      status: 400,
      body: {
        error: 'message.event: a track call needs an event name',
        errors: ['message.event: a track call needs an event name'],
      },
    });
    expect((await call(collector, 'POST', `/v1/admin/integrations/${created.id}/test`, { code: 'x' })).body.errors).toEqual([
      'code: unknown field (known: message, test_event_code)',
    ]);
    expect(await call(collector, 'POST', '/v1/admin/integrations/int_nope/test', {})).toEqual({
      status: 404,
      body: { error: 'no such integration' },
    });
  });
});
