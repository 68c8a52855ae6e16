import { describe, expect, it } from 'vitest';
import { hoursAgo, message, pending, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Match quality: how many deliveries carried each identifier, from what the deliveries recorded. */
export function describeMatchQuality(createDatabase: CreateTestDatabase): void {
  describe('match quality', () => {
    const under = useStore(createDatabase);

    it('counts, per integration, the events of the last hour and day that carried each identifier', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const carrying = (...identifiers: string[]) => [pending(integration.id, { identifiers })];
      await store.appendEvents(source.id, [
        { message: message('m-1'), deliveries: carrying('click_id', 'scid', 'ip_user_agent') },
        { message: message('m-2'), deliveries: carrying('email') },
        { message: message('m-3', { receivedAt: hoursAgo(3) }), deliveries: carrying('phone') },
        { message: message('m-4', { receivedAt: hoursAgo(30) }), deliveries: carrying('phone') },
      ]);
      // The email of an earlier identify call shows only in what the worker sent: it records it.
      const [first] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000 });
      await store.completeDeliveries('w', [
        {
          deliveryId: first!.delivery.id,
          status: 'delivered',
          identifiers: ['click_id', 'scid', 'ip_user_agent', 'email'],
        },
      ]);
      expect(await store.admin.matchQuality({ now: Date.now() })).toEqual([
        {
          integrationId: integration.id,
          integrationName: 'Pixel',
          lastHour: { events: 2, carrying: { click_id: 1, scid: 1, email: 2, phone: 0, ip_user_agent: 1 } },
          lastDay: { events: 3, carrying: { click_id: 1, scid: 1, email: 2, phone: 1, ip_user_agent: 1 } },
        },
      ]);
      expect(await store.admin.matchQuality({ now: Date.now(), sourceId: 'src_other' })).toEqual([]);
    });

    it('lists only the identifiers some delivery carried, and counts events carrying none', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('n-1'), deliveries: [pending(integration.id)] },
        { message: message('n-2'), deliveries: [pending(integration.id, { identifiers: ['custom_id'] })] },
      ]);
      expect(await store.admin.matchQuality({ now: Date.now() })).toEqual([
        {
          integrationId: integration.id,
          integrationName: 'Pixel',
          lastHour: { events: 2, carrying: { custom_id: 1 } },
          lastDay: { events: 2, carrying: { custom_id: 1 } },
        },
      ]);
    });

    it('counts each integration apart, by name, and filters by integration', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store, { name: 'Beta' });
      const alpha = await store.createIntegration({ ...integration, name: 'Alpha' });
      await store.appendEvents(source.id, [
        {
          message: message('i-1'),
          deliveries: [pending(integration.id, { identifiers: ['email'] }), pending(alpha.id, { identifiers: ['phone'] })],
        },
      ]);
      const counts = (identifier: string) => ({ events: 1, carrying: { [identifier]: 1 } });
      expect(await store.admin.matchQuality({ now: Date.now() })).toEqual([
        { integrationId: alpha.id, integrationName: 'Alpha', lastHour: counts('phone'), lastDay: counts('phone') },
        { integrationId: integration.id, integrationName: 'Beta', lastHour: counts('email'), lastDay: counts('email') },
      ]);
      expect(
        (await store.admin.matchQuality({ now: Date.now(), integrationId: alpha.id })).map((q) => q.integrationName),
      ).toEqual(['Alpha']);
    });
  });
}
