import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when `given` equals `expected`, compared in constant time (hashes make lengths equal). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** Requires `Authorization: Bearer <admin token>`; answers 401 with a reason otherwise. */
export function requireAdminToken(adminToken: string): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'missing admin token: send Authorization: Bearer <token>' });
      return;
    }
    if (!sameSecret(token, adminToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'invalid admin token' });
      return;
    }
    next();
  };
}
