import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = () => void;
let listeners: Record<string, Listener[]>;
let cookieWrites: string[];
let cookieJar: string;
let fakeDocument: Record<string, unknown>;

/** Loads browser.ts afresh against the globals set up for this test. */
const load = async () => {
  vi.resetModules();
  return import('./browser.js');
};

beforeEach(() => {
  listeners = {};
  cookieWrites = [];
  cookieJar = '_dfid=df-1; _scid=sc-1';
  fakeDocument = {
    title: 'Shoes',
    referrer: 'https://search.example/',
    hidden: false,
    currentScript: { dataset: { writeKey: 'wk_1' }, src: 'https://shop.example/_df.js' },
    get cookie() {
      return cookieJar;
    },
    set cookie(value: string) {
      cookieWrites.push(value);
    },
  };
  vi.stubGlobal('document', fakeDocument);
  vi.stubGlobal('window', {});
  vi.stubGlobal('location', { href: 'https://shop.example/shoes', protocol: 'https:' });
  vi.stubGlobal('navigator', { language: 'en-GB', sendBeacon: vi.fn(() => true) });
  vi.stubGlobal('localStorage', {});
  vi.stubGlobal('addEventListener', (type: string, listener: Listener) => {
    (listeners[type] ??= []).push(listener);
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

const fire = (type: string) => {
  for (const listener of listeners[type] ?? []) listener();
};

describe('browser', () => {
  it('reads the page', async () => {
    const browser = await load();
    expect(browser.pageUrl()).toBe('https://shop.example/shoes');
    expect(browser.documentTitle()).toBe('Shoes');
    expect(browser.documentReferrer()).toBe('https://search.example/');
    expect(browser.browserLocale()).toBe('en-GB');
    expect(browser.globalPrivacyControl()).toBe(false);
    expect(browser.tagScript()).toBe(fakeDocument.currentScript);
  });

  it('reads Global Privacy Control from the navigator', async () => {
    vi.stubGlobal('navigator', { globalPrivacyControl: true });
    expect((await load()).globalPrivacyControl()).toBe(true);
  });

  it('publishes the API as window._df', async () => {
    const browser = await load();
    const api = { page() {}, track() {}, identify() {}, reset() {}, consent() {} };
    expect(browser.currentDf()).toBeUndefined();
    browser.publishDf(api);
    expect(browser.currentDf()).toBe(api);
  });

  it('reads and writes first-party cookies, Secure on https', async () => {
    const browser = await load();
    expect(browser.readCookie('_scid')).toBe('sc-1');
    browser.writeCookie('_scclid', 'cid-1', 28, 'shop.example');
    expect(cookieWrites).toEqual(['_scclid=cid-1; path=/; max-age=2419200; sameSite=Lax; secure; domain=shop.example']);
  });

  it.each([
    ['_scid=abc', '_scid', 'abc'],
    ['a=1; _scid=abc; b=2', '_scid', 'abc'],
    ['_scid=Opaque_Token-32chars.x~y', '_scid', 'Opaque_Token-32chars.x~y'],
    ['x_scid=wrong; _scid=right', '_scid', 'right'],
    ['_scclid=abc; _scid=xyz', '_scid', 'xyz'],
    ['_scid=a=b', '_scid', 'a=b'],
    ['_scid=', '_scid', ''],
    // URI-decoded, as the collector reads its Cookie header, so that what the tag wrote reads back as it was.
    ['_scclid=a%3Bdomain=evil.example', '_scclid', 'a;domain=evil.example'],
  ])('reads %s as %s = %s', async (jar, name, value) => {
    cookieJar = jar;
    expect((await load()).readCookie(name)).toBe(value);
  });

  it('reads no cookie and writes none, without throwing, in a sandboxed frame where document.cookie throws', async () => {
    Object.defineProperty(fakeDocument, 'cookie', {
      get() {
        throw new DOMException('The document is sandboxed', 'SecurityError');
      },
      set() {
        throw new DOMException('The document is sandboxed', 'SecurityError');
      },
    });
    const browser = await load();
    expect(browser.readCookie('_scid')).toBeUndefined();
    expect(() => browser.writeCookie('_scid', 'sc-2', 395)).not.toThrow();
  });

  it('reads nothing when the cookie is missing', async () => {
    cookieJar = '_scidx=1; a_scid=2';
    const browser = await load();
    expect(browser.readCookie('_scid')).toBeUndefined();
    cookieJar = '';
    expect(browser.readCookie('_scid')).toBeUndefined();
  });

  it.each([
    [
      ['_dfid', 'b1f7e8a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b', 395, undefined] as const,
      '_dfid=b1f7e8a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b; path=/; max-age=34128000; sameSite=Lax; secure',
    ],
    [
      ['_scid', 'x', 395, 'shop.example'] as const,
      '_scid=x; path=/; max-age=34128000; sameSite=Lax; secure; domain=shop.example',
    ],
    [['_scid', '', 0, undefined] as const, '_scid=; path=/; max-age=0; sameSite=Lax; secure'],
    // A crafted ScCid in a link cannot add attributes: its `;` is encoded.
    [
      ['_scclid', 'a;domain=evil.example', 28, undefined] as const,
      '_scclid=a%3Bdomain=evil.example; path=/; max-age=2419200; sameSite=Lax; secure',
    ],
  ])('writes %j as %s', async ([name, value, days, domain], assignment) => {
    (await load()).writeCookie(name, value, days, domain);
    expect(cookieWrites).toEqual([assignment]);
  });

  it('writes cookies without Secure on http', async () => {
    vi.stubGlobal('location', { href: 'http://shop.example/', protocol: 'http:' });
    (await load()).writeCookie('_dfid', 'df-1', 395);
    expect(cookieWrites).toEqual(['_dfid=df-1; path=/; max-age=34128000; sameSite=Lax']);
  });

  it('keeps values in localStorage', async () => {
    const storage: Record<string, string> = {};
    vi.stubGlobal('localStorage', storage);
    const browser = await load();
    browser.writeStored('_df_uid', 'user1234');
    expect(storage._df_uid).toBe('user1234');
    expect(browser.readStored('_df_uid')).toBe('user1234');
    browser.writeStored('_df_uid');
    expect(storage).toEqual({});
  });

  it('keeps values in memory where localStorage is forbidden', async () => {
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    const browser = await load();
    browser.writeStored('_df_uid', 'user1234');
    expect(browser.readStored('_df_uid')).toBe('user1234');
    // @ts-expect-error -- the property was defined by this test only.
    delete globalThis.localStorage;
  });

  it('keeps the old value when storage is full', async () => {
    vi.stubGlobal(
      'localStorage',
      new Proxy(
        { kept: 'old' },
        {
          set() {
            throw new DOMException('Quota exceeded', 'QuotaExceededError');
          },
        },
      ),
    );
    const browser = await load();
    expect(() => browser.writeStored('kept', 'new')).not.toThrow();
    expect(browser.readStored('kept')).toBe('old');
  });

  it('posts text with keepalive and credentials, and resolves with the status', async () => {
    const fetch = vi.fn(() => Promise.resolve({ status: 202 }));
    vi.stubGlobal('fetch', fetch);
    await expect((await load()).post('https://shop.example/v1/batch', '{"batch":[]}')).resolves.toBe(202);
    expect(fetch).toHaveBeenCalledWith('https://shop.example/v1/batch', {
      method: 'POST',
      body: '{"batch":[]}',
      keepalive: true,
      credentials: 'include',
    });
  });

  it('tries without credentials after a failed try, and keeps to the way that worked', async () => {
    // A page of another site: the answer without credentials is blocked, as a network error.
    const fetch = vi.fn((_url: string, init: RequestInit) =>
      init.credentials === 'include' ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve({ status: 200 }),
    );
    vi.stubGlobal('fetch', fetch);
    const browser = await load();
    await expect(browser.post('https://collect.example/v1/batch', '{}')).rejects.toThrow('Failed to fetch');
    await expect(browser.post('https://collect.example/v1/batch', '{}')).resolves.toBe(200);
    await expect(browser.post('https://collect.example/v1/batch', '{}')).resolves.toBe(200);
    expect(fetch.mock.calls.map(([, init]) => init.credentials)).toEqual(['include', 'omit', 'omit']);
  });

  it('hands beacons to navigator.sendBeacon', async () => {
    const browser = await load();
    expect(browser.beacon('https://shop.example/v1/batch?writeKey=wk_1', '{}')).toBe(true);
    expect(navigator.sendBeacon).toHaveBeenCalledWith('https://shop.example/v1/batch?writeKey=wk_1', '{}');
  });

  it('calls leave on pagehide and when the page becomes hidden, not when it becomes visible', async () => {
    const leave = vi.fn();
    (await load()).onLeave(leave);
    fire('visibilitychange');
    expect(leave).not.toHaveBeenCalled();
    fakeDocument.hidden = true;
    fire('visibilitychange');
    fire('pagehide');
    expect(leave).toHaveBeenCalledTimes(2);
  });

  it('calls online when the network comes back', async () => {
    const online = vi.fn();
    (await load()).onOnline(online);
    fire('online');
    expect(online).toHaveBeenCalledOnce();
  });

  it('calls navigate after pushState, replaceState and popstate, keeping what history does', async () => {
    const calls: unknown[][] = [];
    const history = {
      pushState(...args: unknown[]) {
        calls.push(['push', this, ...args]);
      },
      replaceState(...args: unknown[]) {
        calls.push(['replace', this, ...args]);
      },
    };
    vi.stubGlobal('history', history);
    const navigate = vi.fn();
    (await load()).onNavigate(navigate);
    history.pushState({ id: 1 }, '', '/a');
    history.replaceState(null, '', '/b');
    fire('popstate');
    expect(calls).toEqual([
      ['push', history, { id: 1 }, '', '/a'],
      ['replace', history, null, '', '/b'],
    ]);
    expect(navigate).toHaveBeenCalledTimes(3);
  });

  it('lets no exception from the tag reach the page', async () => {
    vi.stubGlobal('history', { pushState() {}, replaceState() {} });
    const browser = await load();
    const failing = () => {
      throw new Error('tag bug');
    };
    browser.onLeave(failing);
    browser.onOnline(failing);
    browser.onNavigate(failing);
    expect(() => {
      fire('pagehide');
      fire('online');
      fire('popstate');
      history.pushState(null, '', '/x');
    }).not.toThrow();
  });

  it('runs timers through the same guard', async () => {
    vi.useFakeTimers();
    const run = vi.fn(() => {
      throw new Error('tag bug');
    });
    expect((await load()).later(run, 50)).toBeTruthy();
    expect(() => vi.advanceTimersByTime(50)).not.toThrow();
    expect(run).toHaveBeenCalledOnce();
    vi.useRealTimers();
  });
});
