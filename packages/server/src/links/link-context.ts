import type { DestinationRegistry } from '@datafirst/destination';
import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration, Link, NewEvent, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { NO_REQUEST, type EventPipeline } from '../pipeline/event-pipeline.js';
import type { Skip } from '../pipeline/route.js';
import type { SourceDirectory } from '../source-directory.js';
import { linkIntegrations } from './link-deliveries.js';
import type { ConsentPolicy } from './link-messages.js';

/** What the smart-link routes share. */
export interface LinkContext {
  store: Store;
  directory: SourceDirectory;
  pipeline: EventPipeline;
  destinations: DestinationRegistry;
  logger: Logger;
  consent: ConsentPolicy;
  /**
   * The collector's public base URL (`DATAFIRST_PUBLIC_URL`, else the public listener's address):
   * every URL the links make starts with it. Never built from `Host` or `X-Forwarded-*`, which
   * the sender chooses.
   */
  publicUrl: string;
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
  skip?: Skip;
}

/** A link message as the pipeline routed it, and whether its id was stored before (then nothing new is sent). */
export interface SubmittedLinkMessage {
  event: NewEvent;
  duplicate: boolean;
}

/**
 * Stores a link's messages in its source through the event pipeline, like any event, each to
 * the link's pixels. Their message ids are deterministic, so storing them again (a retried
 * postback) changes nothing. Resolves once they are durable, with each message as routed.
 */
export async function submitLinkMessages(
  context: LinkContext,
  link: Link,
  items: readonly LinkMessage[],
): Promise<SubmittedLinkMessage[]> {
  if (items.length === 0) return [];
  const { own, ofSource } = await integrationsOfLink(context, link);
  const { accepted, rejected, duplicateIds } = await context.pipeline.submit({
    sourceId: link.sourceId,
    receivedAt: new Date(),
    facts: NO_REQUEST,
    serverMade: true,
    messages: items.map(({ message, skip }) => ({
      input: message,
      integrations: linkIntegrations(message, own, ofSource, link.includeSourceIntegrations, context.destinations),
      skip,
    })),
  });
  // The server makes these messages: one that fails validation is our bug, not the sender's.
  if (rejected.length > 0) throw new Error(`a smart-link message failed validation: ${JSON.stringify(rejected)}`);
  const duplicates = new Set(duplicateIds);
  return accepted.map((event) => ({ event, duplicate: duplicates.has(event.message.messageId) }));
}

/** Why an event is not sent, or undefined: mapped to no Snapchat event, or outside the window. */
export function skipReasonFor(linkEvent: string, snapchatEvent: string | null, window?: Skip): Skip | undefined {
  if (snapchatEvent === null) {
    return { code: 'event_disabled', detail: `disabled: the link sends no Snapchat event for ${linkEvent}` };
  }
  return window;
}
