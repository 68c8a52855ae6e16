import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseCookies } from '../ingest/cookies.js';
import { SESSION_COOKIE, type AdminSession, type AdminSessions } from './admin-session.js';
import type { FailedLoginLimiter } from './login-limiter.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when `given` equals `expected`, compared in constant time (hashes make lengths equal). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** How a request proved it is the admin. */
export type AdminAuth = { via: 'token' } | { via: 'session'; session: AdminSession };

export interface AdminAuthOptions {
  adminToken: string;
  sessions: AdminSessions;
  limiter: FailedLoginLimiter;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The admin auth a request was let in with (set by {@link requireAdmin}). */
export function adminAuthOf(res: Response): AdminAuth | undefined {
  return res.locals.adminAuth as AdminAuth | undefined;
}

/** The session a request's cookie carries, if valid. */
export function sessionOf(req: Request, sessions: AdminSessions): Promise<AdminSession | undefined> {
  return sessions.verify(parseCookies(req.headers.cookie)[SESSION_COOKIE]);
}

/**
 * Checks the admin token, counting wrong ones against the client's (and everyone's) failed
 * sign-ins. A correct token is always let in: the limit is for guessers, and must not let them
 * lock the admin out. Answers (and returns false) when the token is wrong: 429 over the limit.
 */
export async function checkAdminToken(
  req: Request,
  res: Response,
  token: string,
  options: Pick<AdminAuthOptions, 'adminToken' | 'limiter'>,
): Promise<boolean> {
  if (sameSecret(token, options.adminToken)) return true;
  const ip = req.ip ?? 'unknown';
  const wait = await options.limiter.retryAfterSeconds(ip);
  if (wait !== undefined) {
    res
      .status(429)
      .set('Retry-After', String(wait))
      .json({ error: `too many failed sign-ins: try again in ${wait} s` });
    return false;
  }
  await options.limiter.fail(ip);
  res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'invalid admin token' });
  return false;
}

/**
 * Lets in scripts with `Authorization: Bearer <admin token>` and the admin UI with its session
 * cookie. A cookie-authenticated request that changes something must also carry the session's
 * CSRF token in `X-CSRF-Token`; a Bearer request need not, as no browser adds that header on its own.
 */
export function requireAdmin(options: AdminAuthOptions): RequestHandler {
  return (req, res, next) => {
    admit(req, res, next, options).catch(next);
  };
}

/** The admission check of {@link requireAdmin}: lets the request through, or answers why not. */
async function admit(req: Request, res: Response, next: NextFunction, options: AdminAuthOptions): Promise<void> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer')
        .json({ error: 'missing admin token: send Authorization: Bearer <token>' });
      return;
    }
    if (!(await checkAdminToken(req, res, token, options))) return;
    res.locals.adminAuth = { via: 'token' } satisfies AdminAuth;
    next();
    return;
  }
  const cookie = parseCookies(req.headers.cookie)[SESSION_COOKIE];
  const session = await options.sessions.verify(cookie);
  if (!session) {
    const error = cookie
      ? 'session expired or signed out: sign in again'
      : 'missing admin token: send Authorization: Bearer <token>';
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error });
    return;
  }
  if (!SAFE_METHODS.has(req.method) && !options.sessions.csrfMatches(session, req.headers['x-csrf-token'])) {
    res.status(403).json({ error: 'missing or invalid CSRF token: send the X-CSRF-Token header that signing in gave' });
    return;
  }
  res.locals.adminAuth = { via: 'session', session } satisfies AdminAuth;
  next();
}
