import { startSnapchatMock, type SnapchatMock } from '@datafirst/snapchat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntegration, IP, postBatch, receivedEvents, sha256, UA, type AdminEvent } from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

// Deliveries that wait for a fix rather than fail for good: a server-side event without a page
// URL is parked until the integration's site URL is saved, and a failed delivery is replayed once
// its cause is fixed. A real collector and worker deliver to the Snapchat mock.
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const SNAP_APP = '1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const TOKEN = 'parked-token';
const SITE_URL = 'https://shop.example.com';
const EMAIL = 'buyer@example.com';

let mock: SnapchatMock;
let collector: TestCollector;

beforeAll(async () => {
  mock = await startSnapchatMock({ tokens: { [TOKEN]: [PIXEL, SNAP_APP] } });
  collector = await startTestCollector(['--snapchat-url', mock.url]);
});
afterAll(async () => {
  await collector?.stopAndClean();
  await mock?.close();
});

/** A delivery as the admin API shows it, with the fields these tests read. */
interface Delivery {
  id: number;
  status: string;
  reason_code: string | null;
  reason: string | null;
}

/** The one delivery of an event, once it has one of `statuses`. */
async function deliveryOnce(sourceId: string, messageId: string, statuses: string[]): Promise<Delivery> {
  let found: Delivery | undefined;
  await expect
    .poll(
      async () => {
        const res = await collector.admin(`/v1/admin/events?source_id=${sourceId}&limit=500`);
        const events = ((await res.json()) as { events: AdminEvent[] }).events;
        const event = events.find((candidate) => candidate.message.messageId === messageId);
        found = event?.deliveries[0] as Delivery | undefined;
        return found !== undefined && statuses.includes(found.status);
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe(true);
  return found!;
}

/** Events the mock accepted for the pixel or the Snap app, by event id. */
const atMock = (assetId: string) =>
  receivedEvents(mock.requests().filter((request) => request.assetId === assetId && request.response?.status === 200));

/** A track sent from a server: an email, the buyer's IP and user agent, and no page URL. */
function serverTrack(messageId: string, extraContext: Record<string, unknown> = {}) {
  return {
    type: 'track',
    event: 'Product Viewed',
    messageId,
    userId: 'u-1',
    properties: { product_id: 'SKU-1' },
    context: { ip: IP, userAgent: UA, traits: { email: EMAIL }, ...extraContext },
  };
}

async function patchConfig(integrationId: string, config: Record<string, unknown>): Promise<void> {
  const res = await collector.admin(`/v1/admin/integrations/${integrationId}`, {
    method: 'PATCH',
    body: JSON.stringify({ config }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

describe('server-side events without a page URL', () => {
  it('parks them until the site URL is saved, then delivers them with it; later ones use it at once', async () => {
    const { sourceId, writeKey, integrationId } = await createIntegration(collector, 'Parked', {
      pixel_id: PIXEL,
      access_token: TOKEN,
    });
    await postBatch(collector, writeKey, [serverTrack('park-1')]);
    const parked = await deliveryOnce(sourceId, 'park-1', ['blocked', 'failed', 'delivered']);
    expect(parked).toMatchObject({
      status: 'blocked',
      reason_code: 'missing_event_source_url',
      reason: "missing_event_source_url: WEB events need context.page.url or properties.url, or the integration's site_url",
    });
    expect(atMock(PIXEL).has('park-1')).toBe(false);

    await patchConfig(integrationId, { site_url: SITE_URL });
    await deliveryOnce(sourceId, 'park-1', ['delivered']);
    expect(atMock(PIXEL).get('park-1')).toMatchObject({
      event_name: 'VIEW_CONTENT',
      action_source: 'WEB',
      event_id: 'park-1',
      event_source_url: SITE_URL,
      user_data: { em: [sha256(EMAIL)] },
    });

    await postBatch(collector, writeKey, [serverTrack('park-2')]);
    expect(await deliveryOnce(sourceId, 'park-2', ['blocked', 'failed', 'delivered'])).toMatchObject({
      status: 'delivered',
      reason_code: null,
    });
    expect(atMock(PIXEL).get('park-2')).toMatchObject({ event_id: 'park-2', event_source_url: SITE_URL });
  });

  it('lists the parked code with what fixes it', async () => {
    const res = await collector.admin('/v1/admin/reason-codes');
    const { reason_codes: codes } = (await res.json()) as { reason_codes: { code: string }[] };
    expect(codes.find((entry) => entry.code === 'missing_event_source_url')).toEqual({
      code: 'missing_event_source_url',
      outcome: 'blocked',
      label: 'Parked: no page URL',
      fix: "Set the integration's site URL",
    });
    expect(codes.find((entry) => entry.code === 'too_old')).toEqual({
      code: 'too_old',
      outcome: 'failed',
      label: 'Too old',
      fix: null,
    });
  });

  it('refuses a site URL that is not absolute or carries a password', async () => {
    const { integrationId } = await createIntegration(collector, 'Bad site URL', { pixel_id: PIXEL, access_token: TOKEN });
    for (const [siteUrl, error] of [
      ['shop.example.com', 'config.site_url: must be an absolute http or https URL, such as https://shop.example.com'],
      ['https://me:pw@shop.example.com', 'config.site_url: must not contain a user name or password'],
    ]) {
      const res = await collector.admin(`/v1/admin/integrations/${integrationId}`, {
        method: 'PATCH',
        body: JSON.stringify({ config: { site_url: siteUrl } }),
      });
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: { error, errors: [error] } });
    }
  });
});

describe('replaying failed deliveries', () => {
  /** An app event, which fails for good while the integration has no Snap App ID. */
  const appOpen = (messageId: string) =>
    serverTrack(messageId, {
      actionSource: 'MOBILE_APP',
      app: { name: 'Example Shop', version: '2.3.1', build: '231', namespace: 'com.example.shop' },
      os: { name: 'iOS', version: '17.5' },
    });

  it('replays one failed delivery by its id, and the others by status, once the cause is fixed', async () => {
    const { sourceId, writeKey, integrationId } = await createIntegration(collector, 'Replay', {
      pixel_id: PIXEL,
      access_token: TOKEN,
    });
    await postBatch(collector, writeKey, [appOpen('app-1'), appOpen('app-2'), appOpen('app-3')]);
    const failed = await deliveryOnce(sourceId, 'app-1', ['failed', 'blocked', 'delivered']);
    expect(failed).toMatchObject({ status: 'failed', reason_code: 'missing_app_data' });
    await deliveryOnce(sourceId, 'app-3', ['failed']);

    // A dead-letter replay (the default) leaves failed deliveries alone.
    const none = await collector.admin('/v1/admin/deliveries/replay', { method: 'POST', body: JSON.stringify({}) });
    expect(await none.json()).toEqual({ replayed: 0 });

    await patchConfig(integrationId, { snap_app_id: SNAP_APP });
    const one = await collector.admin(`/v1/admin/deliveries/${failed.id}/replay`, { method: 'POST' });
    expect({ status: one.status, body: await one.json() }).toEqual({ status: 200, body: { replayed: 1 } });
    await deliveryOnce(sourceId, 'app-1', ['delivered']);
    expect(atMock(SNAP_APP).get('app-1')).toMatchObject({
      event_name: 'VIEW_CONTENT',
      action_source: 'MOBILE_APP',
      event_id: 'app-1',
      user_data: { em: [sha256(EMAIL)] },
      app_data: { app_id: 'com.example.shop' },
    });
    expect(atMock(SNAP_APP).has('app-2')).toBe(false);

    // Delivered now: nothing to replay.
    const again = await collector.admin(`/v1/admin/deliveries/${failed.id}/replay`, { method: 'POST' });
    expect({ status: again.status, body: await again.json() }).toEqual({
      status: 404,
      body: { error: 'no failed or dead delivery with this id' },
    });

    const rest = await collector.admin('/v1/admin/deliveries/replay', {
      method: 'POST',
      body: JSON.stringify({ status: ['failed', 'dead'], integration_id: integrationId, reason_code: 'missing_app_data' }),
    });
    expect(await rest.json()).toEqual({ replayed: 2 });
    await deliveryOnce(sourceId, 'app-2', ['delivered']);
    await deliveryOnce(sourceId, 'app-3', ['delivered']);
    expect([...atMock(SNAP_APP).keys()].filter((id) => id.startsWith('app-')).sort()).toEqual(['app-1', 'app-2', 'app-3']);
  });

  it('refuses a status that cannot be replayed and an id that is not one', async () => {
    for (const status of ['blocked', ['failed', 'pending'], []]) {
      const res = await collector.admin('/v1/admin/deliveries/replay', { method: 'POST', body: JSON.stringify({ status }) });
      const error = 'status: "dead", "failed", or a list of them';
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: { error, errors: [error] } });
    }
    const res = await collector.admin('/v1/admin/deliveries/abc/replay', { method: 'POST' });
    const error = 'id: a delivery id (integer)';
    expect({ status: res.status, body: await res.json() }).toEqual({ status: 400, body: { error, errors: [error] } });
  });
});
