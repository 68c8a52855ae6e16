import { readCookie, writeCookie } from './browser.js';
import { clickIdFrom } from './click-id.js';
import type { TagData } from './config.js';
import { uuid } from './uuid.js';

/** The first-party identifiers sent with a call. */
export interface Ids {
  /** `_dfid`. */
  anonymousId: string;
  /** The Snapchat identifiers, as `context.snapchat` carries them. */
  snapchat: { clickId?: string; cookie1?: string };
}

/** Reads and keeps the identifiers of one visitor. */
export interface Identity {
  /** The identifiers for a call made on `url`, creating those that are missing. */
  read(url: string, advertising: boolean): Ids;
  /** Forgets every identifier, so that the next call starts a new visitor. */
  reset(): void;
}

/** The cookies the tag reads and writes. */
export const COOKIES = ['_dfid', '_scid', '_scclid'];

// ~13 months: the lifetime reported for Snap's `_scid`; browsers cap cookies at 400 days anyway.
const ID_DAYS = 395;

/**
 * Creates the identity, with the attribution window (`data-attribution-days`, 28 by default) and
 * the cookie domain (`data-cookie-domain`) of the tag's attributes. Cookies are read back on every
 * call, because the collector also sets them (its Set-Cookie outlives Safari's 7-day cap on cookies
 * that scripts write); a cookie is written only when it is missing or its value changes. Where
 * cookies are blocked, each call gets new ids: such a visitor cannot be attributed anyway.
 */
export function createIdentity(data: TagData): Identity {
  const domain = data.cookieDomain;
  const keep = (name: string, value: string, days: number): string => {
    if (readCookie(name) !== value) writeCookie(name, value, days, domain);
    return value;
  };
  return {
    read(url, advertising) {
      const clickId = clickIdFrom(url);
      // Snapchat's ids are advertising storage: without consent they are sent when present (the
      // collector withholds them from Snapchat) but never created.
      return {
        anonymousId: readCookie('_dfid') || keep('_dfid', uuid(), ID_DAYS),
        snapchat: {
          clickId:
            clickId && advertising ? keep('_scclid', clickId, +data.attributionDays! || 28) : clickId || readCookie('_scclid'),
          cookie1: readCookie('_scid') || (advertising ? keep('_scid', uuid(), ID_DAYS) : undefined),
        },
      };
    },
    reset() {
      for (const name of COOKIES) writeCookie(name, '', 0, domain);
    },
  };
}
