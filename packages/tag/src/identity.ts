import { clickIdFrom } from './click-id.js';

/** The cookie operations the identity needs: js-cookie in the browser, a map in tests. */
export interface CookieJar {
  get(name: string): string | undefined;
  /** Writes a cookie that lives for `days`. */
  set(name: string, value: string, days: number): void;
  remove(name: string): void;
}

/** The first-party identifiers sent with a call. */
export interface Ids {
  /** `_dfid`. */
  anonymousId: string;
  /** The `ScCid` of the call's URL, else `_scclid`. */
  clickId?: string;
  /** `_scid`. */
  cookie1?: string;
}

/** Reads and keeps the identifiers of one visitor. */
export interface Identity {
  /** The identifiers for a call made on `url`, creating those that are missing. */
  read(url: string, advertising: boolean): Ids;
  /** Forgets every identifier, so the next call starts a new visitor. */
  reset(): void;
}

/** The cookie names, in the order `reset` clears them. */
export const COOKIES = ['_dfid', '_scid', '_scclid'] as const;

// ~13 months: the lifetime commonly reported for Snap's `_scid`, and the longest that browsers
// allow (Chrome caps cookie lifetimes at 400 days).
const ID_DAYS = 395;

/**
 * Creates the identity over a cookie jar. Cookies are read back on every call, because the collector
 * also sets them (Set-Cookie outlives Safari's 7-day cap on script-written cookies); a cookie is
 * written only when it is missing or its value changes. The values are also kept in memory, so the
 * ids stay stable on a page where cookies are blocked.
 */
export function createIdentity(jar: CookieJar, uuid: () => string, attributionDays: number): Identity {
  let memory: Record<string, string> = {};
  const cookie = (name: string): string | undefined => jar.get(name) || memory[name];
  const keep = (name: string, value: string, days: number): string => {
    if (jar.get(name) !== value) jar.set(name, value, days);
    return (memory[name] = value);
  };
  return {
    read(url, advertising) {
      const clickId = clickIdFrom(url);
      // Snapchat's identifiers are advertising storage: without consent they are sent if present
      // (the collector drops them) but never created.
      return {
        anonymousId: cookie('_dfid') || keep('_dfid', uuid(), ID_DAYS),
        clickId: clickId && advertising ? keep('_scclid', clickId, attributionDays) : clickId || cookie('_scclid'),
        cookie1: cookie('_scid') || (advertising ? keep('_scid', uuid(), ID_DAYS) : undefined),
      };
    },
    reset() {
      memory = {};
      for (const name of COOKIES) jar.remove(name);
    },
  };
}
