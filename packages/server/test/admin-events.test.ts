import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestCollector, type TestCollector } from './start-collector.js';
import { call, createIntegration, createSource, openStream, signIn } from './admin-helpers.js';

let collector: TestCollector;
let source: { id: string; writeKey: string };
let integrationId: string;
beforeAll(async () => {
  // The worker runs: events go to the built-in Snapchat mock, so their state changes after arrival.
  collector = await startTestCollector();
  source = await createSource(collector, 'Events');
  integrationId = (await createIntegration(collector, source.id, { name: 'Events pixel' })).id;
});
afterAll(() => collector.stopAndClean());

const page = { url: 'https://shop.example.com/p?ScCid=click-1' };
const browser = { ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (test)' };

async function track(
  messageId: string,
  event: string,
  context: Record<string, unknown> = {},
  properties: Record<string, unknown> = {},
) {
  const res = await collector.post('/v1/batch', {
    writeKey: source.writeKey,
    batch: [{ type: 'track', event, messageId, anonymousId: 'anon-e', properties, context: { page, ...browser, ...context } }],
  });
  expect(res.status).toBe(200);
}

async function settled(messageId: string) {
  let found: any;
  await expect
    .poll(async () => {
      const { body } = await call(collector, 'GET', `/v1/admin/events?source_id=${source.id}&limit=500`);
      found = body.events.find((e: any) => e.message.messageId === messageId);
      return found?.deliveries.every((d: any) => d.status !== 'pending') ?? false;
    })
    .toBe(true);
  return found;
}

describe('GET /v1/admin/events', () => {
  it("shows each event with its identifiers, the payload as sent and Snapchat's answer", async () => {
    await track('ev-1', 'Product Viewed', {
      snapchat: { clickId: 'click-1', cookie1: 'scid-1' },
      traits: { email: 'Jane@Example.com' },
    });
    const event = await settled('ev-1');
    expect(event).toEqual({
      id: expect.any(Number),
      source_id: source.id,
      name: 'Product Viewed',
      received_at: expect.any(String),
      message: expect.objectContaining({ messageId: 'ev-1', event: 'Product Viewed' }),
      identifiers: { click_id: true, scid: true, email: true, phone: false, ip_user_agent: true },
      deliveries: [
        {
          id: expect.any(Number),
          integration_id: integrationId,
          integration_name: 'Events pixel',
          status: 'delivered',
          attempts: 1,
          reason_code: null,
          reason: null,
          next_attempt_at: null,
          payload: {
            url: expect.stringContaining('access_token=***'),
            event: expect.objectContaining({ event_name: 'VIEW_CONTENT' }),
          },
          response: { status: 200, body: { status: 'VALID', reason: 'Events have been processed successfully.' } },
          history: [{ at: expect.any(String), status: 'delivered', httpStatus: 200, reasonCode: null, reason: null }],
          updated_at: expect.any(String),
        },
      ],
    });
    expect(event.deliveries[0].payload.event.user_data.em).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('says why an event was not sent', async () => {
    await track('ev-unmapped', 'Video Played');
    const event = await settled('ev-unmapped');
    expect(event.deliveries[0]).toMatchObject({
      status: 'skipped',
      reason: 'unmapped: no Snapchat event is mapped for track "Video Played"; add it to event_map',
    });
  });

  it('keeps no write key from a single-message body, nor one a sender put inside a batch message', async () => {
    const single = await collector.post('/v1/track', {
      writeKey: source.writeKey,
      event: 'Signed Up',
      messageId: 'ev-key',
      anonymousId: 'a',
    });
    expect(single.status).toBe(200);
    const batch = await collector.post('/v1/batch', {
      writeKey: source.writeKey,
      batch: [{ type: 'track', writeKey: source.writeKey, event: 'Signed Up', messageId: 'ev-key-2', anonymousId: 'a' }],
    });
    expect(batch.status).toBe(200);
    const { body } = await call(collector, 'GET', `/v1/admin/events?source_id=${source.id}&limit=500`);
    expect(JSON.stringify(body)).not.toContain(source.writeKey);
    const message = (id: string) => body.events.find((e: any) => e.message.messageId === id).message;
    expect(message('ev-key')).not.toHaveProperty('writeKey');
    expect(message('ev-key-2')).not.toHaveProperty('writeKey');
  });

  it('refuses an unknown status, a bad limit and a bad after_id with 400', async () => {
    expect(await call(collector, 'GET', '/v1/admin/events?status=lost&limit=0')).toEqual({
      status: 400,
      body: {
        error: 'status: one of pending, delivered, skipped, failed, blocked, dead; limit: an integer from 1 to 500',
        errors: ['status: one of pending, delivered, skipped, failed, blocked, dead', 'limit: an integer from 1 to 500'],
      },
    });
    expect((await call(collector, 'GET', '/v1/admin/events?after_id=abc')).body.errors).toEqual([
      'after_id: an event id (integer)',
    ]);
  });
});

describe('GET /v1/admin/events/stream', () => {
  it('streams a new event as it arrives and again when it is delivered, without asking twice', async () => {
    const stream = await openStream(collector, `?source_id=${source.id}`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
      await stream.waitFor((m) => m.event === 'ready');
      await track('live-1', 'Product Added', { snapchat: { clickId: 'click-9' } });
      const arrived = await stream.waitFor((m) => m.event === 'event' && m.data.message.messageId === 'live-1');
      expect(arrived.data.identifiers).toEqual({ click_id: true, scid: false, email: false, phone: false, ip_user_agent: true });
      const delivered = await stream.waitFor(
        (m) => m.event === 'event' && m.data.message.messageId === 'live-1' && m.data.deliveries[0].status === 'delivered',
      );
      expect(delivered.data.deliveries[0].payload.event.event_name).toBe('ADD_CART');
      expect(delivered.data.deliveries[0].response).toEqual({
        status: 200,
        body: { status: 'VALID', reason: 'Events have been processed successfully.' },
      });
      // Each state is sent once: nothing repeats while nothing changes.
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const states = stream.messages
        .filter((m) => m.event === 'event' && m.data.message.messageId === 'live-1')
        .map((m) => m.data.deliveries[0].status);
      expect(new Set(states).size).toBe(states.length);
    } finally {
      stream.close();
    }
  });

  it('starts with the latest matching events, filtered by source, integration, status and name', async () => {
    await track('filter-1', 'Signed Up');
    await settled('filter-1');
    const other = await createSource(collector, 'Other');
    const stream = await openStream(
      collector,
      `?source_id=${source.id}&integration_id=${integrationId}&status=delivered&name=Signed%20Up&limit=5`,
    );
    const otherStream = await openStream(collector, `?source_id=${other.id}`);
    try {
      await stream.waitFor((m) => m.event === 'ready');
      const names = stream.messages.filter((m) => m.event === 'event').map((m) => [m.data.name, m.data.deliveries[0].status]);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every(([name, status]) => name === 'Signed Up' && status === 'delivered')).toBe(true);
      await otherStream.waitFor((m) => m.event === 'ready');
      await track('filter-2', 'Product Viewed');
      await stream
        .waitFor((m) => m.event === 'event' && m.data.message.messageId === 'filter-2', 1500)
        .then(
          () => expect.fail('an event of another name came through the filter'),
          () => undefined,
        );
      expect(otherStream.messages.filter((m) => m.event === 'event')).toEqual([]);
    } finally {
      stream.close();
      otherStream.close();
    }
  });

  it('works for a signed-in admin UI session, and ends when it signs out', async () => {
    const session = await signIn(collector, ADMIN_TOKEN);
    const stream = await openStream(collector, '', { cookie: session.cookie });
    await stream.waitFor((m) => m.event === 'ready');
    await session.call('DELETE', '/v1/admin/session');
    await stream.waitFor((m) => m.event === 'signed-out', 5000);
  });

  it('refuses bad filters with 400 before streaming', async () => {
    const stream = await openStream(collector, '?status=nope');
    expect(stream.status).toBe(400);
    expect(stream.contentType).toBe('application/json; charset=utf-8');
  });
});

describe('GET /v1/admin/delivery-health', () => {
  it('counts delivered, retried and failed tries per minute, with the backlog and the last error', async () => {
    const healthy = await createSource(collector, 'Healthy');
    const pixel = await createIntegration(collector, healthy.id, { name: 'Healthy pixel' });
    const res = await collector.post('/v1/batch', {
      writeKey: healthy.writeKey,
      batch: ['health-1', 'health-2'].map((messageId) => ({
        type: 'page',
        messageId,
        anonymousId: 'a',
        context: { page, ...browser },
      })),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(
        async () => (await call(collector, 'GET', `/v1/admin/delivery-health?integration_id=${pixel.id}`)).body.totals.delivered,
      )
      .toBe(2);
    const { status, body } = await call(collector, 'GET', `/v1/admin/delivery-health?minutes=5&integration_id=${pixel.id}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      window_minutes: 5,
      integration_id: pixel.id,
      per_minute: expect.any(Array),
      totals: { delivered: 2, retried: 0, failed: 0, parked: 0 },
      backlog: { pending: 0, due: 0, oldest_pending_at: null, blocked: 0, dead: 0 },
      last_error: null,
    });
    expect(body.per_minute).toHaveLength(5);
    expect(body.per_minute.map((m: any) => Date.parse(m.minute) % 60_000)).toEqual([0, 0, 0, 0, 0]);
    expect(body.per_minute.reduce((sum: number, m: any) => sum + m.delivered, 0)).toBe(2);
    // With no filter, every integration's tries count, and the last error of any of them shows.
    const all = await call(collector, 'GET', '/v1/admin/delivery-health');
    expect(all.body.per_minute).toHaveLength(60);
    expect(all.body.totals.delivered).toBeGreaterThanOrEqual(2);
  });

  it('names the last error: here a Snapchat outage that is being retried', async () => {
    const broken = await createSource(collector, 'Outage');
    const pixel = await createIntegration(collector, broken.id, { name: 'Outage pixel' });
    // The mock fails the next send with a 503: a retry.
    const fault = await collector.admin('/snapchat-mock/__mock/faults', {
      method: 'PUT',
      body: JSON.stringify({ mode: 'status', status: 503, count: 1, route: 'send' }),
    });
    expect(fault.status).toBe(200);
    const res = await collector.post('/v1/batch', {
      writeKey: broken.writeKey,
      batch: [{ type: 'track', event: 'Product Viewed', messageId: 'outage-1', anonymousId: 'a', context: { page, ...browser } }],
    });
    expect(res.status).toBe(200);
    await expect
      .poll(async () => (await call(collector, 'GET', `/v1/admin/delivery-health?integration_id=${pixel.id}`)).body.last_error)
      .toEqual({
        at: expect.any(String),
        event_id: expect.any(Number),
        delivery_id: expect.any(Number),
        integration_id: pixel.id,
        integration_name: 'Outage pixel',
        status: 'pending',
        http_status: 503,
        reason_code: 'destination_unavailable',
        reason: expect.stringMatching(/^retrying: /),
      });
  });

  it('refuses a window that is not 1 to 1440 minutes with 400', async () => {
    expect(await call(collector, 'GET', '/v1/admin/delivery-health?minutes=0')).toEqual({
      status: 400,
      body: { error: 'minutes: an integer from 1 to 1440', errors: ['minutes: an integer from 1 to 1440'] },
    });
  });
});

describe('GET /v1/admin/match-quality', () => {
  it('gives per integration the share of events carrying each identifier, last hour and day', async () => {
    const quality = await createSource(collector, 'Match');
    const pixel = await createIntegration(collector, quality.id, { name: 'Match pixel' });
    const page = { url: 'https://shop.example.com/' };
    const res = await collector.post('/v1/batch', {
      writeKey: quality.writeKey,
      batch: [
        { type: 'page', messageId: 'mq-1', anonymousId: 'a', context: { page, ...browser, snapchat: { clickId: 'c' } } },
        { type: 'page', messageId: 'mq-2', anonymousId: 'a', context: { page, ...browser, traits: { email: 'a@b.co' } } },
        { type: 'page', messageId: 'mq-3', anonymousId: 'a', context: { page, ...browser, traits: { phone: '+447700900123' } } },
        {
          type: 'page',
          messageId: 'mq-4',
          anonymousId: 'a',
          context: { page, ...browser, snapchat: { clickId: 'c', cookie1: 's' } },
        },
      ],
    });
    expect(res.status).toBe(200);
    const counts = { events: 4, carrying: { click_id: 2, scid: 1, email: 1, phone: 1, ip_user_agent: 4 } };
    const share = { click_id: 0.5, scid: 0.25, email: 0.25, phone: 0.25, ip_user_agent: 1 };
    expect(await call(collector, 'GET', `/v1/admin/match-quality?source_id=${quality.id}`)).toEqual({
      status: 200,
      body: {
        counted_at: expect.any(String),
        identifiers: ['click_id', 'scid', 'email', 'phone', 'ip_user_agent'],
        integrations: [
          {
            integration_id: pixel.id,
            integration_name: 'Match pixel',
            source_id: quality.id,
            last_hour: { ...counts, share },
            last_day: { ...counts, share },
          },
        ],
      },
    });
  });

  it('lists an integration without events with zero counts and no shares', async () => {
    const quiet = await createSource(collector, 'Quiet');
    const pixel = await createIntegration(collector, quiet.id, { name: 'Quiet pixel' });
    const { body } = await call(collector, 'GET', `/v1/admin/match-quality?integration_id=${pixel.id}`);
    const none = { click_id: 0, scid: 0, email: 0, phone: 0, ip_user_agent: 0 };
    const noShare = { click_id: null, scid: null, email: null, phone: null, ip_user_agent: null };
    expect(body.integrations).toEqual([
      {
        integration_id: pixel.id,
        integration_name: 'Quiet pixel',
        source_id: quiet.id,
        last_hour: { events: 0, carrying: none, share: noShare },
        last_day: { events: 0, carrying: none, share: noShare },
      },
    ]);
  });
});

describe('GET /v1/admin/snapchat', () => {
  it('gives the Snapchat event names and default mapping the event-mapping editor offers', async () => {
    const { status, body } = await call(collector, 'GET', '/v1/admin/snapchat');
    expect(status).toBe(200);
    expect(body.event_names).toHaveLength(31);
    expect(body.event_names).toContain('CUSTOM_EVENT_5');
    expect(body.default_event_map).toMatchObject({
      page: 'PAGE_VIEW',
      'Order Completed': 'PURCHASE',
      'Trial Started': 'START_TRIAL',
    });
    expect(body.action_sources).toEqual(['WEB', 'MOBILE_APP', 'OFFLINE']);
    expect(body.api_versions).toEqual(['v3', 'v2']);
  });
});
