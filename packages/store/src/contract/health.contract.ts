import { describe, expect, it } from 'vitest';
import { message, pending, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Delivery health: tries per minute, the backlog and the last error. */
export function describeHealth(createDatabase: CreateTestDatabase): void {
  describe('delivery health', () => {
    const under = useStore(createDatabase);

    it('counts tries per minute, the backlog and the last error', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(
        source.id,
        ['h-1', 'h-2', 'h-3', 'h-4'].map((id) => ({ message: message(id), deliveries: [pending(integration.id)] })),
      );
      const now = Date.now();
      const leased = await store.leaseDeliveries({ owner: 'w', limit: 3, leaseMs: 1000 });
      await store.completeDeliveries('w', [
        { deliveryId: leased[0]!.delivery.id, status: 'delivered', httpStatus: 200 },
        {
          deliveryId: leased[1]!.delivery.id,
          status: 'pending',
          reason: 'retrying: HTTP 503',
          reasonCode: 'destination_unavailable',
          httpStatus: 503,
          retryInMs: 60_000,
        },
        {
          deliveryId: leased[2]!.delivery.id,
          status: 'failed',
          reason: 'invalid event',
          reasonCode: 'event_rejected',
          httpStatus: 400,
        },
      ]);
      const health = await store.admin.deliveryHealth({ since: now - 3_600_000, now: Date.now() });
      expect(health.perMinute).toHaveLength(1);
      expect(health.perMinute[0]).toMatchObject({ delivered: 1, retried: 1, failed: 1 });
      expect(health.perMinute[0]!.minute).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
      expect(health.backlog).toMatchObject({ pending: 2, due: 1, blocked: 0, dead: 0 });
      expect(health.backlog.oldestPendingAt).not.toBeNull();
      expect(health.lastError).toMatchObject({
        eventId: leased[2]!.event.id,
        deliveryId: leased[2]!.delivery.id,
        integrationId: integration.id,
        integrationName: 'Pixel',
        status: 'failed',
        httpStatus: 400,
        reason: 'invalid event',
        reasonCode: 'event_rejected',
      });
      const other = await store.admin.deliveryHealth({ since: now - 3_600_000, now: Date.now(), integrationId: 'int_other' });
      expect(other).toEqual({
        perMinute: [],
        backlog: { pending: 0, due: 0, oldestPendingAt: null, blocked: 0, dead: 0 },
        lastError: null,
      });
    });

    it('counts blocked and dead deliveries in the backlog', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('b-1'), deliveries: [{ integrationId: integration.id, status: 'blocked', reason: 'paused: x' }] },
        { message: message('b-2'), deliveries: [pending(integration.id)] },
      ]);
      const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000 });
      await store.completeDeliveries('w', [
        { deliveryId: leased!.delivery.id, status: 'dead', reason: 'gave up', reasonCode: 'retry_window_exhausted' },
      ]);
      const health = await store.admin.deliveryHealth({ since: Date.now() - 60_000, now: Date.now() });
      expect(health.backlog).toEqual({ pending: 0, due: 0, oldestPendingAt: null, blocked: 1, dead: 1 });
      expect(health.perMinute.map(({ delivered, retried, failed }) => ({ delivered, retried, failed }))).toEqual([
        { delivered: 0, retried: 0, failed: 1 },
      ]);
      expect(health.lastError).toMatchObject({ status: 'dead', reason: 'gave up', reasonCode: 'retry_window_exhausted' });
    });

    it('counts a parked try apart from the failures, which are failed for good only', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(
        source.id,
        ['p-1', 'p-2'].map((id) => ({ message: message(id), deliveries: [pending(integration.id)] })),
      );
      const leased = await store.leaseDeliveries({ owner: 'w', limit: 2, leaseMs: 1000 });
      await store.completeDeliveries('w', [
        {
          deliveryId: leased[0]!.delivery.id,
          status: 'blocked',
          reason: 'missing_event_source_url: no page',
          reasonCode: 'missing_event_source_url',
        },
        { deliveryId: leased[1]!.delivery.id, status: 'failed', reason: 'refused', reasonCode: 'event_rejected' },
      ]);
      const health = await store.admin.deliveryHealth({ since: Date.now() - 60_000, now: Date.now() });
      expect(health.perMinute.map(({ failed, parked }) => ({ failed, parked }))).toEqual([{ failed: 1, parked: 1 }]);
    });
  });
}
