import { startSnapchatMock, type SnapchatMock } from '@datafirst/snapchat';
import { expect } from 'vitest';
import { setServerSide } from './admin-helpers.js';
import { createIntegration, IP, receivedEvents, settledEvents, sha256, UA } from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

// Shared by the tests that drive Segment's and RudderStack's own Node libraries, unmodified from
// npm, against a real collector and the Snapchat mock: every client plays the same shop visit,
// and the test reads back what Snapchat received.

const TOKEN = 'token-clients';

/** A collector delivering to a standalone Snapchat mock that knows one token per pixel. */
export interface ClientWorld {
  collector: TestCollector;
  mock: SnapchatMock;
  close(): Promise<void>;
}

/** Starts the mock and a collector that sends to it. `pixels` are the pixels the token may send for. */
export async function startClientWorld(pixels: string[]): Promise<ClientWorld> {
  const mock = await startSnapchatMock({ tokens: { [TOKEN]: pixels } });
  const collector = await startTestCollector(['--snapchat-url', mock.url]);
  return {
    collector,
    mock,
    async close() {
      await collector.stopAndClean();
      await mock.close();
    },
  };
}

/**
 * A server-side source (these libraries run on a backend, whose write key is secret, so its
 * identify calls may write a user's profile) with one Snapchat integration for `pixel`; its write
 * key is what the client is given.
 */
export async function createPixelSource(world: ClientWorld, name: string, pixel: string) {
  const created = await createIntegration(world.collector, name, { pixel_id: pixel, access_token: TOKEN, api_version: 'v3' });
  await setServerSide(world.collector, true, created.sourceId);
  return created;
}

/** What every client sends: identify, page, screen, group, alias, purchase, in this order (as each library spells them). */
export interface ShopVisit {
  userId: string;
  email: string;
  clickId: string;
  /** Each call's time: whole seconds, so the expected event_time is exact. */
  times: { identify: Date; page: Date; screen: Date; group: Date; alias: Date; purchase: Date };
  /** The context every call carries: the shopper's page (with Snapchat's click id), IP and user agent. */
  context: { page: { url: string }; ip: string; userAgent: string };
  orderId: string;
}

/** A shop visit for one client, its ids prefixed so that clients sharing a mock never mix. */
export function shopVisit(prefix: string): ShopVisit {
  const base = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
  const at = (second: number) => new Date(base + second * 1000);
  const clickId = `${prefix}-click-7f3a`;
  return {
    userId: `${prefix}-user-1`,
    email: `${prefix}.Shopper@Example.com`,
    clickId,
    times: { identify: at(1), page: at(2), screen: at(3), group: at(4), alias: at(5), purchase: at(6) },
    context: { page: { url: `https://shop.example.com/checkout?ScCid=${clickId}` }, ip: IP, userAgent: UA },
    orderId: `${prefix}-order-1`,
  };
}

/** What the test compares, per event Snapchat received: the name, time, hashed email, click id, value, currency. */
export interface ReceivedSummary {
  event_name: unknown;
  event_time: unknown;
  em: unknown;
  sc_click_id: unknown;
  value: unknown;
  currency: unknown;
}

/**
 * Waits until the collector has stored `count` events of the source with no delivery pending,
 * then answers what the mock received for the pixel, in event-time order.
 */
export async function receivedFor(
  world: ClientWorld,
  sourceId: string,
  pixel: string,
  count: number,
): Promise<ReceivedSummary[]> {
  await settledEvents(world.collector, sourceId, count);
  const requests = world.mock.requests().filter((request) => request.route === 'v3.send' && request.assetId === pixel);
  const events = [...receivedEvents(requests).values()] as {
    event_name: string;
    event_time: number;
    user_data: { em?: string[]; sc_click_id?: string };
    custom_data?: { value?: number; currency?: string };
  }[];
  return events
    .sort((a, b) => a.event_time - b.event_time)
    .map((event) => ({
      event_name: event.event_name,
      event_time: event.event_time,
      em: event.user_data.em,
      sc_click_id: event.user_data.sc_click_id,
      value: event.custom_data?.value,
      currency: event.custom_data?.currency,
    }));
}

/**
 * What Snapchat must receive for a shop visit: the page and the screen as PAGE_VIEWs, the purchase
 * with its value and currency, each with the click id and (once identified) the hashed email;
 * identify, group and alias are stored, not sent.
 */
export function expectedFor(visit: ShopVisit): ReceivedSummary[] {
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  const em = [sha256(visit.email.toLowerCase())];
  return [
    {
      event_name: 'PAGE_VIEW',
      event_time: seconds(visit.times.page),
      em,
      sc_click_id: visit.clickId,
      value: undefined,
      currency: undefined,
    },
    {
      event_name: 'PAGE_VIEW',
      event_time: seconds(visit.times.screen),
      em,
      sc_click_id: visit.clickId,
      value: undefined,
      currency: undefined,
    },
    {
      event_name: 'PURCHASE',
      event_time: seconds(visit.times.purchase),
      em,
      sc_click_id: visit.clickId,
      value: 42.5,
      currency: 'EUR',
    },
  ];
}

/** The events a shop visit stores: identify, page, screen, group, alias, purchase. */
export const SHOP_VISIT_EVENTS = 6;

/** Checks that the collector stored each call of the visit with the type it was sent as. */
export async function expectStoredTypes(world: ClientWorld, sourceId: string): Promise<void> {
  const events = await settledEvents(world.collector, sourceId, SHOP_VISIT_EVENTS);
  const types = [...events.values()].map((event) => event.message.type).sort();
  expect(types).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);
}
