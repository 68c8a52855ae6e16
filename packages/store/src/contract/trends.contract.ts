import { describe, expect, it } from 'vitest';
import type { DailyOutcomes } from '../admin.js';
import { message, pending, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** `YYYY-MM-DD` (UTC) of `days` ago. */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
// Events are received at noon (UTC) of fixed days, so no test depends on the hour it runs at.
const YESTERDAY = daysAgo(1);
const EARLIER = daysAgo(3);
const at = (day: string) => ({ receivedAt: `${day}T12:00:00.000Z` });

/** Trends: what deliveries came to per day, per integration and source, with delivered revenue. */
export function describeTrends(createDatabase: CreateTestDatabase): void {
  describe('daily outcomes', () => {
    const under = useStore(createDatabase);

    /** Four purchases and a page view of yesterday, and an earlier delivered purchase. */
    async function deliveredAndFailed() {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('t-1', at(YESTERDAY)), deliveries: [pending(integration.id)] },
        { message: message('t-2', at(YESTERDAY)), deliveries: [pending(integration.id)] },
        { message: message('t-3', at(YESTERDAY)), deliveries: [pending(integration.id)] },
        { message: message('t-4', at(YESTERDAY)), deliveries: [pending(integration.id)] },
        {
          message: message('t-5', { type: 'page', event: undefined, ...at(YESTERDAY) }),
          deliveries: [{ ...pending(integration.id), status: 'skipped', reason: 'unmapped', reasonCode: 'unmapped' }],
        },
        { message: message('t-old', at(EARLIER)), deliveries: [pending(integration.id)] },
      ]);
      const leased = await store.leaseDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000 });
      const id = (messageId: string) => leased.find((l) => l.event.message.messageId === messageId)!.delivery.id;
      await store.completeDeliveries('w', [
        { deliveryId: id('t-1'), status: 'delivered', purchase: { value: 19.99, currency: 'EUR' } },
        { deliveryId: id('t-2'), status: 'delivered', purchase: { value: 39.98, currency: 'EUR' } },
        { deliveryId: id('t-3'), status: 'delivered', purchase: { value: 12.5, currency: 'USD' } },
        {
          deliveryId: id('t-4'),
          status: 'failed',
          reason: 'refused',
          reasonCode: 'event_rejected',
          purchase: { value: 5, currency: 'EUR' },
        },
        { deliveryId: id('t-old'), status: 'delivered', purchase: { value: 100, currency: 'EUR' } },
      ]);
      return { source, integration, failedId: id('t-4') };
    }

    it('counts delivered, skipped and failed per day, and sums delivered purchases per currency', async () => {
      const { source, integration } = await deliveredAndFailed();
      const row = (day: string, counts: Partial<DailyOutcomes>): DailyOutcomes => ({
        day,
        sourceId: source.id,
        integrationId: integration.id,
        delivered: 0,
        skipped: 0,
        failed: 0,
        purchases: 0,
        revenue: {},
        ...counts,
      });
      expect(await under.store.admin.dailyOutcomes({ from: daysAgo(29) })).toEqual([
        row(EARLIER, { delivered: 1, purchases: 1, revenue: { EUR: 100 } }),
        // 19.99 + 39.98 is exactly 59.97; the failed purchase's 5 EUR is not revenue.
        row(YESTERDAY, { delivered: 3, skipped: 1, failed: 1, purchases: 3, revenue: { EUR: 59.97, USD: 12.5 } }),
      ]);
      expect((await under.store.admin.dailyOutcomes({ from: YESTERDAY })).map((r) => r.day)).toEqual([YESTERDAY]);
    });

    it('narrows to one source or integration', async () => {
      const { source, integration } = await deliveredAndFailed();
      const other = await sourceWithIntegration(under.store, { writeKey: 'wk_other', name: 'Other pixel' });
      await under.store.appendEvents(other.source.id, [
        {
          message: message('x-1', at(YESTERDAY)),
          deliveries: [{ ...pending(other.integration.id), status: 'skipped', reason: 'no_consent' }],
        },
      ]);
      const days = async (query: { sourceId?: string; integrationId?: string }) =>
        (await under.store.admin.dailyOutcomes({ from: daysAgo(29), ...query })).map((r) => [r.day, r.integrationId, r.skipped]);
      expect(await days({ sourceId: other.source.id })).toEqual([[YESTERDAY, other.integration.id, 1]]);
      expect(await days({ integrationId: integration.id })).toEqual([
        [EARLIER, integration.id, 0],
        [YESTERDAY, integration.id, 1],
      ]);
      expect(await days({ sourceId: source.id, integrationId: other.integration.id })).toEqual([]);
    });

    it('moves a replayed failure to delivered, and keeps the counts when the events are deleted', async () => {
      const { store } = under;
      const { failedId } = await deliveredAndFailed();
      expect(await store.replayDeliveries({ statuses: ['failed'], deliveryId: failedId })).toBe(1);
      const yesterdays = async () => (await store.admin.dailyOutcomes({ from: YESTERDAY }))[0]!;
      expect(await yesterdays()).toMatchObject({ delivered: 3, failed: 0 });
      const [again] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      await store.completeDeliveries('w', [
        { deliveryId: again!.delivery.id, status: 'delivered', purchase: { value: 5, currency: 'EUR' } },
      ]);
      expect(await yesterdays()).toMatchObject({ delivered: 4, failed: 0, purchases: 4, revenue: { EUR: 64.97, USD: 12.5 } });
      // Retention deletes the raw events; what their deliveries came to stays.
      await store.privacy.deleteEventsBefore(Date.now() + 1000);
      expect(await store.listEvents({})).toEqual([]);
      expect(await yesterdays()).toMatchObject({ delivered: 4, skipped: 1, failed: 0, purchases: 4 });
    });

    it('counts a dead letter as failed, and nothing for deliveries still pending or parked', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('d-1', at(YESTERDAY)), deliveries: [pending(integration.id)] },
        { message: message('d-2', at(YESTERDAY)), deliveries: [pending(integration.id)] },
        {
          message: message('d-3', at(YESTERDAY)),
          deliveries: [{ ...pending(integration.id), status: 'blocked', reason: 'no page URL' }],
        },
      ]);
      const [dead] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      await store.completeDeliveries('w', [{ deliveryId: dead!.delivery.id, status: 'dead', reason: 'gave up' }]);
      expect(await store.admin.dailyOutcomes({ from: YESTERDAY })).toEqual([
        {
          day: YESTERDAY,
          sourceId: source.id,
          integrationId: integration.id,
          delivered: 0,
          skipped: 0,
          failed: 1,
          purchases: 0,
          revenue: {},
        },
      ]);
    });
  });
}
