import { Analytics as SegmentAnalytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import LegacyAnalytics from 'analytics-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPixelSource,
  expectedFor,
  expectStoredTypes,
  receivedFor,
  SHOP_VISIT_EVENTS,
  shopVisit,
  startClientWorld,
  type ClientWorld,
  type ShopVisit,
} from './clients-harness.js';

// Segment's and RudderStack's Node libraries, as installed from npm and configured only through
// their public options, send the same shop visit to the collector; Snapchat's mock must receive
// the page views and the purchase with the hashed email, the click id, the value, the currency
// and each call's own time. Clients mark a whole batch failed on any error answer, so every call
// type of the spec must be taken.

const PIXELS = {
  segment: '8a4f2c1e-3b5d-4e6f-9a7b-1c2d3e4f5a6b',
  legacy: '9b5a3d2f-4c6e-4f70-8b8c-2d3e4f5a6b7c',
  rudder: 'ac6b4e3a-5d7f-4081-9c9d-3e4f5a6b7c8d',
};

let world: ClientWorld;
beforeAll(async () => {
  world = await startClientWorld(Object.values(PIXELS));
});
afterAll(() => world.close());

/** The calls every Segment-style library takes, as their typings spell them. */
interface SpecClient {
  identify(message: object): unknown;
  page(message: object): unknown;
  screen(message: object): unknown;
  group(message: object): unknown;
  alias(message: object): unknown;
  track(message: object): unknown;
}

/** Plays the shop visit on a client, in order. */
function playVisit(client: SpecClient, visit: ShopVisit): void {
  const { userId, context, times } = visit;
  client.identify({ userId, traits: { email: visit.email }, context, timestamp: times.identify });
  client.page({ userId, name: 'Checkout', properties: { url: context.page.url }, context, timestamp: times.page });
  client.screen({ userId, name: 'Cart', context, timestamp: times.screen });
  client.group({ userId, groupId: 'acme', traits: { plan: 'pro' }, context, timestamp: times.group });
  client.alias({ previousId: 'anon-before-login', userId, context, timestamp: times.alias });
  client.track({
    userId,
    event: 'Order Completed',
    properties: { order_id: visit.orderId, value: 42.5, currency: 'EUR' },
    context,
    timestamp: times.purchase,
  });
}

describe('Node clients, unmodified from npm', () => {
  it('@segment/analytics-node 3 (apiHost = the collector)', async () => {
    const source = await createPixelSource(world, 'Segment Node', PIXELS.segment);
    const visit = shopVisit('segment3');
    const errors: unknown[] = [];
    const analytics = new SegmentAnalytics({ writeKey: source.writeKey, host: world.collector.url, flushAt: 20, maxRetries: 0 });
    analytics.on('error', (error) => errors.push(error));
    playVisit(analytics, visit);
    await analytics.closeAndFlush();
    expect(errors).toEqual([]);
    await expectStoredTypes(world, source.sourceId);
    expect(await receivedFor(world, source.sourceId, PIXELS.segment, SHOP_VISIT_EVENTS)).toEqual(expectedFor(visit));
  });

  it('legacy analytics-node 6 (host = the collector)', async () => {
    const source = await createPixelSource(world, 'Legacy Node', PIXELS.legacy);
    const visit = shopVisit('legacy6');
    const errors: unknown[] = [];
    const analytics = new LegacyAnalytics(source.writeKey, {
      host: world.collector.url,
      flushAt: 20,
      retryCount: 0,
      errorHandler: (error: unknown) => errors.push(error),
    });
    playVisit(analytics, visit);
    await analytics.flush();
    expect(errors).toEqual([]);
    await expectStoredTypes(world, source.sourceId);
    expect(await receivedFor(world, source.sourceId, PIXELS.legacy, SHOP_VISIT_EVENTS)).toEqual(expectedFor(visit));
  });

  it('@rudderstack/rudder-sdk-node 3 with its defaults (gzip, form-urlencoded content type)', async () => {
    const source = await createPixelSource(world, 'RudderStack Node', PIXELS.rudder);
    const visit = shopVisit('rudder3');
    const errors: unknown[] = [];
    const analytics = new RudderAnalytics(source.writeKey, {
      dataPlaneUrl: world.collector.url,
      flushAt: 20,
      logLevel: 'error',
      errorHandler: (error: unknown) => errors.push(error),
    });
    playVisit(analytics, visit);
    await analytics.flush();
    expect(errors).toEqual([]);
    await expectStoredTypes(world, source.sourceId);
    expect(await receivedFor(world, source.sourceId, PIXELS.rudder, SHOP_VISIT_EVENTS)).toEqual(expectedFor(visit));
  });
});
