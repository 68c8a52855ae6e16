// The only module that touches window, document, navigator, storage and the network, so that the
// rest of the tag is plain functions that run in node. Each handler it installs is wrapped: the host
// page never sees an exception from the tag.
import Cookies from 'js-cookie';
import type { Datafirst, DatafirstStub } from '../types/df.js';
import type { TagData } from './config.js';
import type { Http } from './delivery.js';
import type { CookieJar } from './identity.js';
import type { KeyValueStore } from './storage.js';

const safe =
  <A extends unknown[]>(run: (...args: A) => unknown) =>
  (...args: A): void => {
    try {
      void run(...args);
    } catch {
      // Never reaches the host page.
    }
  };

/** What `window._df` holds: nothing, the snippet's stub, or a tag that already started. */
export function currentDf(): Datafirst | DatafirstStub | undefined {
  return window._df;
}

/** Publishes the started tag as `window._df`. */
export function publishDf(api: Datafirst): void {
  window._df = api;
}

/** The `data-` attributes and the URL of the script element that loaded the tag. */
export function tagScript(): { data: TagData; src: string } | undefined {
  // currentScript is null only if something else is running us; then the attributes still find it.
  const script = (document.currentScript ?? document.querySelector('script[data-write-key]')) as
    | HTMLScriptElement
    | null;
  return script ? { data: script.dataset, src: script.src } : undefined;
}

/** The page's URL now. */
export function pageUrl(): string {
  return location.href;
}

/** What a message reads from the page when it is built. */
export function pageState(): { title: string; referrer: string; locale: string } {
  return { title: document.title, referrer: document.referrer, locale: navigator.language };
}

/** Whether the browser sends Global Privacy Control. */
export function globalPrivacyControl(): boolean {
  return (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
}

/** First-party cookies with the tag's attributes: path=/, SameSite=Lax, Secure on https. */
export function cookieJar(domain: string | undefined): CookieJar {
  const attributes = { path: '/', sameSite: 'Lax', secure: location.protocol === 'https:', domain };
  return {
    get: (name) => Cookies.get(name),
    set: (name, value, days) => Cookies.set(name, value, { ...attributes, expires: days }),
    remove: (name) => Cookies.remove(name, attributes),
  };
}

/** localStorage, or memory where it is missing, full or forbidden (sandboxed frames, some private modes). */
export function localStore(): KeyValueStore {
  const memory: Record<string, string | undefined> = {};
  return {
    get(key) {
      try {
        return localStorage.getItem(key);
      } catch {
        return memory[key];
      }
    },
    set(key, value) {
      memory[key] = value;
      try {
        localStorage.setItem(key, value);
      } catch {
        // Memory holds it for this page.
      }
    },
    remove(key) {
      delete memory[key];
      try {
        localStorage.removeItem(key);
      } catch {
        // Nothing stored.
      }
    },
  };
}

/** fetch and sendBeacon, with bodies sent as text/plain so that no CORS preflight is needed. */
export const http: Http = {
  // A string body is sent as text/plain;charset=UTF-8, a "simple" request: no preflight.
  post: (url, body, keepalive) =>
    fetch(url, { method: 'POST', body, keepalive, credentials: 'include' }).then((response) => response.status),
  beacon: (url, body) => navigator.sendBeacon(url, body),
};

/** Runs `run` after `ms` milliseconds. */
export function setTimer(run: () => void, ms: number): void {
  setTimeout(safe(run), ms);
}

/** Calls `leave` when the page is hidden or unloaded: the last moment to send. */
export function onLeave(leave: () => void): void {
  // visibilitychange is the reliable signal on mobile; pagehide covers browsers that skip it on unload.
  addEventListener('pagehide', safe(leave));
  document.addEventListener(
    'visibilitychange',
    safe(() => document.visibilityState === 'hidden' && leave()),
  );
}

/** Calls `online` when the browser regains the network. */
export function onOnline(online: () => void): void {
  addEventListener('online', safe(online));
}

/** Calls `navigate` after every history navigation of a single-page app. */
export function onNavigate(navigate: () => void): void {
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      safe(navigate)();
    };
  }
  addEventListener('popstate', safe(navigate));
}
