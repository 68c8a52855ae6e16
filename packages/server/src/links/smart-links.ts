import express, { type Router } from 'express';
import type { SnapchatClient } from '@datafirst/snapchat';
import type { Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { SourceDirectory } from '../source-directory.js';
import { linkAdminRouter } from './link-admin-router.js';
import { postbackRouter } from './postback-router.js';
import { redirectRouter } from './redirect-router.js';

export interface SmartLinkOptions {
  store: Store;
  directory: SourceDirectory;
  metrics: Metrics;
  logger: Logger;
  snapchat: SnapchatClient;
  consentDefault: 'granted' | 'denied';
  honorGpc: boolean;
  onStored?: () => void;
}

/**
 * Smart links and postbacks: the public routes (`/go/:id`, `/v1/postback`) and the admin routes
 * (links, stats, test events, postback keys), which the admin router mounts behind its sign-in.
 */
export function smartLinks(options: SmartLinkOptions): { publicRoutes: Router; adminRoutes: Router } {
  const context = {
    store: options.store,
    directory: options.directory,
    metrics: options.metrics,
    logger: options.logger,
    consent: { consentDefault: options.consentDefault, honorGpc: options.honorGpc },
    onStored: options.onStored,
  };
  const publicRoutes = express.Router();
  publicRoutes.use(redirectRouter(context));
  publicRoutes.use(postbackRouter(context));
  return { publicRoutes, adminRoutes: linkAdminRouter({ ...context, snapchat: options.snapchat }) };
}
