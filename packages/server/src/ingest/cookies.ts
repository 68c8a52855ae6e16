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

/** How long each first-party cookie lives. */
export const COOKIE_LIFETIMES_S = {
  /** About 13 months, the longest lifetime privacy regulators tend to accept. */
  _dfid: 395 * DAY_S,
  _scid: 395 * DAY_S,
  /** The attribution window. */
  _scclid: 28 * DAY_S,
} as const;

/**
 * A Set-Cookie value for a first-party identity cookie. Cookies set by the server outlive
 * Safari's 7-day cap on cookies written by scripts, when the collector shares the site's origin.
 */
export function identityCookie(name: keyof typeof COOKIE_LIFETIMES_S, value: string, secure: boolean): string {
  return `${name}=${encodeURIComponent(value)}; Max-Age=${COOKIE_LIFETIMES_S[name]}; Path=/; SameSite=Lax${secure ? '; Secure' : ''}`;
}
