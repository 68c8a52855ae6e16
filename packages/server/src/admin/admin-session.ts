import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
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
 * Admin UI sessions, as signed cookies rather than server-side state:
 * - the cookie is `<expiry>.<nonce>.<HMAC>`, keyed from the admin token, so it is checked
 *   without a lookup, survives restarts, works on every collector sharing the token, and
 *   changing the admin token signs every session out;
 * - it is HttpOnly (no script can read it) and SameSite=Strict (no other site's page can make the
 *   browser send it);
 * - the CSRF token is derived from the session (an HMAC of its nonce), so it needs no storage
 *   either. SameSite=Strict already stops cross-site requests; the token also stops same-site
 *   ones, e.g. from a compromised sibling subdomain of the collector's.
 * Signing out revokes the nonce in this process's memory; the cookie is cleared as well.
 */
export class AdminSessions {
  private readonly key: Buffer;
  private readonly revoked = new Map<string, number>();

  constructor(
    adminToken: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', adminToken, 'datafirst admin session', 'cookie v1', 32));
  }

  /** A new session and the cookie value that carries it. */
  issue(): { session: AdminSession; cookie: string } {
    const nonce = randomBytes(18).toString('base64url');
    const expiresAt = this.now() + SESSION_TTL_MS;
    const payload = `${expiresAt}.${nonce}`;
    return { session: this.session(nonce, expiresAt), cookie: `${payload}.${this.mac(payload)}` };
  }

  /** The session a cookie value carries, if it is genuine, unexpired and not signed out. */
  verify(cookie: string | undefined): AdminSession | undefined {
    const parts = cookie?.split('.') ?? [];
    if (parts.length !== 3) return undefined;
    const [expiry, nonce, mac] = parts as [string, string, string];
    if (!sameSecret(mac, this.mac(`${expiry}.${nonce}`))) return undefined;
    const expiresAt = Number(expiry);
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= this.now() || this.revoked.has(nonce)) return undefined;
    return this.session(nonce, expiresAt);
  }

  /** True while `session` is still valid (not expired, not signed out). */
  isLive(session: AdminSession): boolean {
    return session.expiresAt > this.now() && !this.revoked.has(session.nonce);
  }

  /** True when `token` is the session's CSRF token (constant-time comparison). */
  csrfMatches(session: AdminSession, token: unknown): boolean {
    return typeof token === 'string' && token !== '' && sameSecret(token, session.csrfToken);
  }

  /** Signs a session out. */
  revoke(session: AdminSession): void {
    const now = this.now();
    for (const [nonce, expiresAt] of this.revoked) if (expiresAt <= now) this.revoked.delete(nonce);
    this.revoked.set(session.nonce, session.expiresAt);
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
