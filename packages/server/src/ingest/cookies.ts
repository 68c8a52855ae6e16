import type { EnrichedMessage } from '@datafirst/protocol';
import { clickIdFromUrl } from '@datafirst/snapchat';

/** Parses a Cookie header into name → value (first occurrence wins, values URI-decoded). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in cookies) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      cookies[name] = raw;
    }
  }
  return cookies;
}

const DAY_S = 24 * 60 * 60;

/** About 13 months, the lifetime of `_dfid` and `_scid`, as the tag sets them; browsers cap cookies at 400 days. */
export const ID_LIFETIME_S = 395 * DAY_S;

/** How the collector writes the identity cookies; it must match the tag's `data-` attributes. */
export interface CookiePolicy {
  /** How long `_scclid` lives, in days: the tag's `data-attribution-days`. */
  attributionDays: number;
  /** The cookies' `Domain`: the tag's `data-cookie-domain`. Unset, they are host-only, as the tag's are. */
  domain?: string;
  /** The request came over HTTPS. */
  secure: boolean;
}

/** The first-party identity cookies. */
export type IdentityCookieName = '_dfid' | '_scid' | '_scclid';

/**
 * A Set-Cookie value for a first-party identity cookie. Cookies set by the server outlive
 * Safari's 7-day cap on cookies written by scripts, when the collector shares the site's origin.
 */
export function identityCookie(name: IdentityCookieName, value: string, policy: CookiePolicy): string {
  const maxAge = name === '_scclid' ? Math.round(policy.attributionDays * DAY_S) : ID_LIFETIME_S;
  return (
    `${name}=${encodeURIComponent(value)}; Max-Age=${maxAge}; Path=/; SameSite=Lax` +
    `${policy.domain ? `; Domain=${policy.domain}` : ''}${policy.secure ? '; Secure' : ''}`
  );
}

/**
 * The Set-Cookie values that re-issue the identity cookies of a browser's latest message. It only
 * refreshes what the browser still holds (`held`, its Cookie header) with the message's value, never
 * brings back one that is gone: a message sent after `_df.reset()` but made before it carries the
 * old ids, and its answer must not undo the reset. Snapchat's cookies are advertising storage, so
 * without advertising consent they are not written, as the tag does not write them either. Only a
 * new click restarts the attribution window: re-sending the cookie's old click would stretch it.
 */
export function identityCookies(message: EnrichedMessage, held: Record<string, string>, policy: CookiePolicy): string[] {
  const cookies: string[] = [];
  const refresh = (name: IdentityCookieName, value: string | undefined) => {
    if (value && held[name] === value) cookies.push(identityCookie(name, value, policy));
  };
  refresh('_dfid', message.anonymousId);
  if (message.context.consent?.categoryPreferences?.advertising !== true) return cookies;
  refresh('_scid', message.context.snapchat?.cookie1);
  // The landing URL's click id costs a URL parse: only a browser still holding the cookie needs it.
  if (held._scclid !== undefined) refresh('_scclid', clickIdFromUrl(message.context.page?.url));
  return cookies;
}
