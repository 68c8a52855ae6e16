// What the tag's cookies look like. They are read and written with js-cookie, the cookie library
// of the project's stack, by browser.ts (the module that touches document.cookie).
import type Cookies from 'js-cookie';

/**
 * The attributes of a cookie that lives `days` (0 deletes it): for the whole site (js-cookie's
 * default `path=/`), SameSite=Lax, Secure on https, and a `Domain` only when one is configured.
 * `max-age` rather than `expires`, so that a wrong clock in the browser cannot shorten it.
 */
export function cookieAttributes(days: number, secure: boolean, domain?: string): Cookies.CookieAttributes {
  return { 'max-age': `${days * 86_400}`, sameSite: 'Lax', secure, domain };
}
