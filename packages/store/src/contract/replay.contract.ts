import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { hoursAgo, message, pending, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Dead letters: the deliveries retried until their window ran out, and replaying them. */
export function describeDeadLetters(createDatabase: CreateTestDatabase): void {
  describe('dead letters', () => {
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
      expect(await store.replayDeadLetters({})).toBe(3);
      const after = await store.listEvents({});
      for (const [index, record] of after.entries()) {
        const delivery = record.deliveries[0]!;
        expect(delivery).toMatchObject({ status: 'pending', reason: 'replayed', reasonCode: 'replayed', attempts: 1 });
        expect(delivery.retryFrom).toBeGreaterThanOrEqual(before[index]!.deliveries[0]!.retryFrom);
        expect(delivery.nextAttemptAt).toBe(delivery.retryFrom);
      }
      expect(await store.replayDeadLetters({})).toBe(0);
      expect(await store.leaseDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000 })).toHaveLength(3);
    });

    it('replays only the dead letters of an integration', async () => {
      const { store } = under;
      const { second } = await deadLetters(store);
      expect(await store.replayDeadLetters({ integrationId: second.id })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'dead', 'x-2': 'dead', 'x-3': 'pending' });
    });

    it('replays only the dead letters whose reason contains a text', async () => {
      const { store } = under;
      await deadLetters(store);
      expect(await store.replayDeadLetters({ reason: 'timed out' })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'dead', 'x-2': 'pending', 'x-3': 'dead' });
    });

    it('replays only the dead letters with exactly a reason code', async () => {
      const { store } = under;
      await deadLetters(store);
      expect(await store.replayDeadLetters({ reasonCode: 'destination' })).toBe(0);
      expect(await store.replayDeadLetters({ reasonCode: 'destination_unavailable' })).toBe(2);
      expect(await statuses(store)).toEqual({ 'x-1': 'pending', 'x-2': 'dead', 'x-3': 'pending' });
    });

    it('replays only the dead letters of events received in a time range', async () => {
      const { store } = under;
      const { first } = await deadLetters(store);
      const twoHoursAgo = Date.parse(hoursAgo(2));
      expect(await store.replayDeadLetters({ to: twoHoursAgo })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'dead', 'x-2': 'pending', 'x-3': 'dead' });
      expect(await store.replayDeadLetters({ from: twoHoursAgo, integrationId: first.id })).toBe(1);
      expect(await statuses(store)).toEqual({ 'x-1': 'pending', 'x-2': 'pending', 'x-3': 'dead' });
    });
  });
}
