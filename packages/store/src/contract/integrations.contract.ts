import { describe, expect, it } from 'vitest';
import { message, pending, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Integrations: their settings, deleting them, and pausing them when credentials are refused. */
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
