import { describe, expect, it } from 'vitest';
import { withSnapchatIds } from '@datafirst/snapchat';
import { correctTimestamp, enrichMessage } from './enrich.js';

describe('correctTimestamp', () => {
  const receivedAt = new Date('2025-06-02T12:00:00.000Z');
  it.each([
    ['uses receipt time when there is no timestamp', undefined, undefined, '2025-06-02T12:00:00.000Z'],
    ['keeps a timestamp when sentAt is unknown', '2025-06-02T11:59:00.000Z', undefined, '2025-06-02T11:59:00.000Z'],
    [
      'shifts by the sender clock skew (sender 1 h fast)',
      '2025-06-02T12:59:50.000Z',
      '2025-06-02T13:00:00.000Z',
      '2025-06-02T11:59:50.000Z',
    ],
    ['never lets an event be later than its receipt', '2025-06-02T13:00:00.000Z', undefined, '2025-06-02T12:00:00.000Z'],
  ])('%s', (_, timestamp, sentAt, expected) => {
    expect(correctTimestamp(timestamp, sentAt, receivedAt)).toBe(expected);
  });
});

describe('enrichMessage', () => {
  const options = {
    receivedAt: new Date('2025-06-02T12:00:00.000Z'),
    consentDefault: 'granted' as const,
    honorGpc: true,
    enrichers: [withSnapchatIds],
  };
  const facts = { ip: '203.0.113.7', userAgent: 'UA', cookies: { _scid: 'scid-1', _dfid: 'anon-c', _scclid: 'old' }, gpc: false };

  it('fills in ids, times, IP, user agent, cookies, the click id and default consent', () => {
    const enriched = enrichMessage({ type: 'page', context: { page: { url: 'https://s.example/?ScCid=new' } } }, facts, options);
    expect(enriched).toEqual({
      type: 'page',
      anonymousId: 'anon-c',
      messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: '2025-06-02T12:00:00.000Z',
      receivedAt: '2025-06-02T12:00:00.000Z',
      context: {
        page: { url: 'https://s.example/?ScCid=new' },
        ip: '203.0.113.7',
        userAgent: 'UA',
        snapchat: { clickId: 'new', cookie1: 'scid-1' },
        consent: { categoryPreferences: { advertising: true } },
      },
    });
  });

  it("reads the sender's advertising choice in any casing (Segment's consent managers say Advertising), and keeps it as advertising", () => {
    const refused = {
      type: 'page' as const,
      context: { consent: { categoryPreferences: { Advertising: false, Analytics: true } } },
    };
    expect(enrichMessage(refused, facts, options).context.consent).toEqual({
      categoryPreferences: { Advertising: false, Analytics: true, advertising: false },
    });
  });

  it('keeps the consent the message carries, and the configured default otherwise', () => {
    const denied = enrichMessage(
      { type: 'page', context: { consent: { categoryPreferences: { advertising: false } } } },
      facts,
      options,
    );
    expect(denied.context.consent).toEqual({ categoryPreferences: { advertising: false } });
    const byDefault = enrichMessage({ type: 'page' }, facts, { ...options, consentDefault: 'denied' });
    expect(byDefault.context.consent).toEqual({ categoryPreferences: { advertising: false } });
  });

  it('treats Global Privacy Control as an advertising opt-out unless told to ignore it', () => {
    const granted = { type: 'page' as const, context: { consent: { categoryPreferences: { advertising: true } } } };
    expect(enrichMessage(granted, { ...facts, gpc: true }, options).context.consent?.categoryPreferences?.advertising).toBe(
      false,
    );
    expect(
      enrichMessage(granted, { ...facts, gpc: true }, { ...options, honorGpc: false }).context.consent?.categoryPreferences
        ?.advertising,
    ).toBe(true);
  });

  it('drops sentAt once it has corrected the timestamp', () => {
    const enriched = enrichMessage(
      { type: 'page', timestamp: '2025-06-02T12:59:50.000Z', sentAt: '2025-06-02T13:00:00.000Z' },
      facts,
      options,
    );
    expect(enriched.timestamp).toBe('2025-06-02T11:59:50.000Z');
    expect('sentAt' in enriched).toBe(false);
  });

  it("takes RudderStack's originalTimestamp when there is no timestamp, corrected by sentAt", () => {
    const rudder = {
      type: 'track' as const,
      event: 'E',
      originalTimestamp: '2025-06-02T12:59:50.000Z',
      sentAt: '2025-06-02T13:00:00.000Z',
    };
    expect(enrichMessage(rudder, facts, options).timestamp).toBe('2025-06-02T11:59:50.000Z');
    const both = { ...rudder, timestamp: '2025-06-02T12:59:40.000Z' };
    expect(enrichMessage(both, facts, options).timestamp).toBe('2025-06-02T11:59:40.000Z');
  });

  it('keeps the first valid address of a list in context.ip, else the request IP', () => {
    const listed = enrichMessage({ type: 'page', context: { ip: 'unknown, 198.51.100.4, 10.0.0.1' } }, facts, options);
    expect(listed.context.ip).toBe('198.51.100.4');
    const junk = enrichMessage({ type: 'page', context: { ip: 'localhost' } }, facts, options);
    expect(junk.context.ip).toBe('203.0.113.7');
  });
});
