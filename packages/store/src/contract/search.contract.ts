import { describe, expect, it } from 'vitest';
import type { EventSearch } from '../store.js';
import { message, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Finding events by the person, order or ad click they concern: the debugger's search. */
export function describeSearch(createDatabase: CreateTestDatabase): void {
  describe('event search', () => {
    const under = useStore(createDatabase);

    /** A shop's day: a visitor identifies with an email, orders, and another visitor browses. */
    async function shopDay() {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const other = await store.createSource({ name: 'Other shop' });
      const click = { snapchat: { clickId: 'ScCid-42' } };
      await store.appendEvents(source.id, [
        {
          message: message('s-view', { type: 'page', event: undefined, anonymousId: 'anon-jane', context: click }),
          deliveries: [],
        },
        {
          message: message('s-identify', {
            type: 'identify',
            event: undefined,
            userId: 'user-jane',
            anonymousId: 'anon-jane',
            traits: { email: 'Jane@Example.com' },
          }),
          deliveries: [],
        },
        {
          message: message('s-order', {
            userId: 'user-jane',
            anonymousId: 'anon-jane',
            properties: { order_id: 1001, revenue: 30, currency: 'EUR' },
          }),
          deliveries: [],
        },
        {
          message: message('s-server', {
            userId: undefined,
            anonymousId: 'anon-server',
            context: { traits: { email: 'jane@example.com' } },
          }),
          deliveries: [],
        },
        { message: message('s-bob', { anonymousId: 'anon-bob', properties: { order_id: 'A-7' } }), deliveries: [] },
      ]);
      // The same ids in another source are another shop's people.
      await store.appendEvents(other.id, [
        { message: message('o-jane', { userId: 'user-jane', anonymousId: 'anon-jane', context: click }), deliveries: [] },
      ]);
      return { source, other };
    }

    const found = async (search: EventSearch, extra: { sourceId?: string; name?: string } = {}) =>
      (await under.store.listEvents({ search, ...extra })).map((event) => event.message.messageId);

    it('finds events by user id, anonymous id, order id and click id, newest first', async () => {
      const { source } = await shopDay();
      expect(await found({ userId: 'user-jane' })).toEqual(['o-jane', 's-order', 's-identify']);
      expect(await found({ anonymousId: 'anon-jane' }, { sourceId: source.id })).toEqual(['s-order', 's-identify', 's-view']);
      expect(await found({ orderId: '1001' })).toEqual(['s-order']);
      expect(await found({ orderId: 'A-7' })).toEqual(['s-bob']);
      expect(await found({ clickId: 'ScCid-42' })).toEqual(['o-jane', 's-view']);
    });

    it('finds by email the events carrying it and the events of the ids that carried it, in their own source', async () => {
      const { source, other } = await shopDay();
      // Any case and spacing: the email is compared as its normalised hash.
      expect(await found({ email: '  JANE@example.COM ' })).toEqual(['s-server', 's-order', 's-identify', 's-view']);
      expect(await found({ email: 'jane@example.com' }, { sourceId: other.id })).toEqual([]);
      expect(await found({ email: 'bob@example.com' })).toEqual([]);
      expect(await found({ email: 'jane@example.com' }, { sourceId: source.id, name: 'page' })).toEqual(['s-view']);
    });

    it('combines identifiers and filters: every one given must match', async () => {
      await shopDay();
      expect(await found({ userId: 'user-jane', orderId: '1001' })).toEqual(['s-order']);
      expect(await found({ userId: 'user-jane', clickId: 'ScCid-42' })).toEqual(['o-jane']);
      expect(await found({ anonymousId: 'anon-bob', email: 'jane@example.com' })).toEqual([]);
      expect(await found({ userId: 'user-jane' }, { name: 'Order Completed' })).toEqual(['o-jane', 's-order']);
    });

    it('finds nothing for an identifier no event carries, nor for a blank one', async () => {
      await shopDay();
      expect(await found({ userId: 'user-nobody' })).toEqual([]);
      expect(await found({ clickId: '   ' })).toEqual([]);
      // Each identifier is looked for where it belongs: a user id is no order id.
      expect(await found({ orderId: 'user-jane' })).toEqual([]);
    });
  });
}
