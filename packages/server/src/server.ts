import type { RequestListener } from 'node:http';
import { hostname } from 'node:os';
import type { RequestHandler } from 'express';
import { DestinationRegistry, secretKeys } from '@datafirst/destination';
import { SNAPCHAT_FIELDS, SnapchatClient, createSnapchatDestination, createSnapchatMock } from '@datafirst/snapchat';
import { openPostgresStore, openSqliteStore, type Source, type Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { createApps } from './app.js';
import { bootstrap } from './bootstrap.js';
import type { Config } from './config.js';
import { shopRouter } from './demo/shop.js';
import { demoSnapchatMock, MOCK_PATH } from './demo/snapchat-mock-route.js';
import { FailedLoginLimiter } from './admin/login-limiter.js';
import { closeListener, listen, type ListenerTimeouts } from './listener.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { readiness } from './readiness.js';
import { EventPipeline, type PipelineOptions } from './pipeline/event-pipeline.js';
import { SourceDirectory } from './source-directory.js';
import { RetentionSweeper } from './privacy/retention-sweeper.js';
import { warehouseSyncs } from './syncs/sync-admin.js';
import { SyncScheduler } from './syncs/sync-scheduler.js';
import { DeliveryWorker } from './worker/delivery-worker.js';

export { MOCK_PATH };

/** A running Datafirst: collector, and worker unless disabled. */
export interface RunningDatafirst {
  /** The public listener, as this machine reaches it: ingest, the tag, links, postbacks, `/healthz`. */
  url: string;
  port: number;
  /** The admin listener: admin API and UI, `/metrics`, the demo's Snapchat mock. */
  adminUrl: string;
  adminPort: number;
  /** Where generated URLs (links, postbacks) point: DATAFIRST_PUBLIC_URL, else `url`. */
  publicUrl: string;
  snapchatApiUrl: string;
  /** The bootstrapped source, if any (demo mode always has one). */
  source?: Source;
  sourceCreated: boolean;
  /** Stops accepting, finishes in-flight requests and sends, closes the database. */
  close(): Promise<void>;
}

/** Opens the store, bootstraps the default source, starts the public and admin listeners and the worker. */
export async function startDatafirst(config: Config): Promise<RunningDatafirst> {
  const logger = createLogger(config.logLevel);
  const store = await openStore(config, logger, 'start');
  // Aborted when closing begins: live streams (the debugger's) end, or the server would wait on them.
  const shutdown = new AbortController();

  // Both listen before anything else starts, so a port in use fails the start cleanly (before the
  // first start's source is made: its write key is shown once, by the start that works). Until
  // the apps exist they answer 503.
  let publicHandler: RequestListener = (_req, res) => res.writeHead(503).end();
  let adminHandler: RequestListener = (_req, res) => res.writeHead(503).end();
  const timeouts = listenerTimeouts(config);
  const publicListener = await listen((req, res) => publicHandler(req, res), {
    ...timeouts,
    port: config.port,
    host: config.host,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const adminListener = await listen((req, res) => adminHandler(req, res), {
    ...timeouts,
    port: config.adminPort,
    host: config.adminHost,
  }).catch(async (error: unknown) => {
    await closeListener(publicListener);
    await store.close();
    throw error;
  });
  const boot = await bootstrap(store, config);
  const { url, port } = publicListener;
  const publicUrl = config.publicUrl ?? url;
  // The worker reaches the demo mock on the admin listener; a wildcard bind is reached on loopback.
  const adminLoopback = config.adminHost === '0.0.0.0' ? `http://127.0.0.1:${adminListener.port}` : adminListener.url;
  const snapchatApiUrl = config.snapchatApiUrl || `${adminLoopback}${MOCK_PATH}`;

  const metrics = createMetrics(store);
  const directory = new SourceDirectory(store);
  const destinations = destinationsFor(snapchatApiUrl, config);
  const worker = config.worker ? createWorker(config, store, destinations, logger, metrics) : undefined;
  // Retention runs beside the worker: a collector without one leaves it to the worker process.
  const sweeper = config.worker ? new RetentionSweeper({ store, retentionDays: config.retentionDays, logger }) : undefined;
  const pipeline = createPipeline(config, { store, directory, destinations, metrics });

  const syncs = warehouseSyncs({ store, pipeline, directory, destinations, logger, leaseMs: config.leaseMs });
  // Scheduled syncs run where the worker runs; one run per sync at a time across processes.
  const scheduler = worker ? new SyncScheduler({ store, runner: syncs.runner, logger }) : undefined;

  const publicExtra: RequestHandler[] = [];
  const adminExtra: RequestHandler[] = [];
  if (config.demo) {
    const limiter = new FailedLoginLimiter(store.limits);
    adminExtra.push(demoSnapchatMock(createSnapchatMock({ basePath: MOCK_PATH }), { adminToken: config.adminToken, limiter }));
    if (boot) publicExtra.push(shopRouter(boot.source.writeKey, config.tagPath, adminListener.url));
  }
  const apps = createApps({
    store,
    directory,
    metrics,
    logger,
    pipeline,
    destinations,
    adminToken: config.adminToken,
    tagPath: config.tagPath,
    consentDefault: config.consentDefault,
    honorGpc: config.honorGpc,
    trustProxy: config.trustProxy,
    attributionDays: config.attributionDays,
    cookieDomain: config.cookieDomain,
    maxBatchBytes: config.maxBatchBytes,
    publicUrl,
    maxJsonDepth: config.maxJsonDepth,
    closing: shutdown.signal,
    adminRoutes: [syncs.adminRoutes],
    publicExtra,
    adminExtra,
  });
  publicHandler = apps.publicApp;
  adminHandler = apps.adminApp;
  worker?.start();
  sweeper?.start();
  scheduler?.start();
  logger.debug({ port, adminPort: adminListener.port, demo: config.demo }, 'datafirst started');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    adminUrl: adminListener.url,
    adminPort: adminListener.port,
    publicUrl,
    snapchatApiUrl,
    source: boot?.source,
    sourceCreated: boot?.created ?? false,
    close() {
      closing ??= (async () => {
        // Stop accepting; requests already in flight finish (their writes are durable before they answer).
        shutdown.abort();
        await Promise.all([closeListener(publicListener), closeListener(adminListener)]);
        await sweeper?.stop();
        // Runs stop at their next batch (the next run resumes them); then no new one is looked for.
        await syncs.runner.stop();
        await scheduler?.stop();
        await worker?.stop();
        await store.close();
      })();
      return closing;
    },
  };
}

/**
 * Opens the configured database, sealing the secrets every destination declares: PostgreSQL when
 * a database URL is given, else the SQLite file.
 */
/**
 * Opens the configured store. On PostgreSQL the connections are named after the command and the
 * process (`datafirst worker <host>-<pid>`), as lane owners are, so `pg_stat_activity` tells who is who.
 */
async function openStore(config: Config, logger: Logger, command: 'start' | 'worker'): Promise<Store> {
  const secrets = { durability: config.durability, secretKey: config.secretKey, secretConfigKeys: secretKeys(SNAPCHAT_FIELDS) };
  if (!config.databaseUrl) return openSqliteStore({ path: config.dbPath, ...secrets });
  return openPostgresStore({
    url: config.databaseUrl,
    poolSize: config.databasePoolSize,
    applicationName: `datafirst ${command} ${hostname()}-${process.pid}`,
    ...secrets,
    // A lost connection (the database restarted) fails the calls that needed it, which retry; it
    // never ends the process. The error says what went wrong, never the URL.
    onError: (error) => logger.warn({ err: { message: error.message } }, 'database connection lost'),
  });
}

/** A process's event pipeline, with the configured consent and limits (workers hear of its events from the store). */
function createPipeline(
  config: Config,
  parts: Pick<PipelineOptions, 'store' | 'directory' | 'destinations' | 'metrics'>,
): EventPipeline {
  return new EventPipeline({
    ...parts,
    consentDefault: config.consentDefault,
    honorGpc: config.honorGpc,
    maxMessageBytes: config.maxMessageBytes,
  });
}

/** The destinations this deployment sends to: Snapchat's Conversions API at `apiUrl`. */
function destinationsFor(apiUrl: string, config: Config): DestinationRegistry {
  const snapchat = new SnapchatClient({ baseUrl: apiUrl, timeoutMs: config.requestTimeoutMs });
  return new DestinationRegistry([createSnapchatDestination(snapchat)]);
}

function createWorker(
  config: Config,
  store: Store,
  destinations: DestinationRegistry,
  logger: Logger,
  metrics: Metrics,
): DeliveryWorker {
  return new DeliveryWorker({
    store,
    destinations,
    logger,
    metrics,
    leaseMs: config.leaseMs,
    retryWindowMs: config.retryWindowMs,
    batchWaitMs: config.batchWaitMs,
    maxInFlight: config.maxInFlight,
  });
}

/** A delivery worker running on its own, without the collector. */
export interface RunningWorker {
  /** Where its `/metrics` and `/healthz` are, with `DATAFIRST_METRICS_PORT`. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** Starts only the delivery worker on the configured database (`datafirst worker`). */
export async function startWorker(config: Config): Promise<RunningWorker> {
  if (!config.snapchatApiUrl) {
    throw new Error("a worker on its own needs SNAPCHAT_API_URL (demo mode sends to the collector's built-in mock)");
  }
  const logger = createLogger(config.logLevel);
  const store = await openStore(config, logger, 'worker');
  const destinations = destinationsFor(config.snapchatApiUrl, config);
  const metrics = createMetrics(store);
  const worker = createWorker(config, store, destinations, logger, metrics);
  const sweeper = new RetentionSweeper({ store, retentionDays: config.retentionDays, logger });
  const directory = new SourceDirectory(store);
  // Scheduled syncs produce events here, through the same pipeline as the collector's.
  const pipeline = createPipeline(config, { store, directory, destinations, metrics });
  const syncs = warehouseSyncs({ store, pipeline, directory, destinations, logger, leaseMs: config.leaseMs });
  const scheduler = new SyncScheduler({ store, runner: syncs.runner, logger });
  // The delivery counters are this process's own: a worker on another machine is scraped here.
  const metricsListener =
    config.metricsPort === undefined
      ? undefined
      : await listen(metricsHandler(metrics, store), {
          ...listenerTimeouts(config),
          port: config.metricsPort,
          host: config.adminHost,
        }).catch(async (error: unknown) => {
          await store.close();
          throw error;
        });
  worker.start();
  sweeper.start();
  scheduler.start();
  return {
    metricsUrl: metricsListener?.url,
    async close() {
      if (metricsListener) await closeListener(metricsListener);
      await syncs.runner.stop();
      await scheduler.stop();
      await sweeper.stop();
      await worker.stop();
      await store.close();
    },
  };
}

/** A worker's own listener: `GET /metrics` and `GET /healthz`, nothing else. */
function metricsHandler(metrics: Metrics, store: Store): RequestListener {
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/healthz' && path !== '/readyz')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      return;
    }
    if (path === '/readyz') {
      void readiness(store).then(({ status, body }) => {
        const headers = { 'content-type': 'application/json', 'cache-control': 'no-store' };
        res.writeHead(status, status === 503 ? { ...headers, 'retry-after': '5' } : headers).end(JSON.stringify(body));
      });
      return;
    }
    metrics.registry
      .metrics()
      .then((text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text))
      .catch(() => res.writeHead(503, { 'retry-after': '5' }).end());
  };
}

/** The configured timeouts every listener of a process gets. */
function listenerTimeouts(config: Config): ListenerTimeouts {
  return { headersTimeoutMs: config.headersTimeoutMs, bodyTimeoutMs: config.bodyTimeoutMs, idleTimeoutMs: config.idleTimeoutMs };
}
