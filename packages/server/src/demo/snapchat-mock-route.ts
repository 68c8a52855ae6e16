import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SnapchatMockHandler } from '@datafirst/snapchat';
import { sameSecret } from '../admin/admin-auth.js';

/** Where the built-in Snapchat mock is mounted, on the admin listener, in demo mode. */
export const MOCK_PATH = '/snapchat-mock';

/** A connect-style handler: answers a request, or passes it on. */
export type PassOnHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * Mounts the demo's Snapchat mock at MOCK_PATH. Its Snapchat paths take what the worker sends;
 * its inspection and fault routes (`__mock/*`) show the access tokens it received and change its
 * answers, so they need the admin token as a Bearer header.
 */
export function demoSnapchatMock(mock: SnapchatMockHandler, adminToken: string): PassOnHandler {
  const controlPrefix = `${MOCK_PATH}/__mock/`;
  return (req, res, next) => {
    const url = req.url ?? '';
    if (url !== MOCK_PATH && !url.startsWith(`${MOCK_PATH}/`)) return next();
    if (url.startsWith(controlPrefix) && !bearerIs(req, adminToken)) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
      res.end(JSON.stringify({ error: 'the mock inspection routes need the admin token (Authorization: Bearer …)' }));
      return;
    }
    mock.handle(req, res);
  };
}

/** True when the request carries `Authorization: Bearer <token>`. */
function bearerIs(req: IncomingMessage, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return match !== null && sameSecret(match[1]!, token);
}
