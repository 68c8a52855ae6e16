import { describe, expect, it } from 'vitest';
import { message, pending, sleep, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Storing events with their deliveries, recording outcomes, and listing them for the debugger. */
export function describeEventsAndDeliveries(createDatabase: CreateTestDatabase): void {
  describe('events and deliveries', () => {
    const under = useStore(createDatabase);

    it('stores a messageId once per source and counts the repeat as a duplicate', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const event = { message: message('m-1'), deliveries: [pending(integration.id)] };
      expect(await store.appendEvents(source.id, [event])).toEqual({ stored: 1, duplicates: 0, duplicateIds: [] });
      expect(await store.appendEvents(source.id, [event, event])).toEqual({
        stored: 0,
        duplicates: 2,
        duplicateIds: ['m-1', 'm-1'],
      });
      expect(await store.listEvents({})).toHaveLength(1);
      expect((await store.countDeliveries()).pending).toBe(1);
    });

    it('stores a messageId repeated within one batch once, with the deliveries of its first', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const batch = Array.from({ length: 45 }, (_, i) => ({
        message: message(i === 30 || i === 44 ? 'r-3' : `r-${i}`),
        deliveries: [
          i === 3 ? pending(integration.id) : { integrationId: integration.id, status: 'skipped' as const, reason: 'x' },
        ],
      }));
      expect(await store.appendEvents(source.id, batch)).toEqual({ stored: 43, duplicates: 2, duplicateIds: ['r-3', 'r-3'] });
      expect(await store.listEvents({})).toHaveLength(43);
      expect(await store.countDeliveries()).toMatchObject({ pending: 1, skipped: 42 });
    });

    it('keeps each message of a batch as it was sent: line breaks, quotes, backslashes and NULs in its text', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const texts = [
        'two\nlines\r\n',
        'a "quoted" \\ back\\slash',
        'nul \u0000 and tab \t',
        '{"looks":"like JSON"}',
        'lone \ud800 surrogate',
      ];
      const messages = texts.map((text, i) => message(`t-${i}`, { properties: { text, [text]: [text, { text }] } }));
      await store.appendEvents(
        source.id,
        messages.map((sent) => ({ message: sent, deliveries: [pending(integration.id)] })),
      );
      const stored = (await store.listEvents({})).map((event) => event.message);
      expect(stored.sort((a, b) => a.messageId.localeCompare(b.messageId))).toEqual(messages);
    });

    it('counts deliveries by status, every status present', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('c-1'), deliveries: [pending(integration.id)] },
        { message: message('c-2'), deliveries: [{ integrationId: integration.id, status: 'skipped', reason: 'x' }] },
        { message: message('c-3'), deliveries: [{ integrationId: integration.id, status: 'blocked', reason: 'y' }] },
      ]);
      expect(await store.countDeliveries()).toEqual({ pending: 1, delivered: 0, skipped: 1, failed: 0, blocked: 1, dead: 0 });
    });

    it('filters events by source, integration, status and name, newest first', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('f-1'), deliveries: [pending(integration.id)] },
        {
          message: message('f-2', { event: 'Signed Up' }),
          deliveries: [{ integrationId: integration.id, status: 'skipped', reason: 'no_consent: advertising' }],
        },
      ]);
      const [newest, oldest] = await store.listEvents({ sourceId: source.id });
      expect([newest!.message.messageId, oldest!.message.messageId]).toEqual(['f-2', 'f-1']);
      expect((await store.listEvents({ status: 'skipped' })).map((e) => e.message.messageId)).toEqual(['f-2']);
      expect((await store.listEvents({ name: 'Order Completed' })).map((e) => e.message.messageId)).toEqual(['f-1']);
      expect(await store.listEvents({ integrationId: 'int_other' })).toEqual([]);
      expect((await store.listEvents({ afterId: oldest!.id })).map((e) => e.message.messageId)).toEqual(['f-2']);
      expect((await store.listEvents({ limit: 1 })).map((e) => e.message.messageId)).toEqual(['f-2']);
      // "page" finds every page view, named or not, as in an event mapping.
      await store.appendEvents(source.id, [
        { message: message('f-3', { type: 'page', event: undefined }), deliveries: [] },
        { message: message('f-4', { type: 'page', event: undefined, name: 'Pricing' }), deliveries: [] },
      ]);
      expect((await store.listEvents({ name: 'page' })).map((e) => e.message.messageId)).toEqual(['f-4', 'f-3']);
      expect((await store.listEvents({ name: 'Pricing' })).map((e) => e.message.messageId)).toEqual(['f-4']);
      // Names as the debugger shows them: "page: Pricing", "screen: Cart", a call type alone.
      await store.appendEvents(source.id, [
        { message: message('f-5', { type: 'screen', event: undefined, name: 'Cart' }), deliveries: [] },
        { message: message('f-6', { type: 'identify', event: undefined, userId: 'u-6' }), deliveries: [] },
        { message: message('f-7', { type: 'page', event: undefined, name: 'Cart' }), deliveries: [] },
        { message: message('f-8', { event: 'page: Pricing' }), deliveries: [] },
      ]);
      const named = async (name: string) => (await store.listEvents({ name })).map((e) => e.message.messageId);
      expect(await named('page: Pricing')).toEqual(['f-8', 'f-4']);
      expect(await named('screen: Cart')).toEqual(['f-5']);
      expect(await named('screen')).toEqual(['f-5']);
      expect(await named('identify')).toEqual(['f-6']);
      expect(await named('Cart')).toEqual(['f-7', 'f-5']);
    });

    it('keeps the reason code and identifiers a new delivery is given', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        {
          message: message('k-1'),
          deliveries: [
            {
              integrationId: integration.id,
              status: 'skipped',
              reason: 'no_consent: advertising',
              reasonCode: 'no_consent',
              identifiers: ['email', 'phone', 'email'],
            },
          ],
        },
        { message: message('k-2'), deliveries: [pending(integration.id)] },
      ]);
      const [second, first] = await store.listEvents({});
      expect(first!.deliveries[0]).toMatchObject({
        status: 'skipped',
        reason: 'no_consent: advertising',
        reasonCode: 'no_consent',
        identifiers: ['email', 'phone'],
        attempts: 0,
        history: [],
      });
      expect(second!.deliveries[0]).toMatchObject({ status: 'pending', reason: null, reasonCode: null, identifiers: [] });
    });

    it('records an outcome with its reason code, and replaces the identifiers only when given', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('o-1'), deliveries: [pending(integration.id, { identifiers: ['email'] })] },
        { message: message('o-2'), deliveries: [pending(integration.id, { identifiers: ['phone'] })] },
      ]);
      const [a, b] = await store.leaseDeliveries({ owner: 'w', limit: 2, leaseMs: 60_000 });
      await store.completeDeliveries('w', [
        {
          deliveryId: a!.delivery.id,
          status: 'failed',
          reason: 'event_rejected: bad value',
          reasonCode: 'event_rejected',
          httpStatus: 400,
          identifiers: ['email', 'ip_user_agent'],
          payload: { sent: 1 },
          response: { status: 400 },
        },
        { deliveryId: b!.delivery.id, status: 'delivered', httpStatus: 200 },
      ]);
      const records = await store.listEvents({});
      const byMessage = new Map(records.map((record) => [record.message.messageId, record.deliveries[0]!]));
      expect(byMessage.get('o-1')).toMatchObject({
        status: 'failed',
        attempts: 1,
        reason: 'event_rejected: bad value',
        reasonCode: 'event_rejected',
        identifiers: ['email', 'ip_user_agent'],
        payload: { sent: 1 },
        response: { status: 400 },
        integrationName: 'Pixel',
      });
      expect(byMessage.get('o-1')!.history).toEqual([
        {
          at: expect.any(String),
          status: 'failed',
          httpStatus: 400,
          reason: 'event_rejected: bad value',
          reasonCode: 'event_rejected',
        },
      ]);
      expect(byMessage.get('o-2')).toMatchObject({ status: 'delivered', reason: null, reasonCode: null, identifiers: ['phone'] });
      expect(byMessage.get('o-2')!.history).toEqual([
        { at: expect.any(String), status: 'delivered', httpStatus: 200, reason: null, reasonCode: null },
      ]);
    });

    it('stores the JSON text of a payload when it is given, in place of serialising the payload', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('j-1'), deliveries: [pending(integration.id)] }]);
      const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      await store.completeDeliveries('w', [
        {
          deliveryId: leased!.delivery.id,
          status: 'delivered',
          payload: { sent: 1 },
          payloadJson: '{"sent":1,"as":"text"}',
          response: { status: 200 },
        },
      ]);
      const [record] = await store.listEvents({});
      expect(record!.deliveries[0]).toMatchObject({
        status: 'delivered',
        payload: { sent: 1, as: 'text' },
        response: { status: 200 },
      });
    });

    it('does not count an outcome marked as no attempt, nor record it in the history', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('n-1'), deliveries: [pending(integration.id)] }]);
      const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      await store.completeDeliveries('w', [
        { deliveryId: leased!.delivery.id, status: 'pending', retryInMs: 0, countsAsAttempt: false },
      ]);
      const [record] = await store.listEvents({});
      expect(record!.deliveries[0]).toMatchObject({ status: 'pending', attempts: 0, history: [] });
    });

    it('lists every delivery of every event on the page with its own history', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const other = await store.createIntegration({ ...integration, name: 'Second' });
      await store.appendEvents(
        source.id,
        ['p-1', 'p-2', 'p-3'].map((id) => ({ message: message(id), deliveries: [pending(integration.id), pending(other.id)] })),
      );
      const leased = await store.leaseDeliveries({ owner: 'w', limit: 6, leaseMs: 60_000 });
      await store.completeDeliveries(
        'w',
        leased.map(({ delivery }) => ({ deliveryId: delivery.id, status: 'delivered' as const, httpStatus: 200 })),
      );
      const records = await store.listEvents({ limit: 2 });
      expect(records.map((record) => record.message.messageId)).toEqual(['p-3', 'p-2']);
      for (const record of records) {
        expect(record.deliveries.map((d) => [d.eventId, d.integrationName, d.history.length])).toEqual([
          [record.id, 'Pixel', 1],
          [record.id, 'Second', 1],
        ]);
      }
    });

    it('lists events whose deliveries changed since a time', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('u-1'), deliveries: [pending(integration.id)] },
        { message: message('u-2'), deliveries: [pending(integration.id)] },
      ]);
      await sleep(5);
      const since = Date.now();
      expect(await store.listEvents({ updatedSince: since })).toEqual([]);
      const leased = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000 });
      await store.completeDeliveries('w', [{ deliveryId: leased[0]!.delivery.id, status: 'delivered' }]);
      expect((await store.listEvents({ updatedSince: since })).map((e) => e.message.messageId)).toEqual(['u-1']);
    });
  });
}
