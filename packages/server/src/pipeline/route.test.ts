import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration } from '@datafirst/store';
import { describe, expect, it } from 'vitest';
import { routeDeliveries } from './route.js';

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
    expect(
      routeDeliveries(message('track', true), [integration('a'), integration('b', { enabled: false }), integration('c')]),
    ).toEqual([
      { integrationId: 'a', status: 'pending' },
      { integrationId: 'c', status: 'pending' },
    ]);
  });

  it('skips with the reason when a consent category is missing or refused', () => {
    expect(routeDeliveries(message('page', false), [integration('a')])).toEqual([
      { integrationId: 'a', status: 'skipped', reason: 'no_consent: advertising' },
    ]);
    expect(routeDeliveries(message('page'), [integration('a', { consentCategories: ['advertising', 'analytics'] })])).toEqual([
      { integrationId: 'a', status: 'skipped', reason: 'no_consent: advertising, analytics' },
    ]);
  });

  it('sends regardless of consent to an integration that asks for no category', () => {
    expect(routeDeliveries(message('track', false), [integration('a', { consentCategories: [] })])).toEqual([
      { integrationId: 'a', status: 'pending' },
    ]);
  });

  it('parks deliveries as blocked while the integration is paused for refused credentials', () => {
    expect(
      routeDeliveries(message('track', true), [integration('a', { pausedReason: 'credentials refused: Invalid access token' })]),
    ).toEqual([{ integrationId: 'a', status: 'blocked', reason: 'paused: credentials refused: Invalid access token' }]);
  });

  it('creates no delivery for identify, which only updates the profile', () => {
    expect(routeDeliveries(message('identify', true), [integration('a')])).toEqual([]);
  });
});
