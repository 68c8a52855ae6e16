import { describe, expect, it } from 'vitest';
import { conversionWindow, summarizeClick } from './attribution.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const clickAt = '2025-06-01T12:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(clickAt) + ms);

describe('conversionWindow', () => {
  it('attributes a conversion up to the last millisecond of the window', () => {
    expect(conversionWindow(clickAt, after(28 * DAY_MS), 28)).toEqual({ within: true });
  });

  it('does not attribute one a millisecond later, and says how late it came', () => {
    expect(conversionWindow(clickAt, after(28 * DAY_MS + 1), 28)).toEqual({
      within: false,
      reason: 'outside_conversion_window: 28 days after the click; the link attributes conversions for 28 days',
    });
  });

  it("follows the link's own window", () => {
    expect(conversionWindow(clickAt, after(2 * DAY_MS), 1).within).toBe(false);
    expect(conversionWindow(clickAt, after(90 * DAY_MS), 90).within).toBe(true);
  });
});

describe('summarizeClick', () => {
  it('counts every conversion of the click, in the window or not, with revenue per currency', () => {
    type Kind = 'subscribe' | 'purchase' | 'message';
    const conversion = (kind: Kind, value: number | null, currency: string | null, withinWindow = true) => {
      return {
        id: 1,
        sourceId: 's',
        linkId: 'l',
        clickId: 'c',
        txid: 't',
        kind,
        value,
        currency,
        withinWindow,
        receivedAt: clickAt,
      };
    };
    const click = {
      ...{ id: 'c', linkId: 'l', sourceId: 's', adClickId: null, ip: null, userAgent: null, referrer: null },
      ...{ query: [], url: '', destination: '', gpc: false, createdAt: clickAt },
    };
    const conversions = [
      conversion('subscribe', 9.99, 'USD'),
      conversion('purchase', 0.01, 'USD', false),
      conversion('message', null, null),
    ];
    expect(summarizeClick(click, conversions)).toEqual({
      ...click,
      subscribed: true,
      purchases: 1,
      messages: 1,
      revenue: { USD: 10 },
    });
  });
});
