import type { EnrichedMessage } from '@datafirst/protocol';
import { describe, expect, it } from 'vitest';
import { identityCookie, identityCookies, parseCookies, type CookiePolicy } from './cookies.js';

const policy: CookiePolicy = { attributionDays: 28, secure: false };

const message = (advertising: boolean, url = 'https://shop.example/?ScCid=click-new'): EnrichedMessage => ({
  type: 'page',
  anonymousId: 'anon-1',
  messageId: 'm-1',
  timestamp: '2025-06-02T12:00:00.000Z',
  receivedAt: '2025-06-02T12:00:00.000Z',
  context: {
    page: { url },
    snapchat: { clickId: 'click-new', cookie1: 'scid-1' },
    consent: { categoryPreferences: { advertising } },
  },
});

describe('parseCookies', () => {
  it('reads each cookie once, the first occurrence winning, with values URI-decoded', () => {
    expect(parseCookies('_dfid=a; _scid=b%2Fc; _dfid=later; broken; _scclid=%E0%A4%A')).toEqual({
      _dfid: 'a',
      _scid: 'b/c',
      _scclid: '%E0%A4%A',
    });
  });
});

describe('identityCookie', () => {
  it.each([
    ['_dfid', policy, '_dfid=v; Max-Age=34128000; Path=/; SameSite=Lax'],
    ['_scid', { ...policy, secure: true }, '_scid=v; Max-Age=34128000; Path=/; SameSite=Lax; Secure'],
    ['_scclid', policy, '_scclid=v; Max-Age=2419200; Path=/; SameSite=Lax'],
    ['_scclid', { ...policy, attributionDays: 7 }, '_scclid=v; Max-Age=604800; Path=/; SameSite=Lax'],
    ['_dfid', { ...policy, domain: 'shop.example' }, '_dfid=v; Max-Age=34128000; Path=/; SameSite=Lax; Domain=shop.example'],
  ] as const)('writes %s with %j as %s', (name, cookiePolicy, expected) => {
    expect(identityCookie(name, 'v', cookiePolicy)).toBe(expected);
  });

  it('encodes the value, so that a crafted click id cannot add attributes', () => {
    expect(identityCookie('_scclid', 'x; Domain=evil.example', policy)).toBe(
      '_scclid=x%3B%20Domain%3Devil.example; Max-Age=2419200; Path=/; SameSite=Lax',
    );
  });
});

describe('identityCookies', () => {
  const held = { _dfid: 'anon-1', _scid: 'scid-1', _scclid: 'click-new' };

  it('re-issues _dfid, _scid and the new click of a message with advertising consent', () => {
    expect(identityCookies(message(true), held, policy)).toEqual([
      '_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax',
      '_scid=scid-1; Max-Age=34128000; Path=/; SameSite=Lax',
      '_scclid=click-new; Max-Age=2419200; Path=/; SameSite=Lax',
    ]);
  });

  it('re-issues only _dfid for a message without advertising consent', () => {
    expect(identityCookies(message(false), held, policy)).toEqual(['_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax']);
  });

  it('does not re-issue a click that came from the cookie, so the attribution window is not stretched', () => {
    expect(identityCookies(message(true, 'https://shop.example/cart'), held, policy)).toEqual([
      '_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax',
      '_scid=scid-1; Max-Age=34128000; Path=/; SameSite=Lax',
    ]);
  });

  it('brings back no cookie the browser no longer holds, as after _df.reset()', () => {
    expect(identityCookies(message(true), {}, policy)).toEqual([]);
  });

  it("does not overwrite a cookie the browser holds with another value, such as the new visitor's id after a reset", () => {
    expect(identityCookies(message(true), { _dfid: 'anon-2', _scid: 'scid-2', _scclid: 'click-new' }, policy)).toEqual([
      '_scclid=click-new; Max-Age=2419200; Path=/; SameSite=Lax',
    ]);
  });

  it('keeps the attribution window and the domain the policy names', () => {
    expect(identityCookies(message(true), held, { attributionDays: 1, domain: 'shop.example', secure: true })).toEqual([
      '_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax; Domain=shop.example; Secure',
      '_scid=scid-1; Max-Age=34128000; Path=/; SameSite=Lax; Domain=shop.example; Secure',
      '_scclid=click-new; Max-Age=86400; Path=/; SameSite=Lax; Domain=shop.example; Secure',
    ]);
  });
});
