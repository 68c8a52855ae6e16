import type { RequestListener } from 'node:http';
import { fileURLToPath } from 'node:url';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { DestinationRegistry } from '@datafirst/destination';
import type { Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { adminRouter } from './admin/admin-router.js';
import { adminUi } from './admin/admin-ui.js';
import { asExpressError, errorStatus } from './express-error.js';
import { createIngestHandler } from './ingest/ingest-handler.js';
import { smartLinks } from './links/smart-links.js';
import type { Metrics } from './metrics.js';
import { packageFile } from './package-files.js';
import type { EventPipeline } from './pipeline/event-pipeline.js';
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
  /** More admin API routes (warehouse syncs), behind the admin authentication. */
  adminRoutes?: Router[];
  /** Extra routes mounted last (the demo shop and the Snapchat mock in demo mode). */
  extra?: RequestHandler[];
}

const publicDir = fileURLToPath(new URL('../public', import.meta.url));

/**
 * Builds the collector's HTTP request handler: the ingest API on a plain fast path, then an
 * Express app for the tag, admin API, debugger and metrics. Does not listen.
 */
export function createApp(options: AppOptions): RequestListener {
  const ingest = createIngestHandler({
    pipeline: options.pipeline,
    directory: options.directory,
    logger: options.logger,
    metrics: options.metrics,
    trustProxy: options.trustProxy,
    attributionDays: options.attributionDays,
    cookieDomain: options.cookieDomain,
    maxBodyBytes: options.maxBatchBytes,
    maxJsonDepth: options.maxJsonDepth,
  });
  const app = createExpressApp(options);
  return (req, res) => {
    if (!ingest(req, res)) app(req, res);
  };
}

function createExpressApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('etag', false);

  app.get(options.tagPath, serveTagAsset(loadTagAsset(packageFile('@datafirst/tag', 'dist', '_df.js'))));

  const links = smartLinks(options);
  app.use(
    '/v1/admin',
    adminRouter({
      store: options.store,
      directory: options.directory,
      adminToken: options.adminToken,
      destinations: options.destinations,
      tagPath: options.tagPath,
      logger: options.logger,
      closing: options.closing,
      routes: [links.adminRoutes, ...(options.adminRoutes ?? [])],
    }),
  );
  app.use('/admin', adminUi(publicDir));
  app.use(links.publicRoutes);

  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));

  // The debugger lives in the admin UI now; old links and bookmarks land there (relative, for proxies).
  app.get('/debugger', (_req, res) => res.redirect(302, 'admin/#/debugger'));

  for (const handler of options.extra ?? []) app.use(handler);

  app.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  // Errors thrown by Express's own middleware (e.g. a body over the size limit) keep their status.
  app.use(((thrown: unknown, _req, res, _next) => {
    const error = asExpressError(thrown);
    const status = errorStatus(error);
    const reason =
      error.type === 'entity.too.large'
        ? `request body larger than ${String(error.limit)} bytes`
        : status === 500
          ? 'internal error'
          : String(error.message);
    if (status === 500) options.logger.error({ err: thrown }, 'request failed');
    res.status(status).json({ success: false, error: reason });
  }) as express.ErrorRequestHandler);
  return app;
}
