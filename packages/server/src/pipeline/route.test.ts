import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration } from '@datafirst/store';
import { describe, expect, it } from 'vitest';
import { DestinationRegistry, type AnyDestination } from '@datafirst/destination';
import { excludedBySender, routeDeliveries } from './route.js';

// A destination that finds one identifier in every message, to show identifiers are recorded.
const snap = {
  vendor: 'snapchat',
  name: 'Snapchat',
  aliases: ['Snap Conversions Api'],
  identifiersOf: () => ['email'],
} as unknown as AnyDestination;
const destinations = new DestinationRegistry([snap]);
const route = (m: EnrichedMessage, list: Integration[], skip?: Parameters<typeof routeDeliveries>[3]) =>
  routeDeliveries(m, list, destinations, skip);

const integration = (id: string, extra: Partial<Integration> = {}): Integration => ({
  id,
  sourceId: 'src',
  vendor: 'snapchat',
  name: id,
  enabled: true,
  config: {},
  consentCategories: ['advertising'],
  pausedReason: null,
  createdAt: '',
  updatedAt: '',
  ...extra,
});

const message = (type: EnrichedMessage['type'], advertising?: boolean): EnrichedMessage => ({
  type,
  event: 'E',
  messageId: 'm',
  timestamp: '',
  receivedAt: '',
  context: advertising === undefined ? {} : { consent: { categoryPreferences: { advertising } } },
});

describe('routeDeliveries', () => {
  it('creates one pending delivery per enabled integration when consent covers it', () => {
    expect(route(message('track', true), [integration('a'), integration('b', { enabled: false }), integration('c')])).toEqual([
      { integrationId: 'a', identifiers: ['email'], status: 'pending' },
      { integrationId: 'c', identifiers: ['email'], status: 'pending' },
    ]);
  });

  it('skips with the reason when a consent category is missing or refused', () => {
    expect(route(message('page', false), [integration('a')])).toEqual([
      {
        integrationId: 'a',
        identifiers: ['email'],
        status: 'skipped',
        reasonCode: 'no_consent',
        reason: 'no_consent: advertising',
      },
    ]);
    expect(route(message('page'), [integration('a', { consentCategories: ['advertising', 'analytics'] })])).toEqual([
      {
        integrationId: 'a',
        identifiers: ['email'],
        status: 'skipped',
        reasonCode: 'no_consent',
        reason: 'no_consent: advertising, analytics',
      },
    ]);
  });

  it("compares consent categories ignoring case, the integration's and the message's", () => {
    const capitalised = { ...message('page'), context: { consent: { categoryPreferences: { Advertising: true } } } };
    expect(route(capitalised, [integration('a')]).map((delivery) => delivery.status)).toEqual(['pending']);
    expect(route(message('page', true), [integration('b', { consentCategories: ['Advertising'] })]).map((d) => d.status)).toEqual(
      ['pending'],
    );
    const refused = {
      ...message('page'),
      context: { consent: { categoryPreferences: { Advertising: false, advertising: true } } },
    };
    expect(route(refused, [integration('c')]).map((delivery) => delivery.reasonCode)).toEqual(['no_consent']);
  });

  it('sends regardless of consent to an integration that asks for no category', () => {
    expect(route(message('track', false), [integration('a', { consentCategories: [] })])).toEqual([
      { integrationId: 'a', identifiers: ['email'], status: 'pending' },
    ]);
  });

  it('parks deliveries as blocked while the integration is paused for refused credentials', () => {
    expect(
      route(message('track', true), [integration('a', { pausedReason: 'credentials refused: Invalid access token' })]),
    ).toEqual([
      {
        integrationId: 'a',
        identifiers: ['email'],
        status: 'blocked',
        reasonCode: 'credentials_refused',
        reason: 'paused: credentials refused: Invalid access token',
      },
    ]);
  });

  it('creates no delivery for identify, group or alias, which describe the person', () => {
    expect(route(message('identify', true), [integration('a')])).toEqual([]);
    expect(route(message('group', true), [integration('a')])).toEqual([]);
    expect(route(message('alias', true), [integration('a')])).toEqual([]);
  });

  it('routes a screen like a page', () => {
    expect(route(message('screen', true), [integration('a')])).toEqual([
      { integrationId: 'a', identifiers: ['email'], status: 'pending' },
    ]);
  });

  it("skips with excluded_by_sender when the message's integrations switch the destination off", () => {
    const excluded = { ...message('track', true), integrations: { 'Snap Conversions Api': false } };
    expect(route(excluded, [integration('a')])).toEqual([
      {
        integrationId: 'a',
        identifiers: ['email'],
        status: 'skipped',
        reasonCode: 'excluded_by_sender',
        reason: "excluded_by_sender: the message's integrations switch Snapchat off",
      },
    ]);
  });
});

describe('excludedBySender', () => {
  it.each([
    ['no integrations object', undefined, false],
    ['an empty object', {}, false],
    ['All: true', { All: true }, false],
    ['All: false', { All: false }, true],
    ['the destination named false', { Snapchat: false }, true],
    ['an alias named false, in another case', { 'snap conversions API': false }, true],
    ['the vendor named false', { snapchat: false }, true],
    ['All: false with the destination named true', { All: false, Snapchat: true }, false],
    ['All: false with options for the destination', { All: false, 'Snap Conversions Api': { click_id: 'c' } }, false],
    ['another destination named false', { 'Google Analytics': false }, false],
  ])('%s → %s', (_, integrations, excluded) => {
    expect(excludedBySender(integrations, snap)).toBe(excluded);
  });

  it("skips every delivery with the producer's reason, such as a link event that is switched off", () => {
    const skip = { code: 'event_disabled' as const, detail: 'disabled: the link sends no Snapchat event for click' };
    expect(route(message('track', true), [integration('a'), integration('b', { consentCategories: [] })], skip)).toEqual([
      { integrationId: 'a', identifiers: ['email'], status: 'skipped', reasonCode: 'event_disabled', reason: skip.detail },
      { integrationId: 'b', identifiers: ['email'], status: 'skipped', reasonCode: 'event_disabled', reason: skip.detail },
    ]);
  });
});
