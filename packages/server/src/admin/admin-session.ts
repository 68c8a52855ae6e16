import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { SessionStore } from '@datafirst/store';
import { sameSecret } from './admin-auth.js';

/** The admin UI's session cookie. */
export const SESSION_COOKIE = 'df_admin';

/** A working day: long enough not to interrupt, short enough that a forgotten tab expires. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** A signed-in admin UI session. */
export interface AdminSession {
  nonce: string;
  expiresAt: number;
  /** Sent back by the UI in `X-CSRF-Token` on every request that changes something. */
  csrfToken: string;
}

/**
 * Admin UI sessions, as signed cookies backed by the database:
 * - the cookie is `<expiry>.<nonce>.<HMAC>`, keyed from the admin token, so a forged or altered
 *   cookie is refused without a lookup, and changing the admin token signs every session out;
 * - the nonce is stored (the store's `sessions`), so a sign-out deletes it for every collector
 *   sharing the database and survives a restart;
 * - it is HttpOnly (no script can read it) and SameSite=Strict (no other site's page can make the
 *   browser send it);
 * - the CSRF token is derived from the session (an HMAC of its nonce), so it needs no storage.
 *   SameSite=Strict already stops cross-site requests; the token also stops same-site ones, e.g.
 *   from a compromised sibling subdomain of the collector's.
 */
export class AdminSessions {
  private readonly key: Buffer;

  constructor(
    adminToken: string,
    private readonly store: SessionStore,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', adminToken, 'datafirst admin session', 'cookie v1', 32));
  }

  /** A new session, stored, and the cookie value that carries it. */
  async issue(): Promise<{ session: AdminSession; cookie: string }> {
    const nonce = randomBytes(18).toString('base64url');
    const expiresAt = this.now() + SESSION_TTL_MS;
    // Signing in is rare: a good moment to forget the sessions that ran out.
    await this.store.expireSessions();
    await this.store.createSession({ id: nonce, expiresAt });
    const payload = `${expiresAt}.${nonce}`;
    return { session: this.session(nonce, expiresAt), cookie: `${payload}.${this.mac(payload)}` };
  }

  /** The session a cookie value carries, if it is genuine, unexpired and not signed out. */
  async verify(cookie: string | undefined): Promise<AdminSession | undefined> {
    const parts = cookie?.split('.') ?? [];
    if (parts.length !== 3) return undefined;
    const [expiry, nonce, mac] = parts as [string, string, string];
    if (!sameSecret(mac, this.mac(`${expiry}.${nonce}`))) return undefined;
    const expiresAt = Number(expiry);
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= this.now()) return undefined;
    if (!(await this.store.getSession(nonce))) return undefined;
    return this.session(nonce, expiresAt);
  }

  /** True while `session` is still valid (not expired, not signed out). */
  async isLive(session: AdminSession): Promise<boolean> {
    return session.expiresAt > this.now() && (await this.store.getSession(session.nonce)) !== undefined;
  }

  /** True when `token` is the session's CSRF token (constant-time comparison). */
  csrfMatches(session: AdminSession, token: unknown): boolean {
    return typeof token === 'string' && token !== '' && sameSecret(token, session.csrfToken);
  }

  /** Signs a session out, for every process sharing the database. */
  async revoke(session: AdminSession): Promise<void> {
    await this.store.deleteSession(session.nonce);
  }

  private session(nonce: string, expiresAt: number): AdminSession {
    return { nonce, expiresAt, csrfToken: this.mac(`csrf.${nonce}`) };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}

/** The Set-Cookie value for a session cookie; `Secure` when the request came over HTTPS. */
export function sessionCookie(value: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
