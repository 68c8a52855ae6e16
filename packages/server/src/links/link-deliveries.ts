import type { EnrichedMessage } from '@datafirst/protocol';
import { assetIdFor, resolveActionSource, type SnapchatConfig } from '@datafirst/snapchat';
import type { Integration, NewDelivery } from '@datafirst/store';
import { routeDeliveries } from '../ingest/route-deliveries.js';

/**
 * The integrations a link's event goes to: the link's own, then (unless the link opts out) its
 * source's, enabled ones only, each Snapchat asset once. A pixel attached both to the link and to
 * its source, even as two integrations, would otherwise count every conversion twice: the
 * "traffic channel vs offer" trap trackers warn about. The link's own integration wins.
 */
export function linkIntegrations(
  message: EnrichedMessage,
  own: readonly (Integration | undefined)[],
  ofSource: readonly Integration[],
  includeSource: boolean,
): Integration[] {
  const chosen: Integration[] = [];
  const ids = new Set<string>();
  const assets = new Set<string>();
  for (const integration of [...own, ...(includeSource ? ofSource : [])]) {
    if (!integration || !integration.enabled || ids.has(integration.id)) continue;
    const config = integration.config as unknown as SnapchatConfig;
    const asset = assetIdFor(resolveActionSource(message, config), config)?.toLowerCase();
    if (asset !== undefined && assets.has(asset)) continue;
    ids.add(integration.id);
    if (asset !== undefined) assets.add(asset);
    chosen.push(integration);
  }
  return chosen;
}

/**
 * The deliveries of a link's event: as for any event (consent, paused integrations), but all
 * `skipped` with `skipReason` when the event must not be sent (outside the conversion window,
 * or mapped to no Snapchat event), so the debugger shows why.
 */
export function linkDeliveries(
  message: EnrichedMessage,
  integrations: readonly Integration[],
  skipReason?: string,
): NewDelivery[] {
  const deliveries = routeDeliveries(message, integrations);
  if (skipReason === undefined) return deliveries;
  return deliveries.map((delivery) => ({ integrationId: delivery.integrationId, status: 'skipped', reason: skipReason }));
}
