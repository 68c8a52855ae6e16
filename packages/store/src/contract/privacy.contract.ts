import { createHash } from 'node:crypto';
import type { EnrichedMessage } from '@datafirst/protocol';
import { describe, expect, it } from 'vitest';
import { identityHashes } from '../identity-hashes.js';
import type { Store } from '../store.js';
import { hoursAgo, message, pending, sourceWithIntegration, useStore, type CreateTestDatabase } from './harness.js';

/** A smart link of the source, for its clicks. */
function linkOf(store: Store, sourceId: string) {
  return store.links.createLink({
    sourceId,
    name: 'Link',
    destinationUrl: 'https://offer.example/',
    offerType: 'tracking_link',
    integrationIds: [],
    includeSourceIntegrations: true,
    clickIdParam: 'sub',
    conversionWindowDays: 28,
    events: {},
    currency: null,
  });
}

export function describePrivacy(createDatabase: CreateTestDatabase): void {
  describe('retention', () => {
    const under = useStore(createDatabase);

    it('deletes events received before the cutoff with their deliveries, keeping their outcomes as daily counts', async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const old = hoursAgo(24 * 40);
      await store.appendEvents(source.id, [
        { message: message('old-1', { receivedAt: old }), deliveries: [pending(integration.id)] },
        {
          message: message('old-2', { receivedAt: old }),
          deliveries: [{ integrationId: integration.id, status: 'skipped', reason: 'no consent', reasonCode: 'no_consent' }],
        },
        { message: message('old-3', { receivedAt: old }), deliveries: [pending(integration.id)] },
        { message: message('new-1'), deliveries: [pending(integration.id)] },
      ]);
      expect(await store.privacy.deleteEventsBefore(Date.now() - 30 * 24 * 3_600_000)).toBe(3);
      expect((await store.listEvents({})).map((event) => event.message.messageId)).toEqual(['new-1']);
      expect(await store.countDeliveries()).toMatchObject({ pending: 1, skipped: 0 });
      const day = old.slice(0, 10);
      expect(await store.privacy.dailyDeliveryCounts()).toEqual([
        { day, integrationId: integration.id, status: 'pending', reasonCode: null, count: 2 },
        { day, integrationId: integration.id, status: 'skipped', reasonCode: 'no_consent', count: 1 },
      ]);
      expect(await store.privacy.deleteEventsBefore(Date.now() - 30 * 24 * 3_600_000)).toBe(0);
    });
  });

  describe('retention of what is kept beside events', () => {
    const under = useStore(createDatabase);

    it('deletes profiles last updated before the cutoff, and takes who clicked off older smart-link clicks, keeping the clicks', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const identify = message('jane', { type: 'identify', userId: 'u-jane', traits: { email: 'jane@example.com' } });
      await store.appendEvents(source.id, [{ message: identify, deliveries: [] }]);
      const link = await linkOf(store, source.id);
      await store.links.recordClick({
        id: 'click-jane',
        linkId: link.id,
        adClickId: 'sc-1',
        ip: '203.0.113.7',
        userAgent: 'Jane’s phone',
        referrer: 'https://social.example/jane',
        query: [['fan', 'jane@example.com']],
        url: 'https://c.example/go/x?fan=jane@example.com',
        destination: 'https://offer.example/?fan=jane@example.com&df_click_id=click-jane',
        gpc: false,
      });

      expect(await store.privacy.expireRecordsBefore(Date.now() - 86_400_000)).toEqual({ profiles: 0, clicks: 0, syncRuns: 0 });
      expect(await store.getProfileTraits(source.id, 'u-jane')).toMatchObject({ email: 'jane@example.com' });

      expect(await store.privacy.expireRecordsBefore(Date.now() + 1000)).toEqual({ profiles: 2, clicks: 1, syncRuns: 0 });
      expect(await store.getProfileTraits(source.id, 'u-jane', 'anon-1')).toBeUndefined();
      expect(await store.links.getClick('click-jane')).toMatchObject({
        id: 'click-jane',
        adClickId: 'sc-1',
        ip: null,
        userAgent: null,
        referrer: null,
        query: [],
        url: 'https://c.example/go/x',
        destination: 'https://offer.example/',
      });
      expect(await store.privacy.expireRecordsBefore(Date.now() + 1000)).toEqual({ profiles: 0, clicks: 0, syncRuns: 0 });
    });
  });

  describe('erasure and suppression', () => {
    const under = useStore(createDatabase);

    it("erases a person's events (by email, and every event of the ids they carry), profiles and clicks", async () => {
      const { store } = under;
      const { source, integration } = await sourceWithIntegration(store);
      const link = await linkOf(store, source.id);
      await store.links.recordClick({
        id: 'click-jane',
        linkId: link.id,
        adClickId: null,
        ip: null,
        userAgent: null,
        referrer: null,
        query: [],
        url: 'https://c.example/go/x',
        destination: 'https://offer.example/',
        gpc: false,
      });
      const identify = message('jane-identify', {
        type: 'identify',
        userId: 'user-jane',
        anonymousId: 'anon-jane',
        traits: { email: ' Jane@Example.com ' },
      });
      await store.appendEvents(source.id, [
        { message: identify, deliveries: [pending(integration.id)] },
        { message: message('jane-later', { anonymousId: 'anon-jane' }), deliveries: [pending(integration.id)] },
        {
          message: message('jane-click', { anonymousId: 'click-jane', context: { traits: { email: 'jane@example.com' } } }),
          deliveries: [],
        },
        { message: message('someone-else', { anonymousId: 'anon-bob' }), deliveries: [pending(integration.id)] },
      ]);
      expect(await store.privacy.erasePerson({ email: 'JANE@example.com' })).toEqual({ events: 3, profiles: 2, clicks: 1 });
      expect((await store.listEvents({})).map((event) => event.message.messageId)).toEqual(['someone-else']);
      expect((await store.countDeliveries()).pending).toBe(1);
      expect(await store.getProfileTraits(source.id, 'user-jane', 'anon-jane')).toBeUndefined();
      expect(await store.links.getClick('click-jane')).toBeUndefined();
      expect(await store.privacy.erasePerson({ phone: '+1 555 0100' })).toEqual({ events: 0, profiles: 0, clicks: 0 });
    });

    it('erases by user id, anonymous id or phone (its digits)', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('by-user', { userId: 'u-1', anonymousId: 'a-x' }), deliveries: [] },
        { message: message('by-anon', { anonymousId: 'a-2' }), deliveries: [] },
        {
          message: message('by-phone', { anonymousId: 'a-3', context: { traits: { phone: '+1 (555) 010-0200' } } }),
          deliveries: [],
        },
      ]);
      expect(await store.privacy.erasePerson({ userId: 'u-1' })).toMatchObject({ events: 1 });
      expect(await store.privacy.erasePerson({ anonymousId: 'a-2' })).toMatchObject({ events: 1 });
      expect(await store.privacy.erasePerson({ phone: '15550100200' })).toMatchObject({ events: 1 });
      expect(await store.listEvents({})).toEqual([]);
    });

    it('erases the events that carry only an email or a phone, with no id to follow', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const noIds = { anonymousId: undefined };
      await store.appendEvents(source.id, [
        {
          message: message('email-only', { ...noIds, context: { traits: { email: 'only.email@example.com' } } }),
          deliveries: [],
        },
        { message: message('phone-only', { ...noIds, context: { traits: { phone: '+44 7700 900666' } } }), deliveries: [] },
        { message: message('other', { ...noIds, context: { traits: { email: 'other@example.com' } } }), deliveries: [] },
      ]);
      expect(await store.privacy.erasePerson({ email: 'only.email@example.com' })).toEqual({ events: 1, profiles: 0, clicks: 0 });
      expect(await store.privacy.erasePerson({ phone: '+447700900666' })).toEqual({ events: 1, profiles: 0, clicks: 0 });
      expect((await store.listEvents({})).map((event) => event.message.messageId)).toEqual(['other']);
    });

    it.each([
      ['in the properties', { properties: { email: 'erase.me@example.com' } }],
      ['with a blank inside', { context: { traits: { email: 'erase.me @example.com' } } }],
      ['after a tab', { context: { traits: { email: '\tErase.Me@example.com' } } }],
      ['in capitals beyond ASCII', { traits: { email: 'ÉLODIE.ERASE.ME@Example.com' } }],
    ])('erases an email %s, as Snapchat would hash it for the same person', async (_where, fields) => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        { message: message('variant', { anonymousId: undefined, ...fields }), deliveries: [] },
        { message: message('bystander', { anonymousId: 'a-bystander' }), deliveries: [] },
      ]);
      const email = JSON.stringify(fields).includes('LODIE') ? 'élodie.erase.me@example.com' : 'erase.me@example.com';
      expect(await store.privacy.erasePerson({ email })).toMatchObject({ events: 1 });
      expect((await store.listEvents({})).map((event) => event.message.messageId)).toEqual(['bystander']);
    });

    it.each(['+44 7700 900555', '0044 7700 900555', '+44 (0)7700 900555', '07700 900555', '+4407700900555'])(
      'erases a phone written %s by its national number, however the request writes it',
      async (written) => {
        const { store } = under;
        const { source } = await sourceWithIntegration(store);
        await store.appendEvents(source.id, [
          { message: message('phone', { anonymousId: undefined, properties: { phone: written } }), deliveries: [] },
          {
            message: message('other-number', { anonymousId: undefined, properties: { phone: '+44 7700 900556' } }),
            deliveries: [],
          },
        ]);
        expect(await store.privacy.erasePerson({ phone: '+44 7700 900555' })).toMatchObject({ events: 1 });
        expect((await store.listEvents({})).map((event) => event.message.messageId)).toEqual(['other-number']);
      },
    );

    it('erases the phones and emails Snapchat reads elsewhere: phone_number, lists, numbers, an email sent hashed', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const hashed = createHash('sha256').update('jane@example.com').digest('hex');
      const event = (id: string, extra: Partial<EnrichedMessage>) => ({
        message: message(id, { anonymousId: undefined, ...extra }),
        deliveries: [],
      });
      await store.appendEvents(source.id, [
        event('phone-number', { context: { traits: { phone_number: '+44 7700 900123' } } }),
        event('phone-list', { traits: { phoneNumber: ['+33 6 12 34 56 78', '07700 900123'] } }),
        event('phone-digits', { properties: { phone: 7700900123 } }),
        event('email-list', { context: { traits: { email: ['Jane@Example.com'] } } }),
        event('email-hashed', { context: { traits: { email: hashed } } }),
        // The same national digits in another country: another person.
        event('other-country', { context: { traits: { phone: '+1 770 090 0123' } } }),
      ]);
      expect(await store.privacy.erasePerson({ phone: '+44 7700 900123' })).toMatchObject({ events: 3 });
      expect(await store.privacy.erasePerson({ email: 'jane@example.com' })).toMatchObject({ events: 2 });
      expect((await store.listEvents({})).map((e) => e.message.messageId)).toEqual(['other-country']);
    });

    it("erases a profile whose phone is another writing of the request's", async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      const identify = message('identify', {
        type: 'identify',
        userId: 'u-phone',
        anonymousId: 'a-phone',
        traits: { phone: '07700 900444' },
      });
      await store.appendEvents(source.id, [{ message: identify, deliveries: [] }]);
      // The user id's profile and the anonymous id's.
      expect(await store.privacy.erasePerson({ phone: '+44 (0)7700 900444' })).toEqual({ events: 1, profiles: 2, clicks: 0 });
      expect(await store.getProfileTraits(source.id, 'u-phone', 'a-phone')).toBeUndefined();
    });

    it('with suppress, lists the given identifiers and the ids found with them', async () => {
      const { store } = under;
      const { source } = await sourceWithIntegration(store);
      await store.appendEvents(source.id, [
        {
          message: message('sup-1', { userId: 'u-sup', anonymousId: 'a-sup', traits: { email: 'sup@example.com' } }),
          deliveries: [],
        },
      ]);
      expect(await store.privacy.erasePerson({ email: 'sup@example.com' }, { suppress: true })).toMatchObject({ events: 1 });
      const probe = [
        ...identityHashes({ email: 'SUP@example.com' }),
        ...identityHashes({ userId: 'u-sup' }),
        ...identityHashes({ anonymousId: 'a-sup' }),
        ...identityHashes({ userId: 'u-other' }),
      ];
      // An email is listed by its address and by its SHA-256 (what senders that hash first send).
      expect(await store.privacy.suppressedAmong(probe)).toEqual(new Set(probe.slice(0, 4)));
    });

    it('keeps a suppression list of identifier hashes', async () => {
      const { store } = under;
      const hashes = identityHashes({ email: 'jane@example.com', userId: 'user-jane' });
      expect(await store.privacy.hasSuppressed()).toBe(false);
      await store.privacy.suppress(hashes);
      expect(await store.privacy.hasSuppressed()).toBe(true);
      await store.privacy.suppress(hashes);
      const probe = [...identityHashes({ email: ' JANE@example.com' }), ...identityHashes({ email: 'bob@example.com' })];
      expect(await store.privacy.suppressedAmong(probe)).toEqual(new Set(probe.slice(0, 2)));
      expect(await store.privacy.suppressedAmong([])).toEqual(new Set());
    });
  });
}
