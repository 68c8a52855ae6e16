import { startSnapchatMock, type SnapchatMock } from '@datafirst/snapchat';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPixel, json, settled } from './link-helpers.js';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

// A destination that refuses an integration's credentials pauses it. Collectors route from a cache
// of a few seconds, so an event may still be queued for it as pending after the pause: the worker
// parks it too, and never sends it with the credentials that were refused.

const PIXEL = '4c3b2a19-0f8e-4d7c-9b6a-5e4d3c2b1a09';

let mock: SnapchatMock;
let collector: TestCollector;
beforeAll(async () => {
  // The mock knows no token for the pixel: every request for it is refused with 401.
  mock = await startSnapchatMock({ tokens: {} });
  collector = await startTestCollector(['--snapchat-url', mock.url]);
});
afterAll(async () => {
  await collector?.stopAndClean();
  await mock?.close();
});

const page = (messageId: string) => ({
  type: 'page',
  messageId,
  anonymousId: 'anon-paused',
  context: { page: { url: 'https://shop.example.com/' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
});

async function deliveryOf(messageId: string, integrationId: string) {
  const { events } = await json(await collector.admin('/v1/admin/events?limit=50'));
  const event = (events as { message: { messageId: string }; deliveries: Record<string, unknown>[] }[]).find(
    (candidate) => candidate.message.messageId === messageId,
  );
  return event?.deliveries.find((delivery) => delivery.integration_id === integrationId);
}

describe('an integration paused for refused credentials', () => {
  it('parks an event queued after the pause without sending it', async () => {
    const { sources } = await json(await collector.admin('/v1/admin/sources'));
    const { integrationId } = await addPixel(collector, sources[0].id as string, 'Refused pixel', PIXEL);
    const send = async (messageId: string) =>
      expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [page(messageId)] })).status).toBe(200);

    await send('before-pause');
    await settled(collector);
    expect(await deliveryOf('before-pause', integrationId)).toMatchObject({
      status: 'blocked',
      reason_code: 'credentials_refused',
    });
    // At once, while the collector's cache still has the integration unpaused.
    await send('after-pause');
    await settled(collector);
    expect(await deliveryOf('after-pause', integrationId)).toMatchObject({
      status: 'blocked',
      reason_code: 'credentials_refused',
    });
    const refused = mock.requests().filter((request) => request.path === `/v3/${PIXEL}/events`);
    expect(refused).toHaveLength(1);
  });
});
