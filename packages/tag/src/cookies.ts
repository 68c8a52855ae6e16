// js-cookie would cost a quarter of the tag's 2 KB budget; the tag needs three cookies with fixed,
// safe names (no regular-expression characters), so these two functions do.

/** The value of cookie `name` in a `document.cookie` string, exactly as stored: it may be opaque. */
export function cookieValue(cookies: string, name: string): string | undefined {
  return cookies.match(`(?:^|; )${name}=([^;]*)`)?.[1];
}

/**
 * The `document.cookie` assignment that stores `value` for `days` (0 deletes): first-party, for the
 * whole site, SameSite=Lax, Secure on https. The value is URI-encoded, so that a crafted `ScCid` in a
 * link cannot add attributes; the ids the tag writes (UUIDs, click ids) do not change when encoded.
 */
export function cookieAssignment(name: string, value: string, days: number, secure: boolean, domain?: string): string {
  return (
    `${name}=${encodeURIComponent(value)};path=/;max-age=${days * 86_400};samesite=lax` +
    `${secure ? ';secure' : ''}${domain ? `;domain=${domain}` : ''}`
  );
}
