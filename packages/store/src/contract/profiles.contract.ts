import { describe, expect, it } from 'vitest';
import { message, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** Profiles that identify calls build, and the traits looked up for later events. */
export function describeProfiles(createDatabase: CreateTestDatabase): void {
  describe('profiles', () => {
    const under = useStore(createDatabase);

    it('merges identify traits into profiles found by userId or anonymousId', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        {
          message: message('i-1', { type: 'identify', event: undefined, traits: { email: 'a@b.co', firstName: 'Ann' } }),
          deliveries: [],
        },
        {
          message: message('i-2', { type: 'identify', event: undefined, userId: 'u-1', traits: { firstName: 'Anna' } }),
          deliveries: [],
        },
      ]);
      expect(await store.getProfileTraits(source.id, undefined, 'anon-1')).toEqual({
        email: 'a@b.co',
        firstName: 'Anna',
        userId: 'u-1',
      });
      expect(await store.getProfileTraits(source.id, 'u-1', 'anon-1')).toEqual({
        email: 'a@b.co',
        firstName: 'Anna',
        userId: 'u-1',
      });
      expect(await store.getProfileTraits(source.id, 'u-2', 'anon-2')).toBeUndefined();
    });

    it("takes an identify call's context traits, its own traits winning", async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        {
          message: message('c-1', {
            type: 'identify',
            event: undefined,
            anonymousId: 'anon-9',
            context: { traits: { email: 'ctx@b.co', phone: '+447700900123' } },
            traits: { email: 'own@b.co' },
          }),
          deliveries: [],
        },
      ]);
      expect(await store.getProfileTraits(source.id, undefined, 'anon-9')).toEqual({
        email: 'own@b.co',
        phone: '+447700900123',
      });
    });

    it("looks up many people at once, the user's profile winning over the anonymous one", async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        {
          message: message('p-1', { type: 'identify', event: undefined, traits: { plan: 'free', city: 'Leeds' } }),
          deliveries: [],
        },
        {
          message: message('p-2', {
            type: 'identify',
            event: undefined,
            anonymousId: 'anon-2',
            userId: 'u-2',
            traits: { plan: 'pro' },
          }),
          deliveries: [],
        },
      ]);
      expect(
        await store.profileTraitsFor(source.id, [
          { anonymousId: 'anon-1' },
          { userId: 'u-2', anonymousId: 'anon-1' },
          { userId: 'nobody' },
          {},
        ]),
      ).toEqual([{ plan: 'free', city: 'Leeds' }, { plan: 'pro', city: 'Leeds', userId: 'u-2' }, undefined, undefined]);
      const other = await store.createSource({ name: 'Other' });
      expect(await store.profileTraitsFor(other.id, [{ anonymousId: 'anon-1' }])).toEqual([undefined]);
    });

    it("links an alias's previousId to its userId: either id then finds what both knew", async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        {
          message: message('al-1', { type: 'identify', event: undefined, anonymousId: 'anon-7', traits: { email: 'a@b.co' } }),
          deliveries: [],
        },
        {
          message: message('al-2', {
            type: 'identify',
            event: undefined,
            anonymousId: undefined,
            userId: 'u-7',
            traits: { firstName: 'Ann' },
          }),
          deliveries: [],
        },
        {
          message: message('al-3', {
            type: 'alias',
            event: undefined,
            anonymousId: undefined,
            previousId: 'anon-7',
            userId: 'u-7',
          }),
          deliveries: [],
        },
      ]);
      const linked = { email: 'a@b.co', firstName: 'Ann', userId: 'u-7' };
      expect(await store.getProfileTraits(source.id, 'u-7')).toEqual(linked);
      expect(await store.getProfileTraits(source.id, undefined, 'anon-7')).toEqual(linked);
      // No user profile is made up for an id that only ever was anonymous.
      expect(await store.profileTraitsFor(source.id, [{ userId: 'anon-7' }])).toEqual([undefined]);
    });

    it('links an earlier userId to a new one, the new profile winning per field', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const identify = (id: string, userId: string, traits: Record<string, string>) => ({
        message: message(id, { type: 'identify', event: undefined, anonymousId: undefined, userId, traits }),
        deliveries: [],
      });
      await store.appendEvents(source.id, [
        identify('old-1', 'u-old', { phone: '+447700900123', city: 'Leeds' }),
        identify('new-1', 'u-new', { city: 'York' }),
        {
          message: message('link-1', {
            type: 'alias',
            event: undefined,
            anonymousId: undefined,
            previousId: 'u-old',
            userId: 'u-new',
          }),
          deliveries: [],
        },
      ]);
      const linked = { phone: '+447700900123', city: 'York', userId: 'u-new' };
      expect(await store.getProfileTraits(source.id, 'u-new')).toEqual(linked);
      expect(await store.getProfileTraits(source.id, 'u-old')).toEqual(linked);
    });
  });
}
