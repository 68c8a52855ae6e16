import type { Request } from 'express';
import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration, Link, NewEvent, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { carriedIdentifiers } from '../admin/match-identifiers.js';
import type { Metrics } from '../metrics.js';
import type { SourceDirectory } from '../source-directory.js';
import { linkDeliveries, linkIntegrations } from './link-deliveries.js';
import type { ConsentPolicy } from './link-messages.js';

/** What the smart-link routes share. */
export interface LinkContext {
  store: Store;
  directory: SourceDirectory;
  metrics: Metrics;
  logger: Logger;
  consent: ConsentPolicy;
  /** Called after events are stored, so an in-process worker can send them at once. */
  onStored?: () => void;
}

/** The integrations attached to a link (undefined where one was deleted) and those of its source. */
export async function integrationsOfLink(
  context: LinkContext,
  link: Link,
): Promise<{ own: (Integration | undefined)[]; ofSource: Integration[] }> {
  const [own, ofSource] = await Promise.all([
    Promise.all(link.integrationIds.map((id) => context.store.getIntegration(id))),
    context.directory.integrationsOf(link.sourceId),
  ]);
  return { own, ofSource };
}

/** A message to store for a link, and why its deliveries are skipped, if they are. */
export interface LinkMessage {
  message: EnrichedMessage;
  skipReason?: string;
}

/**
 * Stores a link's messages in its source with their deliveries, through the same store call as
 * ingest, so the worker sends them like any event. Their message ids are deterministic, so
 * storing them again (a retried postback) changes nothing. Resolves once they are durable.
 */
export async function storeLinkMessages(context: LinkContext, link: Link, items: readonly LinkMessage[]): Promise<NewEvent[]> {
  if (items.length === 0) return [];
  const { own, ofSource } = await integrationsOfLink(context, link);
  const events = items.map(({ message, skipReason }) => ({
    message,
    deliveries: linkDeliveries(message, linkIntegrations(message, own, ofSource, link.includeSourceIntegrations), skipReason).map(
      (delivery) => ({ ...delivery, identifiers: carriedIdentifiers(message) }),
    ),
  }));
  const { stored, duplicates } = await context.store.appendEvents(link.sourceId, events);
  context.metrics.received.inc({ source: link.sourceId }, stored);
  if (duplicates > 0) context.metrics.duplicates.inc({ source: link.sourceId }, duplicates);
  if (stored > 0) context.onStored?.();
  return events;
}

/** Why an event is not sent, or undefined: mapped to no Snapchat event, or outside the window. */
export function skipReasonFor(linkEvent: string, snapchatEvent: string | null, windowReason?: string): string | undefined {
  if (snapchatEvent === null) return `disabled: the link sends no Snapchat event for ${linkEvent}`;
  return windowReason;
}

/**
 * The collector's public base URL as the caller reached it: scheme and host (through trusted
 * proxies), and the path prefix a proxy announces in `X-Forwarded-Prefix` when it serves the
 * collector under a path of the site.
 */
export function publicBaseUrl(req: Request): string {
  const trusted = Boolean(req.app.get('trust proxy'));
  const prefix = trusted ? req.get('x-forwarded-prefix')?.trim() : undefined;
  const safePrefix = prefix && /^\/[\w\-./]*$/.test(prefix) ? prefix.replace(/\/+$/, '') : '';
  return `${req.protocol}://${req.host}${safePrefix}`;
}
