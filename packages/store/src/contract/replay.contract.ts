import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { hoursAgo, message, pending, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Replaying: dead letters (retried until their window ran out) by default, failed deliveries on request. */
export function describeReplay(createDatabase: CreateTestDatabase): void {
  describe('replaying dead letters and failed deliveries', () => {
    const under = useStore(createDatabase);

    /** Three dead deliveries: two of `first` (one received 3 hours ago), one of a second integration. */
    async function deadLetters(store: Store) {
      const { source, integration } = await sourceWithIntegration(store);
      const second = await store.createIntegration({ ...integration, name: 'Second' });
      await store.appendEvents(source.id, [
        { message: message('x-1'), deliveries: [pending(integration.id)] },
        { message: message('x-2', { receivedAt: hoursAgo(3) }), deliveries: [pending(integration.id)] },
        { message: message('x-3'), deliveries: [pending(second.id)] },
      ]);
      const leased = await store.leaseDeliveries({ owner: 'w', limit: 3, leaseMs: 60_000 });
      const reasons = ['gave up after 5 tries: HTTP 503', 'gave up after 5 tries: timed out', 'gave up after 2 tries: HTTP 503'];
      const codes = ['destination_unavailable', 'timeout', 'destination_unavailable'];
      await store.completeDeliveries(
        'w',
        leased.map(({ delivery }, index) => ({
          deliveryId: delivery.id,
          status: 'dead' as const,
          reason: reasons[index],
          reasonCode: codes[index],
        })),
      );
      return { first: integration, second };
    }

    const statuses = async (store: Store) =>
      Object.fromEntries((await store.listEvents({})).map((record) => [record.message.messageId, record.deliveries[0]!.status]));

    it('replays every dead letter with a fresh retry window and the replayed code', async () => {
      const { store } = under;
      await deadLetters(store);
      const before = await store.listEvents({});
      expect(await store.replayDeliveries({})).toBe(3);
      const after = await store.listEvents({});
      for (const [index, record] of after.entries()) {
        const delivery = record.deliveries[0]!;
        expect(delivery).toMatchObject({ status: 'pending', reason: 'replayed', reasonCode: 'replayed', attempts: 1 });
        expect(delivery.retryFrom).toBeGreaterThanOrEqual(before[index]!.deliveries[0]!.retryFrom);
        expect(delivery.nextAttemptAt).toBe(delivery.retryFrom);
      }
      expect(await store.replayDeliveries({})).toBe(0);
      expect(await store.leaseDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000 })).toHaveLength(3);
    });

    it('replays only the dead letters of an integration', async () => {
      const { store } = under;
      const { second } = await deadLetters(store);
      expect(await store.replayDeliveries({ integrationId: second.id })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'dead', 'x-2': 'dead', 'x-3': 'pending' });
    });

    it('replays only the dead letters whose reason contains a text', async () => {
      const { store } = under;
      await deadLetters(store);
      expect(await store.replayDeliveries({ reason: 'timed out' })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'dead', 'x-2': 'pending', 'x-3': 'dead' });
    });

    it('replays only the dead letters with exactly a reason code', async () => {
      const { store } = under;
      await deadLetters(store);
      expect(await store.replayDeliveries({ reasonCode: 'destination' })).toBe(0);
      expect(await store.replayDeliveries({ reasonCode: 'destination_unavailable' })).toBe(2);
      expect(await statuses(store)).toEqual({ 'x-1': 'pending', 'x-2': 'dead', 'x-3': 'pending' });
    });

    it('replays only the dead letters of events received in a time range', async () => {
      const { store } = under;
      const { first } = await deadLetters(store);
      const twoHoursAgo = Date.parse(hoursAgo(2));
      expect(await store.replayDeliveries({ to: twoHoursAgo })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'dead', 'x-2': 'pending', 'x-3': 'dead' });
      expect(await store.replayDeliveries({ from: twoHoursAgo, integrationId: first.id })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'pending', 'x-2': 'pending', 'x-3': 'dead' });
    });

    /** Four settled deliveries of one integration: `f-1` and `f-2` failed, `f-3` dead, `f-4` delivered. */
    async function settled(store: Store) {
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(
        source.id,
        ['f-1', 'f-2', 'f-3', 'f-4'].map((id) => ({ message: message(id), deliveries: [pending(integration.id)] })),
      );
      const leased = await store.leaseDeliveries({ owner: 'w', limit: 4, leaseMs: 60_000 });
      const outcomes = [
        { status: 'failed' as const, reason: 'HTTP 400: bad event', reasonCode: 'event_rejected' },
        { status: 'failed' as const, reason: 'no app id', reasonCode: 'missing_app_data' },
        { status: 'dead' as const, reason: 'gave up after 5 tries: HTTP 503', reasonCode: 'retry_window_exhausted' },
        { status: 'delivered' as const },
      ];
      await store.completeDeliveries(
        'w',
        leased.map(({ delivery }, index) => ({ deliveryId: delivery.id, ...outcomes[index]! })),
      );
      const ids = Object.fromEntries(leased.map(({ delivery, event }) => [event.message.messageId, delivery.id]));
      return { integration, ids };
    }

    it('replays failed deliveries when asked for that status, dead letters staying dead', async () => {
      const { store } = under;
      await settled(store);
      expect(await store.replayDeliveries({ statuses: ['failed'] })).toBe(2);
      expect(await statuses(store)).toEqual({ 'f-1': 'pending', 'f-2': 'pending', 'f-3': 'dead', 'f-4': 'delivered' });
      for (const record of await store.listEvents({})) {
        if (record.message.messageId === 'f-1' || record.message.messageId === 'f-2') {
          expect(record.deliveries[0]).toMatchObject({ reason: 'replayed', reasonCode: 'replayed', attempts: 1 });
        }
      }
    });

    it('replays failed and dead deliveries together, never delivered ones, and by default only the dead', async () => {
      const { store } = under;
      await settled(store);
      expect(await store.replayDeliveries({})).toBe(1);
      expect(await statuses(store)).toEqual({ 'f-1': 'failed', 'f-2': 'failed', 'f-3': 'pending', 'f-4': 'delivered' });
      expect(await store.replayDeliveries({ statuses: ['failed', 'dead'] })).toBe(2);
      expect(await statuses(store)).toEqual({ 'f-1': 'pending', 'f-2': 'pending', 'f-3': 'pending', 'f-4': 'delivered' });
    });

    it('combines the status with the other conditions', async () => {
      const { store } = under;
      await settled(store);
      expect(await store.replayDeliveries({ statuses: ['failed'], reasonCode: 'missing_app_data' })).toBe(1);
      expect(await statuses(store)).toEqual({ 'f-1': 'failed', 'f-2': 'pending', 'f-3': 'dead', 'f-4': 'delivered' });
    });

    it('replays one delivery by its id, when it is failed or dead', async () => {
      const { store } = under;
      const { ids } = await settled(store);
      expect(await store.replayDeliveries({ deliveryId: ids['f-4']!, statuses: ['failed', 'dead'] })).toBe(0);
      expect(await store.replayDeliveries({ deliveryId: ids['f-1']! })).toBe(0);
      expect(await store.replayDeliveries({ deliveryId: ids['f-1']!, statuses: ['failed', 'dead'] })).toBe(1);
      expect(await store.replayDeliveries({ deliveryId: ids['f-3']!, statuses: ['failed', 'dead'] })).toBe(1);
      expect(await store.replayDeliveries({ deliveryId: 999_999, statuses: ['failed', 'dead'] })).toBe(0);
      expect(await statuses(store)).toEqual({ 'f-1': 'pending', 'f-2': 'failed', 'f-3': 'pending', 'f-4': 'delivered' });
      const due = await store.leaseDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000 });
      expect(due.map(({ event }) => event.message.messageId).sort()).toEqual(['f-1', 'f-3']);
    });
  });
}
