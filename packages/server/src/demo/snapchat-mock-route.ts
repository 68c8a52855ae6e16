import type { RequestHandler } from 'express';
import type { SnapchatMockHandler } from '@datafirst/snapchat';
import { checkAdminToken, type AdminAuthOptions } from '../admin/admin-auth.js';

/** Where the built-in Snapchat mock is mounted, on the admin listener, in demo mode. */
export const MOCK_PATH = '/snapchat-mock';

const CONTROL_PATH = `${MOCK_PATH}/__mock`;

/**
 * Mounts the demo's Snapchat mock at MOCK_PATH. Its Snapchat paths take what the worker sends;
 * its inspection and fault routes (`__mock/*`) show the access tokens it received and change its
 * answers, so they need the admin token as a Bearer header, and wrong tokens count as failed
 * sign-ins. The path is checked as the mock resolves it (dot segments and all, as WHATWG URLs do),
 * and the mock is handed exactly that path, so `/snapchat-mock/./__mock/…` is no way round.
 */
export function demoSnapchatMock(
  mock: SnapchatMockHandler,
  auth: Pick<AdminAuthOptions, 'adminToken' | 'limiter'>,
): RequestHandler {
  return (req, res, next) => {
    const url = new URL(req.url, 'http://mock.invalid');
    const path = url.pathname;
    if (path !== MOCK_PATH && !path.startsWith(`${MOCK_PATH}/`)) return next();
    const control = path === CONTROL_PATH || path.startsWith(`${CONTROL_PATH}/`);
    req.url = `${path}${url.search}`;
    if (!control) return mock.handle(req, res);
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!token) {
      res.status(401).set('WWW-Authenticate', 'Bearer');
      res.json({ error: 'the mock inspection routes need the admin token (Authorization: Bearer …)' });
      return;
    }
    checkAdminToken(req, res, token, auth)
      .then((admitted) => admitted && mock.handle(req, res))
      .catch(next);
  };
}
