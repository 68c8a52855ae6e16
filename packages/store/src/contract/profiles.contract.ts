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
          message: message('p-1', { type: 'identify', event: undefined, traits: { gender: 'f', city: 'Leeds' } }),
          deliveries: [],
        },
        {
          message: message('p-2', {
            type: 'identify',
            event: undefined,
            anonymousId: 'anon-2',
            userId: 'u-2',
            traits: { gender: 'm' },
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
      ).toEqual([{ gender: 'f', city: 'Leeds' }, { gender: 'm', city: 'Leeds', userId: 'u-2' }, undefined, undefined]);
      const other = await store.createSource({ name: 'Other' });
      expect(await store.profileTraitsFor(other.id, [{ anonymousId: 'anon-1' }])).toEqual([undefined]);
    });

    it('keeps identity traits only, each value bounded, whatever an identify call sends', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const traits = {
        email: 'jane@example.com',
        plan: 'pro',
        cart: { items: [1, 2, 3] },
        firstName: 'x'.repeat(257),
        phone: ['+447700900001', '+447700900002', '+447700900003', '+447700900004', '+447700900005', '+447700900006'],
        address: { city: 'Leeds', street: '1 Road', floor: 3 },
      };
      await store.appendEvents(source.id, [
        { message: message('b-1', { type: 'identify', event: undefined, anonymousId: 'anon-b', traits }), deliveries: [] },
      ]);
      expect(await store.getProfileTraits(source.id, undefined, 'anon-b')).toEqual({
        email: 'jane@example.com',
        phone: ['+447700900001', '+447700900002', '+447700900003', '+447700900004', '+447700900005'],
        address: { street: '1 Road', city: 'Leeds' },
      });
    });

    it('keeps a profile under 8 KB after 20 identify batches of about 470 KB for one user', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      // Each message carries 1,000 junk traits of about 58 bytes, and every identity trait at its longest.
      const longest = 'v'.repeat(256);
      const identity = Object.fromEntries(
        ['email', 'phone', 'firstName', 'lastName', 'name', 'birthday', 'gender', 'city', 'state', 'zip', 'country'].map(
          (key) => [key, [longest, longest, longest, longest, longest]],
        ),
      );
      for (let batch = 0; batch < 20; batch++) {
        const events = Array.from({ length: 8 }, (_, i) => {
          const junk = Object.fromEntries(Array.from({ length: 1000 }, (_, k) => [`t${batch}_${i}_${k}`, 'x'.repeat(48)]));
          return {
            message: message(`big-${batch}-${i}`, {
              type: 'identify',
              event: undefined,
              userId: 'u-big',
              traits: { ...junk, ...identity },
            }),
            deliveries: [],
          };
        });
        expect(JSON.stringify(events.map((event) => event.message)).length).toBeGreaterThan(470_000);
        await store.appendEvents(source.id, events);
      }
      const profile = await store.getProfileTraits(source.id, 'u-big', 'anon-1');
      const size = Buffer.byteLength(JSON.stringify(profile));
      expect(size).toBeLessThanOrEqual(8 * 1024);
      expect(size).toBeGreaterThan(7 * 1024);
      expect(Object.keys(profile!).every((key) => ['userId', ...Object.keys(identity)].includes(key))).toBe(true);
      expect(profile!.userId).toBe('u-big');
    });

    it("lets an untrusted sender's identify add traits to its anonymous id only, never to the user id's profile", async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const identify = (messageId: string, anonymousId: string, email: string) =>
        message(messageId, { type: 'identify', event: undefined, userId: 'victim', anonymousId, traits: { email } });
      await store.appendEvents(source.id, [{ message: identify('srv-1', 'anon-v', 'victim@example.com'), deliveries: [] }]);
      await store.appendEvents(source.id, [
        { message: identify('web-1', 'anon-attacker', 'attacker@example.com'), deliveries: [], anonymousProfileOnly: true },
      ]);
      expect(await store.getProfileTraits(source.id, 'victim')).toEqual({ email: 'victim@example.com', userId: 'victim' });
      expect(await store.getProfileTraits(source.id, undefined, 'anon-attacker')).toEqual({
        email: 'attacker@example.com',
        userId: 'victim',
      });
      // A trusted sender (a server, its write key secret) still updates the user's profile.
      await store.appendEvents(source.id, [{ message: identify('srv-2', 'anon-v', 'new@example.com'), deliveries: [] }]);
      expect(await store.getProfileTraits(source.id, 'victim')).toEqual({ email: 'new@example.com', userId: 'victim' });
    });

    it("links no profiles for an untrusted sender's alias", async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        {
          message: message('ua-1', {
            type: 'identify',
            event: undefined,
            anonymousId: 'anon-evil',
            traits: { email: 'evil@example.com' },
          }),
          deliveries: [],
          anonymousProfileOnly: true,
        },
        {
          message: message('ua-2', {
            type: 'alias',
            event: undefined,
            anonymousId: undefined,
            previousId: 'anon-evil',
            userId: 'victim-2',
          }),
          deliveries: [],
          anonymousProfileOnly: true,
        },
      ]);
      expect(await store.getProfileTraits(source.id, 'victim-2')).toBeUndefined();
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
