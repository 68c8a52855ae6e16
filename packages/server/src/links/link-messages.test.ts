import type { Conversion, Link, LinkClick } from '@datafirst/store';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_EVENTS, plannedEvent } from './conversion-events.js';
import { clickConsent, conversionMessage } from './link-messages.js';

describe('clickConsent', () => {
  const cases: ['granted' | 'denied', boolean, boolean, boolean][] = [
    ['granted', false, true, true],
    ['granted', true, true, false],
    ['granted', true, false, true],
    ['denied', false, true, false],
  ];
  for (const [consentDefault, gpc, honorGpc, expected] of cases) {
    const gpcText = gpc ? `GPC sent and ${honorGpc ? 'honoured' : 'ignored'}` : 'no GPC';
    it(`is ${expected} with the default ${consentDefault} and ${gpcText}`, () => {
      expect(clickConsent({ gpc }, { consentDefault, honorGpc })).toBe(expected);
    });
  }
});

describe('conversionMessage', () => {
  const link = { id: 'L1', name: 'Spring' } as Link;
  const click: LinkClick = {
    id: 'C1',
    linkId: 'L1',
    sourceId: 'S',
    adClickId: 'sc-1',
    ip: '198.51.100.23',
    userAgent: 'UA',
    referrer: null,
    query: [],
    url: 'https://collect.example/go/L1',
    destination: 'https://offer.example/?df_click_id=C1',
    gpc: false,
    createdAt: '2025-06-01T00:00:00.000Z',
  };
  const conversion: Conversion = {
    id: 7,
    sourceId: 'S',
    linkId: 'L1',
    clickId: 'C1',
    txid: 'T1',
    kind: 'purchase',
    value: 20,
    currency: 'USD',
    withinWindow: true,
    receivedAt: '2025-06-02T00:00:00.000Z',
  };
  const at = new Date('2025-06-02T00:00:01.000Z');
  const event = (name: Parameters<typeof plannedEvent>[0], id: string) => plannedEvent(name, { ...DEFAULT_LINK_EVENTS }, id);

  it("is a track call at the destination, carrying the click's identifiers, value, currency and the txid as order id", () => {
    const extras = { traits: { email: 'a@b.co' }, userId: 'fan-1', txidGiven: true };
    const message = conversionMessage(link, click, conversion, event('first_purchase', 'pb:T1'), extras, true, at);
    expect(message).toEqual({
      type: 'track',
      event: 'First Purchase',
      messageId: 'pb:T1',
      anonymousId: 'C1',
      userId: 'fan-1',
      timestamp: '2025-06-02T00:00:00.000Z',
      receivedAt: '2025-06-02T00:00:01.000Z',
      properties: {
        ...{ link_id: 'L1', link_name: 'Spring', click_id: 'C1', txid: 'T1', postback_event: 'purchase' },
        ...{ value: 20, currency: 'USD', order_id: 'T1' },
      },
      context: {
        page: { url: 'https://offer.example/?df_click_id=C1' },
        snapchat: { clickId: 'sc-1', eventName: 'PURCHASE' },
        consent: { categoryPreferences: { advertising: true } },
        ip: '198.51.100.23',
        userAgent: 'UA',
        traits: { email: 'a@b.co' },
      },
    });
  });

  it('leaves out the value of events that carry none, and the order id of a txid we made up', () => {
    const milestone = conversionMessage(
      link,
      click,
      conversion,
      event('fan_sent_3_messages', 'msg3:C1'),
      { traits: {}, txidGiven: true },
      true,
      at,
    );
    expect(milestone.properties).not.toHaveProperty('value');
    const madeUp = conversionMessage(
      link,
      click,
      conversion,
      event('repeat_purchase', 'pb:T1'),
      { traits: {}, txidGiven: false },
      true,
      at,
    );
    expect(madeUp.properties).toMatchObject({ value: 20, currency: 'USD' });
    expect(madeUp.properties).not.toHaveProperty('order_id');
  });
});
