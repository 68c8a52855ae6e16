import { describe, expect, it } from 'vitest';
import { message, pending, sleep, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Leasing due deliveries to workers, on the database's clock. */
export function describeLeases(createDatabase: CreateTestDatabase): void {
  describe('leases', () => {
    const under = useStore(createDatabase);

    it('never leases a delivery to two workers while the lease lasts, and leases it again once it expires', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('l-1'), deliveries: [pending(integration.id)] }]);
      const first = await store.leaseDeliveries({ owner: 'a', limit: 10, leaseMs: 100 });
      const second = await store.leaseDeliveries({ owner: 'b', limit: 10, leaseMs: 100 });
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(0);
      expect(first[0]!.event.message.messageId).toBe('l-1');
      expect(first[0]!.event.sourceId).toBe(source.id);
      expect(first[0]!.integration.id).toBe(integration.id);
      await sleep(150);
      const afterExpiry = await store.leaseDeliveries({ owner: 'b', limit: 10, leaseMs: 100 });
      expect(afterExpiry).toHaveLength(1);
    });

    it('gives the database clock at lease time, at or after the delivery fell due', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('t-1'), deliveries: [pending(integration.id)] }]);
      const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000 });
      expect(Number.isInteger(leased!.leasedAt)).toBe(true);
      expect(leased!.leasedAt).toBeGreaterThanOrEqual(leased!.delivery.nextAttemptAt);
      expect(leased!.delivery.retryFrom).toBe(leased!.delivery.nextAttemptAt);
    });

    it('leases only the given integration, oldest due first, at most the limit', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const other = await store.createIntegration({ ...integration, name: 'Other' });
      await store.appendEvents(source.id, [
        { message: message('i-1'), deliveries: [pending(integration.id), pending(other.id)] },
        { message: message('i-2'), deliveries: [pending(integration.id)] },
        { message: message('i-3'), deliveries: [pending(integration.id)] },
      ]);
      const lane = await store.leaseDeliveries({ owner: 'w', limit: 2, leaseMs: 60_000, integrationId: integration.id });
      expect(lane.map((l) => [l.event.message.messageId, l.integration.id])).toEqual([
        ['i-1', integration.id],
        ['i-2', integration.id],
      ]);
      const rest = await store.leaseDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000 });
      expect(rest.map((l) => [l.event.message.messageId, l.integration.name])).toEqual([
        ['i-1', 'Other'],
        ['i-3', 'Pixel'],
      ]);
    });

    it('ignores an outcome from a worker whose lease was taken over', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('o-1'), deliveries: [pending(integration.id)] }]);
      const [stale] = await store.leaseDeliveries({ owner: 'slow', limit: 1, leaseMs: 10 });
      await sleep(30);
      await store.leaseDeliveries({ owner: 'fresh', limit: 1, leaseMs: 60_000 });
      await store.completeDeliveries('slow', [{ deliveryId: stale!.delivery.id, status: 'failed', reason: 'late' }]);
      await store.completeDeliveries('fresh', [{ deliveryId: stale!.delivery.id, status: 'delivered', payload: { a: 1 } }]);
      const [record] = await store.listEvents({});
      expect(record!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, payload: { a: 1 }, reason: null });
      expect(record!.deliveries[0]!.history.map((h) => h.status)).toEqual(['delivered']);
    });

    it('keeps a retried delivery pending until its retry delay has passed on the database clock', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('r-1'), deliveries: [pending(integration.id)] }]);
      const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      await store.completeDeliveries('w', [
        {
          deliveryId: leased!.delivery.id,
          status: 'pending',
          reason: 'retrying: 503',
          reasonCode: 'destination_unavailable',
          retryInMs: 300,
          httpStatus: 503,
        },
      ]);
      expect(await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 })).toHaveLength(0);
      expect(await store.dueIntegrations()).toEqual([]);
      await sleep(350);
      expect(await store.dueIntegrations()).toEqual([integration.id]);
      const [again] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      expect(again!.delivery).toMatchObject({ attempts: 1, reason: 'retrying: 503', reasonCode: 'destination_unavailable' });
      expect(again!.delivery.nextAttemptAt).toBeGreaterThanOrEqual(leased!.leasedAt + 300);
      expect(again!.leasedAt).toBeGreaterThanOrEqual(again!.delivery.nextAttemptAt);
      expect(again!.delivery.retryFrom).toBe(leased!.delivery.retryFrom);
    });

    it('lists the integrations with due, unleased deliveries', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const quiet = await store.createIntegration({ ...integration, name: 'Quiet' });
      expect(await store.dueIntegrations()).toEqual([]);
      await store.appendEvents(source.id, [
        { message: message('d-1'), deliveries: [pending(integration.id), { integrationId: quiet.id, status: 'skipped' }] },
      ]);
      expect(await store.dueIntegrations()).toEqual([integration.id]);
      await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      expect(await store.dueIntegrations()).toEqual([]);
    });

    it('skips, without counting a try, a leased delivery whose integration is gone', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('g-1'), deliveries: [pending('int_gone')] }]);
      expect(await store.leaseDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000 })).toEqual([]);
      const [record] = await store.listEvents({});
      expect(record!.deliveries[0]).toMatchObject({
        status: 'skipped',
        reason: 'integration_deleted',
        reasonCode: 'integration_deleted',
        attempts: 0,
        integrationName: '(deleted)',
        history: [],
      });
    });
  });
}
