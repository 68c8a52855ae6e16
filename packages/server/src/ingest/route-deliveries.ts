import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration, NewDelivery } from '@datafirst/store';

/**
 * The deliveries one message produces: one per enabled integration of its source, `skipped`
 * with the reason when the message's consent does not cover the integration's categories, and
 * `blocked` while the integration is paused (its credentials were refused).
 * `identify` calls produce none: they update the profile, they are not sent themselves.
 */
export function routeDeliveries(message: EnrichedMessage, integrations: readonly Integration[]): NewDelivery[] {
  if (message.type === 'identify') return [];
  const granted = message.context.consent?.categoryPreferences ?? {};
  const deliveries: NewDelivery[] = [];
  for (const integration of integrations) {
    if (!integration.enabled) continue;
    if (integration.pausedReason) {
      deliveries.push({ integrationId: integration.id, status: 'blocked', reason: `paused: ${integration.pausedReason}` });
      continue;
    }
    const missing = integration.consentCategories.filter((category) => granted[category] !== true);
    deliveries.push(
      missing.length === 0
        ? { integrationId: integration.id, status: 'pending' }
        : { integrationId: integration.id, status: 'skipped', reason: `no_consent: ${missing.join(', ')}` },
    );
  }
  return deliveries;
}
