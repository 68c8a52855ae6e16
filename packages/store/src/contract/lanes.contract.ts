import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { message, pending, sleep, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** A source with `count` integrations, their ids in order of creation. */
async function integrations(store: Store, count: number): Promise<{ sourceId: string; ids: string[] }> {
  const { source, integration } = await sourceWithIntegration(store, { name: 'Pixel 1' });
  const ids = [integration.id];
  for (let i = 2; i <= count; i++) ids.push((await store.createIntegration({ ...integration, name: `Pixel ${i}` })).id);
  return { sourceId: source.id, ids };
}

/** Delivery lanes owned by one worker at a time, shared fairly, on the database's clock. */
export function describeLanes(createDatabase: CreateTestDatabase): void {
  describe('delivery lanes', () => {
    const under = useStore(createDatabase);

    it('gives a free lane to the first worker that asks, and not to another while its lease lasts', async () => {
      const { lanes } = under.store;
      const { ids } = await integrations(under.store, 1);
      expect(await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids })).toEqual({ held: ids, share: 1 });
      expect(await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: ids })).toEqual({ held: [], share: 1 });
      expect(await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids })).toEqual({ held: ids, share: 1 });
    });

    it('lets each live worker take at most its fair share of the lanes', async () => {
      const { lanes } = under.store;
      const { ids } = await integrations(under.store, 3);
      await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: [] });
      await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: [] });
      expect(await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids })).toEqual({
        held: [ids[0], ids[1]].sort(),
        share: 2,
      });
      expect(await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: ids })).toEqual({ held: [ids[2]], share: 2 });
    });

    it('lowers the share when a worker joins, and a lane given up goes to the worker that asks next', async () => {
      const { lanes } = under.store;
      const { ids } = await integrations(under.store, 4);
      expect(await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids })).toEqual({
        held: [...ids].sort(),
        share: 4,
      });
      expect(await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: ids })).toEqual({ held: [], share: 2 });
      expect((await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids })).share).toBe(2);
      await lanes.releaseLanes('a', [ids[2]!, ids[3]!]);
      expect(await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: ids })).toEqual({
        held: [ids[2], ids[3]].sort(),
        share: 2,
      });
      expect((await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids })).held).toEqual(
        [ids[0], ids[1]].sort(),
      );
    });

    it('renews the lanes a worker holds at each round, so they outlast their first lease', async () => {
      const { lanes } = under.store;
      const { ids } = await integrations(under.store, 1);
      await lanes.claimLanes({ owner: 'a', leaseMs: 200, integrationIds: ids });
      await sleep(120);
      expect((await lanes.claimLanes({ owner: 'a', leaseMs: 200, integrationIds: [] })).held).toEqual(ids);
      await sleep(120);
      expect((await lanes.claimLanes({ owner: 'b', leaseMs: 200, integrationIds: ids })).held).toEqual([]);
    });

    it('hands the lane of a worker that stopped renewing to another once its lease ran out', async () => {
      const { lanes } = under.store;
      const { ids } = await integrations(under.store, 2);
      await lanes.claimLanes({ owner: 'a', leaseMs: 100, integrationIds: ids });
      expect((await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: ids })).held).toEqual([]);
      await sleep(150);
      // The dead worker no longer counts either: the survivor's share is every lane.
      expect(await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: ids })).toEqual({
        held: [...ids].sort(),
        share: 2,
      });
      expect((await lanes.claimLanes({ owner: 'a', leaseMs: 100, integrationIds: ids })).held).toEqual([]);
    });

    it('frees every lane of a stopping worker at once, and stops counting it', async () => {
      const { lanes } = under.store;
      const { ids } = await integrations(under.store, 2);
      await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: [] });
      await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: [] });
      expect((await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids })).held).toEqual([ids[0]]);
      await lanes.releaseLanes('a');
      expect(await lanes.claimLanes({ owner: 'b', leaseMs: 60_000, integrationIds: ids })).toEqual({
        held: [...ids].sort(),
        share: 2,
      });
    });

    it('drops the lane of a deleted integration', async () => {
      const { lanes } = under.store;
      const { ids } = await integrations(under.store, 2);
      await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids });
      await under.store.deleteIntegration(ids[0]!);
      expect(await lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: [] })).toEqual({ held: [ids[1]], share: 1 });
    });

    it("leases a lane's deliveries with requireLane only while the worker holds that lane", async () => {
      const { store } = under;
      const { sourceId, ids } = await integrations(store, 1);
      const integrationId = ids[0]!;
      await store.appendEvents(sourceId, [
        { message: message('rl-1'), deliveries: [pending(integrationId)] },
        { message: message('rl-2'), deliveries: [pending(integrationId)] },
      ]);
      const lease = (owner: string) =>
        store.leaseDeliveries({ owner, limit: 1, leaseMs: 60_000, integrationId, requireLane: true });
      expect(await lease('a')).toEqual([]);
      await store.lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: ids });
      expect(await lease('b')).toEqual([]);
      expect((await lease('a')).map((l) => l.event.message.messageId)).toEqual(['rl-1']);
      await store.lanes.releaseLanes('a', ids);
      expect(await lease('a')).toEqual([]);
      // Without requireLane, the delivery lease alone decides.
      const [free] = await store.leaseDeliveries({ owner: 'b', limit: 1, leaseMs: 60_000, integrationId });
      expect(free!.event.message.messageId).toBe('rl-2');
    });

    it('leases nothing of a resting lane, to its owner or a worker taking it over, until the rest is over', async () => {
      const { store } = under;
      const { sourceId, ids } = await integrations(store, 2);
      const [resting, other] = ids as [string, string];
      await store.appendEvents(sourceId, [
        { message: message('r-1'), deliveries: [pending(resting), pending(other)] },
        { message: message('r-2'), deliveries: [pending(resting)] },
      ]);
      await store.lanes.restLane(resting, 400);
      // A shorter rest asked for later (another batch's Retry-After) does not cut it short.
      await store.lanes.restLane(resting, 1);
      const lease = (owner: string, integrationId?: string) =>
        store.leaseDeliveries({ owner, limit: 10, leaseMs: 60_000, integrationId });
      expect(await lease('a', resting)).toEqual([]);
      expect(await lease('b', resting)).toEqual([]);
      expect(await store.dueIntegrations()).toEqual([other]);
      // Leasing across lanes passes it by, and the other lane sends on.
      expect((await lease('c')).map((l) => l.delivery.integrationId)).toEqual([other]);
      await sleep(450);
      expect(await store.dueIntegrations()).toEqual([resting]);
      expect((await lease('b', resting)).map((l) => l.event.message.messageId)).toEqual(['r-1', 'r-2']);
    });

    it("reports each integration's lane owner, its pending deliveries and how long the oldest has waited", async () => {
      const { store } = under;
      const { sourceId, ids } = await integrations(store, 2);
      const [busy, quiet] = ids as [string, string];
      await store.appendEvents(sourceId, [
        { message: message('s-1'), deliveries: [pending(busy), { integrationId: quiet, status: 'skipped' }] },
        { message: message('s-2'), deliveries: [pending(busy)] },
      ]);
      await sleep(60);
      await store.appendEvents(sourceId, [{ message: message('s-3'), deliveries: [pending(busy)] }]);
      const [sent] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000, integrationId: busy });
      await store.completeDeliveries('w', [{ deliveryId: sent!.delivery.id, status: 'delivered' }]);
      await store.lanes.claimLanes({ owner: 'a', leaseMs: 60_000, integrationIds: [busy] });
      const states = (await store.lanes.laneStates()).sort((x, y) => ids.indexOf(x.integrationId) - ids.indexOf(y.integrationId));
      expect(states.map(({ oldestPendingAgeMs: _, ...rest }) => rest)).toEqual([
        { integrationId: busy, owner: 'a', pending: 2 },
        { integrationId: quiet, owner: null, pending: 0 },
      ]);
      // s-1 was delivered: the oldest waiting is s-2, stored with it before the pause.
      expect(states[0]!.oldestPendingAgeMs).toBeGreaterThanOrEqual(60);
      expect(states[0]!.oldestPendingAgeMs).toBeLessThan(60_000);
      expect(states[1]!.oldestPendingAgeMs).toBeNull();
    });
  });
}
