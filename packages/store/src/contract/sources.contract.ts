import { describe, expect, it } from 'vitest';
import type { Source } from '../store.js';
import { message, pending, SECRET_KEY, sleep, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Sources and their write keys: creating, rotating, renaming and deleting them. */
export function describeSources(createDatabase: CreateTestDatabase): void {
  describe('sources', () => {
    const under = useStore(createDatabase);

    it('keeps data across reopening the database', async () => {
      const source = await under.store.createSource({ name: 'Shop', writeKey: 'wk_fixed' });
      const store = await under.reopen();
      expect(await store.findSourceByWriteKey('wk_fixed')).toEqual(source);
    });

    it('makes a random write key when none is given, and finds sources by id and key', async () => {
      const { store } = under;
      const first = await store.createSource({ name: 'First' });
      const second = await store.createSource({ name: 'Second', writeKey: 'wk_given' });
      expect(first.id).toMatch(/^src_/);
      expect(first.writeKey).toMatch(/^wk_[\w-]{24}$/);
      expect(second.writeKey).toBe('wk_given');
      // Sources made in the same millisecond come in id order: compare them as a set.
      const byId = (sources: Source[]) => [...sources].sort((x, y) => x.id.localeCompare(y.id));
      expect(byId(await store.listSources())).toEqual(byId([first, second]));
      expect(await store.getSource(second.id)).toEqual(second);
      expect(await store.getSource('src_nope')).toBeUndefined();
      expect(await store.findSourceByWriteKey('wk_nope')).toBeUndefined();
    });
  });

  describe('write key rotation', () => {
    const under = useStore(createDatabase);

    it('accepts the old key during the grace period and the new one from the start', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const rotated = await store.admin.rotateWriteKey(source.id, 60_000);
      expect(rotated!.writeKey).toMatch(/^wk_[\w-]{24}$/);
      expect(rotated!.writeKey).not.toBe('wk_original_key');
      expect(Date.parse(rotated!.previousKeyExpiresAt!)).toBeGreaterThan(Date.now() + 50_000);
      expect((await store.findSourceByWriteKey('wk_original_key'))?.id).toBe(source.id);
      expect((await store.findSourceByWriteKey(rotated!.writeKey))?.id).toBe(source.id);
    });

    it('stops the old key once the grace period is over, or at once without one', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.admin.rotateWriteKey(source.id, 30);
      await sleep(50);
      expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
      expect((await store.getSource(source.id))!.previousKeyExpiresAt).toBeUndefined();

      const second = await store.admin.rotateWriteKey(source.id, 0);
      expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
      expect((await store.findSourceByWriteKey(second!.writeKey))?.id).toBe(source.id);
    });

    it('gives a grace period only to the latest previous key', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const first = await store.admin.rotateWriteKey(source.id, 60_000);
      await store.admin.rotateWriteKey(source.id, 60_000);
      expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
      expect((await store.findSourceByWriteKey(first!.writeKey))?.id).toBe(source.id);
    });

    it('answers undefined for an unknown source', async () => {
      const { store } = under;
      expect(await store.admin.rotateWriteKey('src_nope', 0)).toBeUndefined();
      expect(await store.admin.updateSource('src_nope', { name: 'x' })).toBeUndefined();
      expect(await store.admin.deleteSource('src_nope')).toBe(false);
    });
  });

  describe('renaming and deleting sources', () => {
    const under = useStore(createDatabase);

    it('renames a source and keeps its key', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      expect(await store.admin.updateSource(source.id, { name: 'Main shop' })).toEqual({ ...source, name: 'Main shop' });
    });

    it('starts a source with no allowed origins and no rate limit, and changes each setting alone', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      expect(source).toMatchObject({ allowedOrigins: [], rateLimitRps: null });
      const origins = ['https://shop.example', 'https://checkout.example:8443'];
      expect(await store.admin.updateSource(source.id, { allowedOrigins: origins })).toEqual({
        ...source,
        allowedOrigins: origins,
      });
      expect(await store.admin.updateSource(source.id, { rateLimitRps: 50 })).toEqual({
        ...source,
        allowedOrigins: origins,
        rateLimitRps: 50,
      });
      expect(await store.admin.updateSource(source.id, { rateLimitRps: null, name: 'Shop' })).toEqual({
        ...source,
        name: 'Shop',
        allowedOrigins: origins,
        rateLimitRps: null,
      });
      expect(await store.findSourceByWriteKey(source.writeKey)).toMatchObject({ allowedOrigins: origins, rateLimitRps: null });
    });

    it('starts every source as a browser source, and marks one server-side (its key secret) and back', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      expect(source.serverSide).toBe(false);
      expect(await store.admin.updateSource(source.id, { serverSide: true })).toEqual({ ...source, serverSide: true });
      expect(await store.findSourceByWriteKey(source.writeKey)).toMatchObject({ serverSide: true });
      // Another change leaves it as it is.
      expect(await store.admin.updateSource(source.id, { name: 'Backend' })).toMatchObject({ serverSide: true });
      expect(await store.admin.updateSource(source.id, { serverSide: false })).toMatchObject({ serverSide: false });
    });

    it('deletes a source with its integrations and its events, whose raw PII goes with them', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const other = await store.createSource({ name: 'Other' });
      const withEmail = message('d-1', { type: 'identify', traits: { email: 'jane@example.com' } });
      await store.appendEvents(source.id, [{ message: withEmail, deliveries: [pending(integration.id)] }]);
      await store.appendEvents(other.id, [{ message: message('kept-1'), deliveries: [] }]);
      expect(await store.admin.deleteSource(source.id)).toBe(true);
      expect(await store.getSource(source.id)).toBeUndefined();
      expect(await store.getIntegration(integration.id)).toBeUndefined();
      expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
      const events = await store.listEvents({});
      expect(events.map((event) => [event.sourceId, event.message.messageId])).toEqual([[other.id, 'kept-1']]);
      expect(Object.values(await store.countDeliveries()).every((count) => count === 0)).toBe(true);
    });
  });

  describe('secrets at rest', () => {
    const under = useStore(createDatabase);

    it('returns sealed write keys and secret config values opened, to the admin and the worker', async () => {
      const store = await under.reopen({ secretKey: SECRET_KEY });
      const { source, integration } = await sourceWithIntegration(store, { secret: 'secret-api-secret' });
      const rotated = await store.admin.rotateWriteKey(source.id, 60_000);
      expect((await store.getIntegration(integration.id))!.config).toEqual({ account: 'acc-1', api_secret: 'secret-api-secret' });
      expect((await store.findSourceByWriteKey('wk_original_key'))?.id).toBe(source.id);
      expect((await store.getSource(source.id))!.writeKey).toBe(rotated!.writeKey);

      await store.appendEvents(source.id, [{ message: message('s-1'), deliveries: [pending(integration.id)] }]);
      const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000 });
      expect(leased!.integration.config.api_secret).toBe('secret-api-secret');
    });

    it('keeps secrets stored before a secret key was set working once it is set', async () => {
      const { source, integration } = await sourceWithIntegration(under.store, { secret: 'old-plain-secret' });
      const store = await under.reopen({ secretKey: SECRET_KEY });
      expect((await store.getIntegration(integration.id))!.config.api_secret).toBe('old-plain-secret');
      expect((await store.findSourceByWriteKey('wk_original_key'))?.id).toBe(source.id);
      const updated = await store.updateIntegration(integration.id, { config: { account: 'acc-1', api_secret: 'new-secret' } });
      expect(updated!.config.api_secret).toBe('new-secret');
      expect((await (await under.reopen({ secretKey: SECRET_KEY })).getIntegration(integration.id))!.config.api_secret).toBe(
        'new-secret',
      );
    });

    it('refuses to open sealed secrets without the key or with another key', async () => {
      await sourceWithIntegration(await under.reopen({ secretKey: SECRET_KEY }));
      await expect(under.reopen({})).rejects.toThrow(/encrypted at rest/);
      await expect(under.reopen({ secretKey: 'another-key-of-at-least-32-characters' })).rejects.toThrow(
        /does not open with this secret key/,
      );
      const store = await under.reopen({ secretKey: SECRET_KEY });
      expect((await store.listSources())[0]!.writeKey).toBe('wk_original_key');
    });
  });
}
