import type { DestinationRegistry } from '@datafirst/destination';
import type { EnrichedMessage } from '@datafirst/protocol';
import type { Integration } from '@datafirst/store';

/**
 * The integrations a link's event goes to: the link's own, then (unless the link opts out) its
 * source's, enabled ones only, each destination account once. A pixel attached both to the link
 * and to its source, even as two integrations, would otherwise count every conversion twice:
 * the "traffic channel vs offer" trap trackers warn about. The link's own integration wins.
 */
export function linkIntegrations(
  message: EnrichedMessage,
  own: readonly (Integration | undefined)[],
  ofSource: readonly Integration[],
  includeSource: boolean,
  destinations: DestinationRegistry,
): Integration[] {
  const chosen: Integration[] = [];
  const ids = new Set<string>();
  const accounts = new Set<string>();
  for (const integration of [...own, ...(includeSource ? ofSource : [])]) {
    if (!integration || !integration.enabled || ids.has(integration.id)) continue;
    const destination = destinations.get(integration.vendor);
    const account = destination && destination.accountOf(message, integration.config);
    const key = account === undefined ? undefined : `${integration.vendor}:${account}`;
    if (key !== undefined && accounts.has(key)) continue;
    ids.add(integration.id);
    if (key !== undefined) accounts.add(key);
    chosen.push(integration);
  }
  return chosen;
}
