// A stand-in for browser.ts in unit tests (vi.mock): the page, its cookies, storage and network,
// held in plain objects that tests set up and inspect. It keeps browser.ts's exports and signatures.
import type { Datafirst } from '../types/df.js';
import { cookieAssignment, cookieValue } from './cookies.js';

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

export function currentDf(): unknown {
  return page.df;
}

export function publishDf(api: Datafirst): void {
  page.df = api;
}

export function tagScript(): HTMLScriptElement {
  return page.script as unknown as HTMLScriptElement;
}

export function pageUrl(): string {
  return page.url;
}

export function documentTitle(): string {
  return page.title;
}

export function documentReferrer(): string {
  return page.referrer;
}

export function browserLocale(): string {
  return page.locale;
}

export function globalPrivacyControl(): boolean {
  return page.gpc;
}

export function readCookie(name: string): string | undefined {
  const jar = Object.entries(page.cookies)
    .map(([key, value]) => `${key}=${value}`)
    .join('; ');
  return cookieValue(jar, name);
}

export function writeCookie(name: string, value: string, days: number, domain?: string): void {
  page.cookieWrites.push(cookieAssignment(name, value, days, page.secure, domain));
  if (days > 0) page.cookies[name] = encodeURIComponent(value);
  else delete page.cookies[name];
}

export function readStored(key: string): string | undefined {
  return page.storage[key];
}

export function writeStored(key: string, value?: string): void {
  if (value === undefined) delete page.storage[key];
  else page.storage[key] = value;
}

export function post(url: string, body: string): Promise<number> {
  const sent = { url, body };
  page.posts.push(sent);
  return page.answer(sent);
}

export function beacon(url: string, body: string): boolean {
  page.beacons.push({ url, body });
  return true;
}

export function later(run: () => void, ms: number): number {
  return setTimeout(run, ms) as unknown as number;
}

export function onLeave(leave: () => void): void {
  page.leave.push(leave);
}

export function onOnline(online: () => void): void {
  page.online.push(online);
}

export function onNavigate(navigate: () => void): void {
  page.navigate.push(navigate);
}
