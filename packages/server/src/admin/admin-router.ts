import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import type { DestinationRegistry } from '@datafirst/destination';
import { isDatabaseUnavailable, type Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { SourceDirectory } from '../source-directory.js';
import { requireAdmin, type AdminAuthOptions } from './admin-auth.js';
import { asExpressError, bodyErrorReason, errorStatus } from '../express-error.js';
import { BadRequest } from './admin-input.js';
import { AdminSessions } from './admin-session.js';
import { erasureRoutes } from './erasure-routes.js';
import { eventRoutes } from './event-routes.js';
import { insightRoutes } from './insight-routes.js';
import { integrationRoutes } from './integration-routes.js';
import { FailedLoginLimiter } from './login-limiter.js';
import { apiSecurityHeaders } from './security-headers.js';
import { sessionRoutes } from './session-routes.js';
import { sourceRoutes } from './source-routes.js';
import { trendRoutes } from './trend-routes.js';

export interface AdminOptions {
  store: Store;
  directory: SourceDirectory;
  adminToken: string;
  destinations: DestinationRegistry;
  /** The browser tag's public URL (public base URL + tag path), for the snippets shown with new write keys. */
  tagSrc: string;
  logger?: Logger;
  /** Aborted when the server shuts down; live event streams end then. */
  closing?: AbortSignal;
  /** Failed sign-ins (wrong admin token) allowed per client IP per minute before 429. */
  maxFailedSignIns?: number;
  /** More admin routes (e.g. another feature's), mounted behind the same authentication. */
  routes?: Router[];
}

/**
 * The management API under `/v1/admin`: session sign-in for the UI, then (Bearer admin token or
 * session cookie + CSRF token) sources, integrations, test events, events and their live stream,
 * delivery health, match quality and trends.
 */
export function adminRouter(options: AdminOptions): Router {
  const { store, directory, destinations, logger } = options;
  const auth: AdminAuthOptions = {
    adminToken: options.adminToken,
    sessions: new AdminSessions(options.adminToken, store.sessions),
    limiter: new FailedLoginLimiter(store.limits, options.maxFailedSignIns ?? 10, 60_000),
  };
  const router = express.Router();
  router.use(apiSecurityHeaders());
  router.use(requireJsonBodies);
  router.use(express.json({ limit: '1mb' }));
  router.use(sessionRoutes(auth));
  router.use(requireAdmin(auth));
  router.use(sourceRoutes({ store, directory, tagSrc: options.tagSrc, logger }));
  router.use(integrationRoutes({ store, directory, destinations, logger }));
  router.use(eventRoutes({ store, destinations, sessions: auth.sessions, logger, closing: options.closing }));
  router.use(insightRoutes({ store, destinations, logger }));
  router.use(trendRoutes({ store, logger }));
  router.use(erasureRoutes({ store, logger }));
  for (const routes of options.routes ?? []) router.use(routes);
  router.use(adminErrors(logger));
  return router;
}

/**
 * A body in any other type would be ignored by the JSON parser and the call would run with
 * defaults: refuse it with 415 instead, naming the type to send. Calls without a body pass.
 */
const requireJsonBodies: RequestHandler = (req, res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!hasBody || req.is('application/json')) return next();
  // Endpoints that read a file (a sync's CSV upload and its preview) stream it themselves.
  if (req.is('text/csv') && /\/(upload|preview)$/.test(req.path)) return next();
  res.status(415).json({
    error: `send the body as JSON with Content-Type: application/json (got ${JSON.stringify(req.headers['content-type'] ?? 'none')})`,
  });
};

/** Every error of an admin call as the admin API's JSON answer: the one place they are answered. */
function adminErrors(logger: Logger | undefined): ErrorRequestHandler {
  return (thrown: unknown, req, res, _next) => {
    // A stream (the live debugger) already answered: it can only be ended.
    if (res.headersSent) {
      logger?.error({ err: thrown, method: req.method, path: req.path }, 'admin request failed');
      return void res.end();
    }
    if (thrown instanceof BadRequest) return void res.status(400).json({ error: thrown.message, errors: thrown.errors });
    const error = asExpressError(thrown);
    const status = errorStatus(error);
    const bodyError = bodyErrorReason(error);
    if (bodyError !== undefined) return void res.status(status).json({ error: bodyError });
    if (isDatabaseUnavailable(thrown)) {
      logger?.warn({ err: thrown, method: req.method, path: req.path }, 'admin request: the database is unreachable');
      return void res.status(503).set('Retry-After', '5').json({ error: 'the database is unreachable; retry later' });
    }
    if (status === 500) logger?.error({ err: thrown, method: req.method, path: req.path }, 'admin request failed');
    res.status(status).json({ error: status === 500 ? 'internal error' : String(error.message) });
  };
}
