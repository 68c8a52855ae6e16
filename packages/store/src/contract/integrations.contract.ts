import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { message, pending, sleep, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/**
 * Integrations: their settings, deleting them, pausing them when credentials are refused, and
 * requeueing what a settings change may cure.
 */
export function describeIntegrations(createDatabase: CreateTestDatabase): void {
  describe('integrations', () => {
    const under = useStore(createDatabase);

    it('keeps any vendor name and its config, and lists integrations by source in creation order', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      expect(integration).toMatchObject({
        sourceId: source.id,
        vendor: 'example',
        name: 'Pixel',
        enabled: true,
        config: { account: 'acc-1', api_secret: 'plain-api-secret' },
        consentCategories: ['advertising'],
        pausedReason: null,
      });
      expect(integration.id).toMatch(/^int_/);
      const second = await store.createIntegration({ ...integration, vendor: 'another-platform', name: 'Second' });
      expect(await store.getIntegration(second.id)).toEqual(second);
      expect((await store.listIntegrations(source.id)).map((i) => i.name)).toEqual(['Pixel', 'Second']);
      expect(await store.listIntegrations('src_other')).toEqual([]);
      expect((await store.listIntegrations()).map((i) => i.vendor)).toEqual(['example', 'another-platform']);
      expect(await store.getIntegration('int_nope')).toBeUndefined();
    });

    it('updates only the fields a patch gives', async () => {
      const { store } = under;
      const { integration } = await sourceWithIntegration(store);
      const updated = await store.updateIntegration(integration.id, { enabled: false, consentCategories: [] });
      expect(updated).toMatchObject({ name: 'Pixel', enabled: false, consentCategories: [], config: integration.config });
      expect(await store.updateIntegration('int_nope', { name: 'x' })).toBeUndefined();
    });

    it('skips the waiting deliveries of a deleted integration with the integration_deleted code', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('d-1'), deliveries: [pending(integration.id)] },
        { message: message('d-2'), deliveries: [{ integrationId: integration.id, status: 'blocked', reason: 'paused: x' }] },
      ]);
      expect(await store.deleteIntegration(integration.id)).toBe(true);
      expect(await store.deleteIntegration(integration.id)).toBe(false);
      expect(await store.getIntegration(integration.id)).toBeUndefined();
      for (const record of await store.listEvents({})) {
        expect(record.deliveries[0]).toMatchObject({
          status: 'skipped',
          reason: 'integration_deleted',
          reasonCode: 'integration_deleted',
          integrationName: '(deleted)',
        });
      }
    });

    it('pauses an integration: its pending deliveries are blocked with the credentials_refused code', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('p-1'), deliveries: [pending(integration.id)] }]);
      await store.pauseIntegration(integration.id, 'credentials refused: 401');
      expect((await store.getIntegration(integration.id))!.pausedReason).toBe('credentials refused: 401');
      const [record] = await store.listEvents({});
      expect(record!.deliveries[0]).toMatchObject({
        status: 'blocked',
        reason: 'paused: credentials refused: 401',
        reasonCode: 'credentials_refused',
      });
      expect(await store.dueIntegrations()).toEqual([]);
    });

    it('resumes a paused integration: blocked deliveries are due again with the credentials_changed code', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('r-1'), deliveries: [pending(integration.id)] },
        { message: message('r-2'), deliveries: [pending(integration.id)] },
      ]);
      await store.pauseIntegration(integration.id, 'credentials refused: 401');
      expect(await store.resumeIntegration(integration.id)).toBe(2);
      expect((await store.getIntegration(integration.id))!.pausedReason).toBeNull();
      for (const record of await store.listEvents({})) {
        expect(record.deliveries[0]).toMatchObject({
          status: 'pending',
          reason: 'requeued: credentials changed',
          reasonCode: 'credentials_changed',
        });
      }
      expect(await store.dueIntegrations()).toEqual([integration.id]);
      expect(await store.resumeIntegration(integration.id)).toBe(0);
    });

    it('gives resumed deliveries a fresh retry window: the time paused does not count', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('w-1'), deliveries: [pending(integration.id)] }]);
      await store.pauseIntegration(integration.id, 'credentials refused: 401');
      const [before] = await store.listEvents({});
      await sleep(5);
      await store.resumeIntegration(integration.id);
      const [after] = await store.listEvents({});
      expect(after!.deliveries[0]!.retryFrom).toBeGreaterThan(before!.deliveries[0]!.retryFrom);
      expect(after!.deliveries[0]!.nextAttemptAt).toBe(after!.deliveries[0]!.retryFrom);
    });

    /** Parks `k-1` and `k-2` with the reason code `site_missing`, `k-3` with `other_setting`, `k-4` with `credentials_refused`, and leaves `k-5` pending. */
    async function parked(store: Store) {
      const { source, integration } = await sourceWithIntegration(store);
      const second = await store.createIntegration({ ...integration, name: 'Second' });
      const park = (integrationId: string, reasonCode: string) => ({
        integrationId,
        status: 'blocked' as const,
        reason: `parked: ${reasonCode}`,
        reasonCode,
      });
      await store.appendEvents(source.id, [
        { message: message('k-1'), deliveries: [park(integration.id, 'site_missing'), park(second.id, 'site_missing')] },
        { message: message('k-2'), deliveries: [park(integration.id, 'site_missing')] },
        { message: message('k-3'), deliveries: [park(integration.id, 'other_setting')] },
        { message: message('k-4'), deliveries: [park(integration.id, 'credentials_refused')] },
        { message: message('k-5'), deliveries: [pending(integration.id)] },
      ]);
      return { integration, second };
    }

    /** messageId → status and reason code of each delivery to `integrationId`. */
    const deliveriesTo = async (store: Store, integrationId: string) =>
      Object.fromEntries(
        (await store.listEvents({})).flatMap((record) =>
          record.deliveries
            .filter((delivery) => delivery.integrationId === integrationId)
            .map((delivery) => [record.message.messageId, `${delivery.status} ${delivery.reasonCode}`]),
        ),
      );

    it('requeues the deliveries parked with the given reason codes, on that integration only', async () => {
      const { store } = under;
      const { integration, second } = await parked(store);
      expect(await store.dueIntegrations()).toEqual([integration.id]);
      expect(await store.requeueParked(integration.id, ['site_missing'])).toBe(2);
      expect(await deliveriesTo(store, integration.id)).toEqual({
        'k-1': 'pending config_changed',
        'k-2': 'pending config_changed',
        'k-3': 'blocked other_setting',
        'k-4': 'blocked credentials_refused',
        'k-5': 'pending null',
      });
      expect(await deliveriesTo(store, second.id)).toEqual({ 'k-1': 'blocked site_missing' });
      const [requeued] = (await store.listEvents({})).filter((record) => record.message.messageId === 'k-2');
      expect(requeued!.deliveries[0]).toMatchObject({ reason: 'requeued: settings changed', reasonCode: 'config_changed' });
      expect(requeued!.deliveries[0]!.nextAttemptAt).toBe(requeued!.deliveries[0]!.retryFrom);
      const due = await store.leaseDeliveries({ owner: 'w', limit: 10, leaseMs: 60_000, integrationId: integration.id });
      expect(due.map(({ event }) => event.message.messageId).sort()).toEqual(['k-1', 'k-2', 'k-5']);
    });

    it('requeues several reason codes at once, and nothing for codes nothing is parked with', async () => {
      const { store } = under;
      const { integration } = await parked(store);
      expect(await store.requeueParked(integration.id, ['nothing_parked'])).toBe(0);
      expect(await store.requeueParked(integration.id, [])).toBe(0);
      expect(await store.requeueParked(integration.id, ['site_missing', 'other_setting'])).toBe(3);
      expect(await store.requeueParked(integration.id, ['site_missing', 'other_setting'])).toBe(0);
      expect(await deliveriesTo(store, integration.id)).toMatchObject({
        'k-3': 'pending config_changed',
        'k-4': 'blocked credentials_refused',
      });
    });

    it('leaves a leased delivery to its worker when the integration is paused', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [{ message: message('h-1'), deliveries: [pending(integration.id)] }]);
      await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
      await store.pauseIntegration(integration.id, 'credentials refused: 401');
      const [record] = await store.listEvents({});
      expect(record!.deliveries[0]).toMatchObject({ status: 'pending', reasonCode: null });
    });
  });
}
