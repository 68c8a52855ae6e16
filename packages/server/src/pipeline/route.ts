import type { AnyDestination, ReasonCode, DestinationRegistry } from '@datafirst/destination';
import type { EnrichedMessage, MessageType } from '@datafirst/protocol';
import type { Integration, NewDelivery } from '@datafirst/store';
import { consentFor } from './consent-categories.js';

/** A reason to store an event but send it nowhere, chosen by its producer. */
export interface Skip {
  code: ReasonCode;
  detail: string;
}

/**
 * Which message types go to destinations. `identify`, `group` and `alias` describe the person
 * (the profile, the account, a second id) rather than something they did: they are stored and
 * feed the profile, but produce no delivery.
 */
const DELIVERED_TYPES: Readonly<Record<MessageType, boolean>> = {
  track: true,
  page: true,
  screen: true,
  identify: false,
  group: false,
  alias: false,
};

/**
 * True when the sender's `integrations` object keeps the message from a destination, as
 * Segment's spec reads it: the destination's own entry decides (`false` excludes it; `true` or
 * an options object includes it), else `All: false` excludes every destination not named.
 * Names are the destination's vendor, name and aliases, compared ignoring case.
 */
export function excludedBySender(
  integrations: Readonly<Record<string, unknown>> | undefined,
  destination: AnyDestination,
): boolean {
  if (!integrations) return false;
  const names = new Set([destination.vendor, destination.name, ...(destination.aliases ?? [])].map((name) => name.toLowerCase()));
  const own = Object.keys(integrations).find((key) => names.has(key.toLowerCase()));
  if (own !== undefined) return integrations[own] === false;
  return integrations.All === false;
}

/**
 * The deliveries one message produces: one per enabled integration, `skipped` with the reason
 * when the message's consent does not cover the integration's categories, when the sender's
 * `integrations` object excludes the destination (or its producer says so), and `blocked` while
 * the integration is paused (its credentials were refused). Each records the identifiers the
 * message carries for that destination, so match quality counts events that are never sent too.
 * Types that describe the person (`identify`, `group`, `alias`) produce none.
 */
export function routeDeliveries(
  message: EnrichedMessage,
  integrations: readonly Integration[],
  destinations: DestinationRegistry,
  skip?: Skip,
): NewDelivery[] {
  if (!DELIVERED_TYPES[message.type]) return [];
  const granted = message.context.consent?.categoryPreferences ?? {};
  const deliveries: NewDelivery[] = [];
  for (const integration of integrations) {
    if (!integration.enabled) continue;
    const destination = destinations.get(integration.vendor);
    const identifiers = destination?.identifiersOf(message) ?? [];
    const delivery = (status: NewDelivery['status'], reasonCode?: ReasonCode, reason?: string): NewDelivery =>
      reasonCode === undefined
        ? { integrationId: integration.id, identifiers, status }
        : { integrationId: integration.id, identifiers, status, reasonCode, reason };
    const missing = integration.consentCategories.filter((category) => consentFor(granted, category) !== true);
    // A producer's skip is final: a paused integration must not send it once it is resumed.
    if (skip) {
      deliveries.push(delivery('skipped', skip.code, skip.detail));
    } else if (destination && excludedBySender(message.integrations, destination)) {
      deliveries.push(
        delivery(
          'skipped',
          'excluded_by_sender',
          `excluded_by_sender: the message's integrations switch ${destination.name} off`,
        ),
      );
    } else if (integration.pausedReason) {
      deliveries.push(delivery('blocked', 'credentials_refused', `paused: ${integration.pausedReason}`));
    } else if (missing.length > 0) {
      deliveries.push(delivery('skipped', 'no_consent', `no_consent: ${missing.join(', ')}`));
    } else {
      deliveries.push(delivery('pending'));
    }
  }
  return deliveries;
}
