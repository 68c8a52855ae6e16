import { describe, expect, it } from 'vitest';
import { randomToken } from '../ids.js';
import type { Link, NewClick, NewLink } from '../links.js';
import type { Store } from '../store.js';
import { useStore, type CreateTestDatabase } from './harness.js';

/** A source with an integration and a link to it. */
async function link(store: Store, extra: Partial<NewLink> = {}) {
  const source = await store.createSource({ name: 'Creator' });
  const integration = await store.createIntegration({
    sourceId: source.id,
    vendor: 'example',
    name: 'Pixel',
    enabled: true,
    config: { account: 'acc-1', api_secret: 't' },
    consentCategories: ['advertising'],
  });
  return store.links.createLink(newLink(source.id, [integration.id], extra));
}

/** A link to create. */
function newLink(sourceId: string, integrationIds: string[], extra: Partial<NewLink> = {}): NewLink {
  return {
    sourceId,
    name: 'Ad campaign',
    destinationUrl: 'https://offer.example/landing?aff=7',
    offerType: 'tracking_link',
    integrationIds,
    includeSourceIntegrations: true,
    clickIdParam: 'df_click_id',
    conversionWindowDays: 28,
    events: { click: 'VIEW_CONTENT' },
    currency: null,
    ...extra,
  };
}

const click = (linkId: string, extra: Partial<NewClick> = {}): NewClick => ({
  id: randomToken(16),
  linkId,
  adClickId: null,
  ip: '203.0.113.9',
  userAgent: 'Mozilla/5.0',
  referrer: null,
  query: [],
  url: `https://collect.example/go/${linkId}`,
  destination: 'https://offer.example/landing',
  gpc: false,
  ...extra,
});

/** Smart links, their clicks and conversions, and postback keys. */
export function describeLinks(createDatabase: CreateTestDatabase): void {
  describe('links', () => {
    const under = useStore(createDatabase);

    it('creates a link with a 10-character letters-and-digits id and its integrations in order', async () => {
      const { store } = under;
      const created = await link(store);
      expect(created.id).toMatch(/^[A-Za-z0-9]{10}$/);
      expect(await store.links.getLink(created.id)).toEqual(created);
      expect(created.integrationIds).toHaveLength(1);
      expect(created.archivedAt).toBeNull();
    });

    it('lists links, each with its own integrations in the order given', async () => {
      const { store } = under;
      const first = await link(store);
      const extra = await store.createIntegration({
        sourceId: first.sourceId,
        vendor: 'example',
        name: 'Second',
        enabled: true,
        config: {},
        consentCategories: [],
      });
      const both = [extra.id, first.integrationIds[0]!];
      const second = await store.links.createLink(newLink(first.sourceId, both, { name: 'Both', offerType: 'free_trial' }));
      const third = await store.links.createLink(newLink(first.sourceId, [], { name: 'None', currency: 'EUR' }));
      // Links made in the same millisecond come in id order: compare them as sets.
      const byId = (links: Link[]) => [...links].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(await store.links.listLinks(first.sourceId))).toEqual(byId([first, second, third]));
      expect(second.integrationIds).toEqual([extra.id, first.integrationIds[0]]);
      expect(await store.links.listLinks('src_other')).toEqual([]);
      expect((await store.links.listLinks()).map((l) => l.name).sort()).toEqual(['Ad campaign', 'Both', 'None']);
    });

    it('updates only the fields a patch gives, and archives and restores a link', async () => {
      const { store } = under;
      const created = await link(store);
      const archived = await store.links.updateLink(created.id, { name: 'Renamed', archived: true });
      expect(archived).toMatchObject({
        name: 'Renamed',
        destinationUrl: created.destinationUrl,
        integrationIds: created.integrationIds,
      });
      expect(archived!.archivedAt).not.toBeNull();
      const restored = await store.links.updateLink(created.id, { archived: false, integrationIds: [] });
      expect(restored).toMatchObject({ archivedAt: null, integrationIds: [], createdAt: created.createdAt });
      expect(await store.links.updateLink('nope', { name: 'x' })).toBeUndefined();
    });

    it('detaches an integration from its links when the integration is deleted', async () => {
      const { store } = under;
      const created = await link(store);
      await store.deleteIntegration(created.integrationIds[0]!);
      expect((await store.links.getLink(created.id))!.integrationIds).toEqual([]);
    });

    it('returns the first click again when the same ad click id comes back on the same link', async () => {
      const { store } = under;
      const created = await link(store);
      const first = await store.links.recordClick(click(created.id, { adClickId: 'ad-1' }));
      const again = await store.links.recordClick(click(created.id, { adClickId: 'ad-1' }));
      const other = await store.links.recordClick(click(created.id, { adClickId: 'ad-2' }));
      const anonymous = await store.links.recordClick(click(created.id));
      expect(first.created).toBe(true);
      expect(again).toEqual({ click: first.click, created: false });
      expect(other.created).toBe(true);
      expect(anonymous.created).toBe(true);
      expect(first.click.sourceId).toBe(created.sourceId);
      expect(first.click.adClickId).toBe('ad-1');
      expect(await store.links.getClick(first.click.id)).toEqual(first.click);
    });

    it('keeps everything a click gave', async () => {
      const { store } = under;
      const created = await link(store);
      const given = click(created.id, {
        adClickId: 'ad-9',
        referrer: 'https://ads.example/',
        query: [
          ['a', '1'],
          ['a', '2'],
        ],
        gpc: true,
        createdAt: '2025-06-01T10:00:00.000Z',
      });
      const { click: recorded } = await store.links.recordClick(given);
      expect(recorded).toEqual({ ...given, sourceId: created.sourceId });
    });

    it('refuses a click on a link that does not exist, and a click id used before', async () => {
      const { store } = under;
      await expect(store.links.recordClick(click('nolink'))).rejects.toThrow('no such link: nolink');
      const created = await link(store);
      const { click: first } = await store.links.recordClick(click(created.id));
      await expect(store.links.recordClick(click(created.id, { id: first.id }))).rejects.toThrow(
        `click id already used: ${first.id}`,
      );
      expect(await store.links.getClick('noclick')).toBeUndefined();
    });

    it('records a txid once per source and gives a repeat the first conversion and its history', async () => {
      const { store } = under;
      const created = await link(store);
      const { click: c } = await store.links.recordClick(click(created.id));
      const base = { clickId: c.id, value: 10, currency: 'USD', withinWindow: true };
      const sub = await store.links.recordConversion({ ...base, txid: 'tx-sub', kind: 'subscribe' });
      const buy = await store.links.recordConversion({ ...base, txid: 'tx-1', kind: 'purchase' });
      const repeat = await store.links.recordConversion({ ...base, txid: 'tx-1', kind: 'purchase', value: 99 });
      const buy2 = await store.links.recordConversion({ ...base, txid: 'tx-2', kind: 'purchase' });
      expect(sub.history).toEqual({ subscriptionsBefore: 0, purchasesBefore: 0, messagesBefore: 0 });
      expect(buy).toMatchObject({ duplicate: false, history: { subscriptionsBefore: 1, purchasesBefore: 0, messagesBefore: 0 } });
      expect(repeat).toEqual({ ...buy, duplicate: true });
      expect(buy2.history.purchasesBefore).toBe(1);
      expect(buy.conversion).toMatchObject({ sourceId: created.sourceId, linkId: created.id, clickId: c.id, value: 10 });
      expect((await store.links.listConversions(c.id)).map((x) => x.txid)).toEqual(['tx-sub', 'tx-1', 'tx-2']);
      await expect(store.links.recordConversion({ ...base, clickId: 'noclick', txid: 'tx-3', kind: 'purchase' })).rejects.toThrow(
        'no such click: noclick',
      );
    });

    it('counts clicks, first subscriptions, purchases and revenue per currency and per UTC day', async () => {
      const { store } = under;
      const created = await link(store);
      const day1 = '2025-06-01T10:00:00.000Z';
      const day2 = '2025-06-02T23:59:59.000Z';
      const a = (await store.links.recordClick(click(created.id, { createdAt: day1 }))).click;
      const b = (await store.links.recordClick(click(created.id, { createdAt: day2 }))).click;
      type Kind = 'subscribe' | 'purchase' | 'renewal' | 'message';
      const convert = (
        clickId: string,
        txid: string,
        kind: Kind,
        receivedAt: string,
        value: number | null,
        currency: string | null,
        withinWindow = true,
      ) => store.links.recordConversion({ clickId, txid, kind, value, currency, withinWindow, receivedAt });
      await convert(a.id, 't1', 'subscribe', day1, 9.99, 'USD');
      await convert(a.id, 't2', 'subscribe', day2, 9.99, 'USD'); // a re-subscription: revenue, not a new subscriber
      await convert(a.id, 't3', 'purchase', day2, 0.1, 'USD');
      await convert(a.id, 't4', 'purchase', day2, 0.2, 'USD');
      await convert(b.id, 't5', 'purchase', day2, 5, 'EUR', false);
      await convert(b.id, 't6', 'message', day2, null, null);
      await convert(b.id, 't7', 'renewal', day2, 3, null);

      const stats = await store.links.linkStats(created.id);
      expect(stats.totals).toEqual({
        clicks: 2,
        subscribers: 1,
        purchases: 3,
        renewals: 1,
        messages: 1,
        revenue: { USD: 20.28, EUR: 5, '': 3 },
        revenueOutsideWindow: { EUR: 5 },
      });
      expect(stats.days).toEqual([
        {
          date: '2025-06-01',
          clicks: 1,
          subscribers: 1,
          purchases: 0,
          renewals: 0,
          messages: 0,
          revenue: { USD: 9.99 },
          revenueOutsideWindow: {},
        },
        {
          date: '2025-06-02',
          clicks: 1,
          subscribers: 0,
          purchases: 3,
          renewals: 1,
          messages: 1,
          revenue: { USD: 10.29, EUR: 5, '': 3 },
          revenueOutsideWindow: { EUR: 5 },
        },
      ]);
      expect((await store.links.linkStats(created.id, { from: '2025-06-02', to: '2025-06-02' })).totals.clicks).toBe(1);

      const [latest, earliest] = await store.links.listClicks(created.id, 10);
      expect(latest).toMatchObject({ id: b.id, subscribed: false, purchases: 1, messages: 1, revenue: { EUR: 5, '': 3 } });
      expect(earliest).toMatchObject({ id: a.id, subscribed: true, purchases: 2, messages: 0, revenue: { USD: 20.28 } });
      expect((await store.links.listClicks(created.id, 1)).map((c) => c.id)).toEqual([b.id]);
      expect(await store.links.listClicks('nolink', 10)).toEqual([]);
    });

    it('keeps only the hash and hint of a postback key, and replaces it on rotation', async () => {
      const { store } = under;
      const source = await store.createSource({ name: 'Creator' });
      expect(await store.links.getPostbackKey(source.id)).toBeUndefined();
      await store.links.setPostbackKey(source.id, 'a'.repeat(64), 'abcd');
      const rotated = await store.links.setPostbackKey(source.id, 'b'.repeat(64), 'wxyz');
      expect(rotated).toMatchObject({ sourceId: source.id, keyHash: 'b'.repeat(64), hint: 'wxyz' });
      expect(await store.links.listPostbackKeys()).toEqual([rotated]);
    });
  });
}
