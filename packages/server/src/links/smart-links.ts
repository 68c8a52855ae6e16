import express, { type Router } from 'express';
import type { DestinationRegistry } from '@datafirst/destination';
import type { Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import type { SourceDirectory } from '../source-directory.js';
import { linkAdminRouter } from './link-admin-router.js';
import { postbackRouter } from './postback-router.js';
import { redirectRouter } from './redirect-router.js';

export interface SmartLinkOptions {
  store: Store;
  directory: SourceDirectory;
  pipeline: EventPipeline;
  destinations: DestinationRegistry;
  logger: Logger;
  consentDefault: 'granted' | 'denied';
  honorGpc: boolean;
  /** The collector's public base URL, which link and postback URLs start with. */
  publicUrl: string;
}

/**
 * Smart links and postbacks: the public routes (`/go/:id`, `/v1/postback`) and the admin routes
 * (links, stats, test events, postback keys), which the admin router mounts behind its sign-in.
 */
export function smartLinks(options: SmartLinkOptions): { publicRoutes: Router; adminRoutes: Router } {
  const context = {
    store: options.store,
    directory: options.directory,
    pipeline: options.pipeline,
    destinations: options.destinations,
    logger: options.logger,
    consent: { consentDefault: options.consentDefault, honorGpc: options.honorGpc },
    publicUrl: options.publicUrl,
  };
  const publicRoutes = express.Router();
  publicRoutes.use(redirectRouter(context));
  publicRoutes.use(postbackRouter(context));
  return { publicRoutes, adminRoutes: linkAdminRouter(context) };
}
