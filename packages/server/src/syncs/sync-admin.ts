import type { DestinationRegistry } from '@datafirst/destination';
import type { Store } from '@datafirst/store';
import express, { type Router } from 'express';
import type { Logger } from 'pino';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import type { SourceDirectory } from '../source-directory.js';
import { syncRoutes } from './sync-routes.js';
import { SyncRunner } from './sync-runner.js';
import { warehouseRoutes } from './warehouse-routes.js';

export interface WarehouseSyncsOptions {
  store: Store;
  pipeline: EventPipeline;
  directory: SourceDirectory;
  destinations: DestinationRegistry;
  logger?: Logger;
  /** How long a sync run's lease lasts without renewal (a dead process's run is taken over after it). */
  leaseMs?: number;
}

/** Warehouse syncs for the collector: the admin routes, and the runner that runs on-demand runs. */
export function warehouseSyncs(options: WarehouseSyncsOptions): { adminRoutes: Router; runner: SyncRunner } {
  const runner = new SyncRunner(options);
  const adminRoutes = express.Router();
  adminRoutes.use(warehouseRoutes({ store: options.store, logger: options.logger }));
  adminRoutes.use(syncRoutes({ ...options, runner }));
  return { adminRoutes, runner };
}
