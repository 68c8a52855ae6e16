// A stand-in for browser.ts in unit tests (vi.mock): the page, its cookies, storage and network,
// held in plain objects that tests set up and inspect. It keeps browser.ts's exports and signatures.
import Cookies from 'js-cookie';
import type { Datafirst } from '../../types/df.js';
import { cookieAttributes } from '../cookies.js';

/** One request the tag made. */
export interface Sent {
  url: string;
  body: string;
}

/** The fake page. Tests set its fields and read what the tag did. */
export const page = {
  df: undefined as unknown,
  script: { dataset: {} as Record<string, string>, src: 'https://shop.example/_df.js' },
  url: 'https://shop.example/',
  title: 'Home',
  referrer: '',
  locale: 'en-GB',
  gpc: false,
  secure: true,
  /** name → value, as `document.cookie` would show them. */
  cookies: {} as Record<string, string>,
  /** Every `document.cookie` assignment, in order. */
  cookieWrites: [] as string[],
  storage: {} as Record<string, string | undefined>,
  posts: [] as Sent[],
  beacons: [] as Sent[],
  /** Whether `sendBeacon` takes a beacon (browsers refuse one over their in-flight quota). */
  beaconAccepted: true,
  /** How the collector answers a POST: a status, or a rejection for a network error. */
  answer: (_sent: Sent): Promise<number> => Promise.resolve(200),
  leave: [] as (() => void)[],
  online: [] as (() => void)[],
  navigate: [] as (() => void)[],
};

const initial = JSON.stringify(page);

/** Puts the page back as it was before any test. */
export function resetPage(): void {
  Object.assign(page, JSON.parse(initial), {
    df: undefined,
    answer: () => Promise.resolve(200),
  });
}

/** The stored queue of a write key, parsed. */
export function storedQueue(writeKey: string): unknown[] {
  return JSON.parse(page.storage[`_df_q:${writeKey}`] ?? '[]') as unknown[];
}

/** What the page holds as `_df`. */
export function currentDf(): unknown {
  return page.df;
}

/** Publishes the API as the page's `_df`. */
export function publishDf(api: Datafirst): void {
  page.df = api;
}

/** The fake script element that loaded the tag. */
export function tagScript(): HTMLScriptElement {
  return page.script as unknown as HTMLScriptElement;
}

/** The fake page's URL. */
export function pageUrl(): string {
  return page.url;
}

/** The fake page's title. */
export function documentTitle(): string {
  return page.title;
}

/** The fake page's referrer. */
export function documentReferrer(): string {
  return page.referrer;
}

/** The fake browser's language. */
export function browserLocale(): string {
  return page.locale;
}

/** Whether the fake browser sends Global Privacy Control. */
export function globalPrivacyControl(): boolean {
  return page.gpc;
}

// js-cookie, which the tag's cookies go through, reads and writes the global `document.cookie`.
// Node has no document, so the fake page lends it one over its jar: an assignment is recorded in
// `page.cookieWrites` and applied to `page.cookies` (`max-age=0` deletes).
Object.defineProperty(globalThis, 'document', {
  configurable: true,
  value: {
    get cookie() {
      return Object.entries(page.cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
    },
    set cookie(assignment: string) {
      page.cookieWrites.push(assignment);
      const [pair = '', ...attributes] = assignment.split('; ');
      const name = pair.slice(0, pair.indexOf('='));
      if (attributes.includes('max-age=0')) delete page.cookies[name];
      else page.cookies[name] = pair.slice(name.length + 1);
    },
  },
});

/** Reads a cookie from the jar as the tag does. */
export function readCookie(name: string): string | undefined {
  return Cookies.get(name);
}

/** Writes a cookie as the tag does, Secure when `page.secure`. */
export function writeCookie(name: string, value: string, days: number, domain?: string): void {
  Cookies.set(name, value, cookieAttributes(days, page.secure, domain));
}

/** Reads the fake localStorage. */
export function readStored(key: string): string | undefined {
  return page.storage[key];
}

/** Writes the fake localStorage; undefined removes. */
export function writeStored(key: string, value?: string): void {
  if (value === undefined) delete page.storage[key];
  else page.storage[key] = value;
}

/** Records a POST and answers it with `page.answer`. */
export function post(url: string, body: string): Promise<number> {
  const sent = { url, body };
  page.posts.push(sent);
  return page.answer(sent);
}

/** Records a beacon the browser accepts, and answers whether it did (`page.beaconAccepted`). */
export function beacon(url: string, body: string): boolean {
  if (page.beaconAccepted) page.beacons.push({ url, body });
  return page.beaconAccepted;
}

/** A timer, fake when the test fakes timers. */
export function later(run: () => void, ms: number): ReturnType<typeof setTimeout> {
  return setTimeout(run, ms);
}

/** Keeps the listener in `page.leave`. */
export function onLeave(leave: () => void): void {
  page.leave.push(leave);
}

/** Keeps the listener in `page.online`. */
export function onOnline(online: () => void): void {
  page.online.push(online);
}

/** Keeps the listener in `page.navigate`. */
export function onNavigate(navigate: () => void): void {
  page.navigate.push(navigate);
}
