import type { ReasonCode, DestinationRegistry } from '@datafirst/destination';
import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration, NewDelivery } from '@datafirst/store';

/** A reason to store an event but send it nowhere, chosen by its producer. */
export interface Skip {
  code: ReasonCode;
  detail: string;
}

/**
 * The deliveries one message produces: one per enabled integration, `skipped` with the reason
 * when the message's consent does not cover the integration's categories (or its producer says
 * so), and `blocked` while the integration is paused (its credentials were refused). Each
 * records the identifiers the message carries for that destination, so match quality counts
 * events that are never sent too. `identify` calls produce none: they update the profile.
 */
export function routeDeliveries(
  message: EnrichedMessage,
  integrations: readonly Integration[],
  destinations: DestinationRegistry,
  skip?: Skip,
): NewDelivery[] {
  if (message.type === 'identify') return [];
  const granted = message.context.consent?.categoryPreferences ?? {};
  const deliveries: NewDelivery[] = [];
  for (const integration of integrations) {
    if (!integration.enabled) continue;
    const destination = destinations.get(integration.vendor);
    const delivery = { integrationId: integration.id, identifiers: destination?.identifiersOf(message) ?? [] };
    const missing = integration.consentCategories.filter((category) => granted[category] !== true);
    // A producer's skip is final: a paused integration must not send it once it is resumed.
    if (skip) {
      deliveries.push({ ...delivery, status: 'skipped', reasonCode: skip.code, reason: skip.detail });
    } else if (integration.pausedReason) {
      deliveries.push({
        ...delivery,
        status: 'blocked',
        reasonCode: 'credentials_refused',
        reason: `paused: ${integration.pausedReason}`,
      });
    } else if (missing.length > 0) {
      deliveries.push({ ...delivery, status: 'skipped', reasonCode: 'no_consent', reason: `no_consent: ${missing.join(', ')}` });
    } else {
      deliveries.push({ ...delivery, status: 'pending' });
    }
  }
  return deliveries;
}
