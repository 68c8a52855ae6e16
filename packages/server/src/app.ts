import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { DestinationRegistry } from '@datafirst/destination';
import { isDatabaseUnavailable, type Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { adminRouter } from './admin/admin-router.js';
import { adminUi } from './admin/admin-ui.js';
import { asExpressError, bodyErrorReason, errorStatus } from './express-error.js';
import { createIngestHandler } from './ingest/ingest-handler.js';
import { smartLinks } from './links/smart-links.js';
import type { Metrics } from './metrics.js';
import { packageFile } from './package-files.js';
import type { EventPipeline } from './pipeline/event-pipeline.js';
import { readiness } from './readiness.js';
import type { SourceDirectory } from './source-directory.js';
import { loadTagAsset, serveTagAsset } from './tag-asset.js';

export interface AppOptions {
  store: Store;
  directory: SourceDirectory;
  metrics: Metrics;
  logger: Logger;
  /** The one way events are stored, whoever produces them. */
  pipeline: EventPipeline;
  destinations: DestinationRegistry;
  adminToken: string;
  tagPath: string;
  consentDefault: 'granted' | 'denied';
  honorGpc: boolean;
  trustProxy: number | boolean;
  /** How long `_scclid` lives, in days; matches the tag's `data-attribution-days`. */
  attributionDays: number;
  /** The identity cookies' `Domain`; matches the tag's `data-cookie-domain`. Unset: host-only. */
  cookieDomain?: string;
  /** Largest ingest request body, in bytes, after decompression. */
  maxBatchBytes: number;
  /** Deepest nesting in one ingested message; `LIMITS.maxJsonDepth` when unset. */
  maxJsonDepth?: number;
  /** Aborted when the server starts shutting down: long-lived responses (live streams) end. */
  closing?: AbortSignal;
  /** The collector's public base URL: smart-link and postback URLs start with it. */
  publicUrl: string;
  /** More admin API routes (warehouse syncs), behind the admin authentication. */
  adminRoutes?: Router[];
  /** Extra public routes, mounted last (the demo shop in demo mode). */
  publicExtra?: RequestHandler[];
  /** Extra admin-listener routes, mounted last (the Snapchat mock in demo mode). */
  adminExtra?: RequestHandler[];
}

/** The request handlers of the two listeners. */
export interface Apps {
  /** Ingest, the tag, smart links, postbacks and `/healthz` (and the demo shop): what the Internet reaches. */
  publicApp: RequestListener;
  /** Admin API and UI, `/metrics` (and the demo's Snapchat mock): never on the shop's origin. */
  adminApp: RequestListener;
}

const publicDir = fileURLToPath(new URL('../public', import.meta.url));

/**
 * Builds the request handlers of the collector's two listeners. The public one runs the ingest
 * API on a plain fast path, then an Express app for the tag, smart links and postbacks; the
 * admin one serves the admin API and UI and the metrics. A script on the shop's pages shares
 * the public origin, so nothing that acts as the admin is there. Does not listen.
 */
export function createApps(options: AppOptions): Apps {
  const ingest = createIngestHandler({
    pipeline: options.pipeline,
    directory: options.directory,
    limits: options.store.limits,
    logger: options.logger,
    metrics: options.metrics,
    trustProxy: options.trustProxy,
    attributionDays: options.attributionDays,
    cookieDomain: options.cookieDomain,
    maxBodyBytes: options.maxBatchBytes,
    maxJsonDepth: options.maxJsonDepth,
  });
  const links = smartLinks(options);
  const publicExpress = publicExpressApp(options, links.publicRoutes);
  return {
    publicApp: (req, res) => {
      if (!ingest(req, res)) publicExpress(req, res);
    },
    adminApp: adminExpressApp(options, links.adminRoutes),
  };
}

/** The public listener's Express app: the tag, smart links and postbacks, `/healthz`, the demo shop. */
function publicExpressApp(options: AppOptions, linkRoutes: Router): Express {
  const app = baseApp(options);
  app.get(options.tagPath, serveTagAsset(loadTagAsset(packageFile('@datafirst/tag', 'dist', '_df.js'))));
  app.use(linkRoutes);
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', readyzRoute(options.store));
  for (const handler of options.publicExtra ?? []) app.use(handler);
  return withFallbacks(app, options);
}

/** The admin listener's Express app: admin API and UI, `/metrics`, `/healthz`, the demo's mock. */
function adminExpressApp(options: AppOptions, linkAdminRoutes: Router): Express {
  const app = baseApp(options);
  app.use(
    '/v1/admin',
    adminRouter({
      store: options.store,
      directory: options.directory,
      adminToken: options.adminToken,
      destinations: options.destinations,
      // The snippet is pasted into the shop's pages: it loads the tag from the public URL.
      tagSrc: `${options.publicUrl}${options.tagPath}`,
      logger: options.logger,
      closing: options.closing,
      routes: [linkAdminRoutes, ...(options.adminRoutes ?? [])],
    }),
  );
  app.use('/admin', adminUi(publicDir));
  app.get('/metrics', async (_req, res) => {
    let text: string;
    try {
      text = await options.metrics.registry.metrics();
    } catch (error) {
      // The gauges read the database: while it is away the scrape fails as every call does, with 503.
      if (!isDatabaseUnavailable(error)) throw error;
      return void res.status(503).set('Retry-After', '5').json({ error: 'the database is unreachable; retry later' });
    }
    res.type(options.metrics.registry.contentType).send(text);
  });
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.get('/readyz', readyzRoute(options.store));
  // The debugger lives in the admin UI now; old links and bookmarks land there (relative, for proxies).
  app.get('/debugger', (_req, res) => res.redirect(302, 'admin/#/debugger'));
  for (const handler of options.adminExtra ?? []) app.use(handler);
  return withFallbacks(app, options);
}

/** `GET /readyz`: 200 while the database answers, else 503 with Retry-After (see readiness.ts). */
function readyzRoute(store: Store): RequestHandler {
  return (_req, res, next) => {
    readiness(store)
      .then(({ status, body }) => {
        if (status === 503) res.set('Retry-After', '5');
        res.status(status).set('Cache-Control', 'no-store').json(body);
      })
      .catch(next);
  };
}

/** An Express app with the settings both listeners share. */
function baseApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('etag', false);
  return app;
}

/** Ends an app with a 404 for every other path and an error handler that keeps Express's statuses. */
function withFallbacks(app: Express, options: AppOptions): Express {
  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  // Errors thrown by Express's own middleware (e.g. a body over the size limit) keep their status.
  app.use(((thrown: unknown, _req, res, _next) => {
    const error = asExpressError(thrown);
    const status = errorStatus(error);
    const reason = bodyErrorReason(error) ?? (status === 500 ? 'internal error' : String(error.message));
    if (status === 500) options.logger.error({ err: thrown }, 'request failed');
    res.status(status).json({ success: false, error: reason });
  }) as express.ErrorRequestHandler);
  return app;
}
