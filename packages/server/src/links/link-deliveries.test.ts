import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration } from '@datafirst/store';
import { describe, expect, it } from 'vitest';
import { DestinationRegistry } from '@datafirst/destination';
import { createSnapchatDestination, SnapchatClient } from '@datafirst/snapchat';
import { routeDeliveries } from '../pipeline/route.js';
import { linkIntegrations } from './link-deliveries.js';

const destinations = new DestinationRegistry([createSnapchatDestination(new SnapchatClient())]);

const PIXEL_A = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const PIXEL_B = '11111111-2222-4333-8444-555555555555';

const integration = (id: string, pixel: string, extra: Partial<Integration> = {}): Integration => ({
  id,
  sourceId: 'src',
  vendor: 'snapchat',
  name: id,
  enabled: true,
  config: { pixel_id: pixel, access_token: 't' },
  consentCategories: ['advertising'],
  pausedReason: null,
  createdAt: '',
  updatedAt: '',
  ...extra,
});

const message = (advertising = true): EnrichedMessage => ({
  type: 'track',
  event: 'First Purchase',
  messageId: 'pb:tx',
  timestamp: '',
  receivedAt: '',
  context: { consent: { categoryPreferences: { advertising } } },
});

const ids = (list: Integration[]) => list.map((i) => i.id);

describe('linkIntegrations', () => {
  it("sends to the link's integrations, then its source's", () => {
    expect(
      ids(linkIntegrations(message(), [integration('link', PIXEL_A)], [integration('site', PIXEL_B)], true, destinations)),
    ).toEqual(['link', 'site']);
  });

  it('sends once to an integration attached both to the link and to its source', () => {
    const shared = integration('shared', PIXEL_A);
    expect(ids(linkIntegrations(message(), [shared], [shared], true, destinations))).toEqual(['shared']);
  });

  it("sends once to a pixel that the link and its source reach through two integrations, the link's winning", () => {
    const own = integration('link', PIXEL_A);
    const site = integration('site', PIXEL_A.toUpperCase());
    expect(ids(linkIntegrations(message(), [own], [site], true, destinations))).toEqual(['link']);
  });

  it("leaves the source's integrations out when the link opts out, and skips disabled and deleted ones", () => {
    const disabled = integration('off', PIXEL_A, { enabled: false });
    expect(ids(linkIntegrations(message(), [undefined, disabled], [integration('site', PIXEL_B)], false, destinations))).toEqual(
      [],
    );
    expect(ids(linkIntegrations(message(), [disabled], [integration('site', PIXEL_A)], true, destinations))).toEqual(['site']);
  });
});

describe('deliveries of a link event (the pipeline routes them to the integrations chosen above)', () => {
  it('applies consent and pauses as for any event', () => {
    const paused = integration('paused', PIXEL_B, { pausedReason: 'token refused' });
    expect(routeDeliveries(message(false), [integration('a', PIXEL_A), paused], destinations)).toEqual([
      { integrationId: 'a', identifiers: [], status: 'skipped', reasonCode: 'no_consent', reason: 'no_consent: advertising' },
      {
        integrationId: 'paused',
        identifiers: [],
        status: 'blocked',
        reasonCode: 'credentials_refused',
        reason: 'paused: token refused',
      },
    ]);
  });

  it('skips every delivery with the reason when the event must not be sent, paused integrations too', () => {
    const skip = { code: 'outside_conversion_window' as const, detail: 'outside_conversion_window: 29 days after the click' };
    const paused = integration('paused', PIXEL_B, { pausedReason: 'token refused' });
    expect(routeDeliveries(message(), [integration('a', PIXEL_A), paused], destinations, skip)).toEqual([
      { integrationId: 'a', identifiers: [], status: 'skipped', reasonCode: skip.code, reason: skip.detail },
      { integrationId: 'paused', identifiers: [], status: 'skipped', reasonCode: skip.code, reason: skip.detail },
    ]);
  });
});
