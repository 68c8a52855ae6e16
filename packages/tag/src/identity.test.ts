import { beforeEach, describe, expect, it, vi } from 'vitest';
import { page, resetPage } from './testing/fake-browser.js';
import { createIdentity } from './identity.js';

vi.mock('./browser.js', () => import('./testing/fake-browser.js'));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LANDING = 'https://shop.example/?sccid=cid-9D2B';

beforeEach(() => {
  resetPage();
});

describe('createIdentity', () => {
  it('creates _dfid and _scid as UUIDs for 395 days on a first visit', () => {
    const ids = createIdentity({}).read('https://shop.example/', true);
    expect(ids.anonymousId).toMatch(UUID);
    expect(ids.snapchat.cookie1).toMatch(UUID);
    expect(ids.snapchat.clickId).toBeUndefined();
    expect(page.cookieWrites).toEqual([
      `_dfid=${ids.anonymousId}; path=/; max-age=34128000; sameSite=Lax; secure`,
      `_scid=${ids.snapchat.cookie1}; path=/; max-age=34128000; sameSite=Lax; secure`,
    ]);
  });

  it('keeps existing cookies exactly and writes none of them again', () => {
    page.cookies = { _dfid: 'df-1', _scid: 'Opaque_32-char.Token~from~Snap', _scclid: 'cid-old' };
    const identity = createIdentity({});
    const first = identity.read('https://shop.example/', true);
    const second = identity.read('https://shop.example/next', true);
    expect(first).toEqual({
      anonymousId: 'df-1',
      snapchat: { clickId: 'cid-old', cookie1: 'Opaque_32-char.Token~from~Snap' },
    });
    expect(second).toEqual(first);
    expect(page.cookieWrites).toEqual([]);
  });

  it('reads back what the collector set in the meantime instead of what it wrote', () => {
    const identity = createIdentity({});
    identity.read('https://shop.example/', true);
    page.cookies._dfid = 'set-by-collector';
    expect(identity.read('https://shop.example/', true).anonymousId).toBe('set-by-collector');
  });

  it('stores the click id of the URL, in any casing, for the attribution window', () => {
    page.cookies = { _dfid: 'df-1', _scid: 'sc-1' };
    const ids = createIdentity({ attributionDays: '7' }).read(LANDING, true);
    expect(ids.snapchat.clickId).toBe('cid-9D2B');
    expect(page.cookieWrites).toEqual(['_scclid=cid-9D2B; path=/; max-age=604800; sameSite=Lax; secure']);
  });

  it('keeps a click id for 28 days unless told otherwise', () => {
    createIdentity({}).read(LANDING, true);
    expect(page.cookieWrites).toContain('_scclid=cid-9D2B; path=/; max-age=2419200; sameSite=Lax; secure');
  });

  it('replaces an older click id with the latest one, and leaves the same one alone', () => {
    page.cookies = { _dfid: 'df-1', _scid: 'sc-1', _scclid: 'cid-old' };
    const identity = createIdentity({});
    expect(identity.read(LANDING, true).snapchat.clickId).toBe('cid-9D2B');
    identity.read(LANDING, true);
    expect(page.cookieWrites).toEqual(['_scclid=cid-9D2B; path=/; max-age=2419200; sameSite=Lax; secure']);
  });

  it('creates no Snapchat cookie without advertising consent, but sends those already there', () => {
    const identity = createIdentity({});
    const ids = identity.read(LANDING, false);
    expect(ids.snapchat).toEqual({ clickId: 'cid-9D2B', cookie1: undefined });
    expect(page.cookieWrites).toEqual([`_dfid=${ids.anonymousId}; path=/; max-age=34128000; sameSite=Lax; secure`]);

    page.cookies = { _dfid: 'df-1', _scid: 'sc-1', _scclid: 'cid-old' };
    expect(identity.read('https://shop.example/', false).snapchat).toEqual({ clickId: 'cid-old', cookie1: 'sc-1' });
  });

  it('writes cookies for the configured domain, and without Secure on http', () => {
    page.secure = false;
    const ids = createIdentity({ cookieDomain: 'shop.example' }).read('http://shop.example/', false);
    expect(page.cookieWrites).toEqual([`_dfid=${ids.anonymousId}; path=/; max-age=34128000; sameSite=Lax; domain=shop.example`]);
  });

  it('forgets every cookie on reset, and starts a new visitor after it', () => {
    page.cookies = { _dfid: 'df-1', _scid: 'sc-1', _scclid: 'cid-old' };
    const identity = createIdentity({ cookieDomain: 'shop.example' });
    identity.reset();
    expect(page.cookieWrites).toEqual([
      '_dfid=; path=/; max-age=0; sameSite=Lax; secure; domain=shop.example',
      '_scid=; path=/; max-age=0; sameSite=Lax; secure; domain=shop.example',
      '_scclid=; path=/; max-age=0; sameSite=Lax; secure; domain=shop.example',
    ]);
    const ids = identity.read('https://shop.example/', true);
    expect(ids.anonymousId).not.toBe('df-1');
    expect(ids.snapchat.cookie1).not.toBe('sc-1');
    expect(ids.snapchat.clickId).toBeUndefined();
  });
});
