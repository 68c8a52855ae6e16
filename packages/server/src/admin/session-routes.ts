import express, { type Request, type Response, type Router } from 'express';
import { checkAdminToken, sessionOf, type AdminAuthOptions } from './admin-auth.js';
import { objectBody } from './admin-input.js';
import { clearedSessionCookie, sessionCookie, type AdminSession } from './admin-session.js';

const sessionJson = (session: AdminSession) => ({
  csrf_token: session.csrfToken,
  expires_at: new Date(session.expiresAt).toISOString(),
});

/**
 * The admin UI's sign-in: `POST /session` with the admin token sets the session cookie and
 * answers the CSRF token; `GET /session` tells a reloaded page whether it is signed in (and its
 * CSRF token again); `DELETE /session` signs out. Wrong tokens count against the client's
 * failed sign-ins, like wrong Bearer tokens.
 */
export function sessionRoutes(options: AdminAuthOptions): Router {
  const router = express.Router();

  router.post('/session', (req, res, next) => {
    signIn(req, res).catch(next);
  });
  const signIn = async (req: Request, res: Response) => {
    const body = objectBody(req.body);
    if (typeof body.token !== 'string' || body.token.trim() === '') {
      res.status(400).json({ error: 'token: the admin token is required', errors: ['token: the admin token is required'] });
      return;
    }
    if (!(await checkAdminToken(req, res, body.token.trim(), options))) return;
    const { session, cookie } = await options.sessions.issue();
    res.status(201).append('Set-Cookie', sessionCookie(cookie, req.secure)).json(sessionJson(session));
  };

  router.get('/session', (req, res, next) => {
    sessionOf(req, options.sessions)
      .then((session) => {
        // `?probe=1` is the admin UI asking at page load: "not yet" is an answer there, not an error
        // (a 401 would show in the browser's console on every visit to the sign-in page).
        if (!session && req.query.probe === '1') return void res.json({ signed_in: false });
        if (!session) return void res.status(401).json({ error: 'not signed in' });
        res.json(sessionJson(session));
      })
      .catch(next);
  });

  router.delete('/session', (req, res, next) => {
    signOut(req, res).catch(next);
  });
  const signOut = async (req: Request, res: Response) => {
    const session = await sessionOf(req, options.sessions);
    if (!session) return void res.status(401).json({ error: 'not signed in' });
    if (!options.sessions.csrfMatches(session, req.headers['x-csrf-token'])) {
      res.status(403).json({ error: 'missing or invalid CSRF token: send the X-CSRF-Token header that signing in gave' });
      return;
    }
    await options.sessions.revoke(session);
    res.status(204).append('Set-Cookie', clearedSessionCookie(req.secure)).end();
  };

  return router;
}
