// The only module that touches window, document, navigator, storage and the network, so that the
// rest of the tag runs in node: unit tests replace this module with a fake (see fake-browser.ts).
import type { Datafirst } from '../types/df.js';
import Cookies from 'js-cookie';
import { cookieAttributes } from './cookies.js';
import { safe } from './safe.js';

// localStorage throws on access in sandboxed frames and where storage is disabled; a plain object
// then keeps the values for the life of the page.
let storage: Record<string, string | undefined>;
try {
  storage = localStorage;
} catch {
  storage = {};
}

/** What `window._df` holds: nothing, the snippet's stub (an array), or a started tag. */
export function currentDf(): unknown {
  return window._df;
}

/** Publishes the started tag as `window._df`. */
export function publishDf(api: Datafirst): void {
  window._df = api;
}

/** The script element that loaded the tag: the tag is a classic script, so the browser knows it. */
export function tagScript(): HTMLScriptElement {
  return document.currentScript as HTMLScriptElement;
}

/** The page's URL now. */
export function pageUrl(): string {
  return location.href;
}

/** The page's title now. */
export function documentTitle(): string {
  return document.title;
}

/** The page that linked here. */
export function documentReferrer(): string {
  return document.referrer;
}

/** The browser's language, such as `en-GB`. */
export function browserLocale(): string {
  return navigator.language;
}

/** Whether the browser sends Global Privacy Control. */
export function globalPrivacyControl(): boolean {
  return !!(navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
}

/**
 * The value of a first-party cookie, URI-decoded as js-cookie and the collector read it: a value the
 * tag wrote reads back as it was, and the collector sees the same value in the Cookie header.
 */
export function readCookie(name: string): string | undefined {
  // A sandboxed frame throws on document.cookie: no cookie then, as where cookies are blocked.
  try {
    return Cookies.get(name);
  } catch {
    return undefined;
  }
}

/**
 * Stores a first-party cookie for `days`; 0 deletes it. js-cookie URI-encodes the value (`;` and `,`
 * included), so that a crafted `ScCid` in a link cannot add attributes.
 */
export function writeCookie(name: string, value: string, days: number, domain?: string): void {
  try {
    Cookies.set(name, value, cookieAttributes(days, location.protocol === 'https:', domain));
  } catch {
    // A sandboxed frame: the call goes on without the cookie.
  }
}

/** A value from localStorage. */
export function readStored(key: string): string | undefined {
  return storage[key];
}

/** Stores a value in localStorage, or removes it when undefined. A full storage keeps the old value. */
export function writeStored(key: string, value?: string): void {
  try {
    if (value === undefined) delete storage[key];
    else storage[key] = value;
  } catch {
    // Quota exceeded: the queue still holds its messages in memory.
  }
}

// A page of the collector's own site sends with its cookies. A page of another site gets an answer
// without credentials (CORS), which the browser reports as a network error although the batch
// arrived: so after a failed try the next one goes the other way, and the way that worked stays.
let omitCredentials = false;

/** POSTs a body with keepalive; resolves with the status, rejects on a network error. */
export function post(url: string, body: string): Promise<number> {
  // A string body goes as text/plain;charset=UTF-8, a CORS "simple" request: no preflight.
  return fetch(url, { method: 'POST', body, keepalive: true, credentials: omitCredentials ? 'omit' : 'include' }).then(
    (response) => response.status,
    (error: unknown) => {
      omitCredentials = !omitCredentials;
      throw error;
    },
  );
}

/** Hands a POST (text/plain, like `post`) to the browser to send even after the page is gone. */
export function beacon(url: string, body: string): boolean {
  return navigator.sendBeacon(url, body);
}

/** A timer's handle; never 0, so that 0 can mean "no timer". */
export type Timer = ReturnType<typeof setTimeout>;

/** Runs `run` after `ms` milliseconds. */
export function later(run: () => void, ms: number): Timer {
  return setTimeout(safe(run), ms);
}

/** Calls `leave` when the page is hidden or unloaded: the last moment to send. */
export function onLeave(leave: () => void): void {
  // visibilitychange (which bubbles from the document to the window) is the reliable signal on
  // mobile; pagehide covers browsers that skip it on unload.
  addEventListener('pagehide', safe(leave));
  addEventListener(
    'visibilitychange',
    safe(() => document.hidden && leave()),
  );
}

/** Calls `online` when the browser regains the network. */
export function onOnline(online: () => void): void {
  addEventListener('online', safe(online));
}

/** Calls `navigate` after each history navigation of a single-page app. */
export function onNavigate(navigate: () => void): void {
  const navigated = safe(navigate);
  for (const name of ['pushState', 'replaceState'] as const) {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the page's own `this`
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      navigated();
    };
  }
  addEventListener('popstate', navigated);
}
