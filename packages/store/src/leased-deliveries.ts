import { toDelivery, toStoredEvent, type DeliveryRow, type StoredEventRow } from './rows.js';
import type { DeliveryResult, Integration, LeasedDelivery } from './store.js';

/**
 * The leased deliveries, in the rows' order, each with its event and integration; and a
 * `skipped` result for each one with nothing to send it to (its integration was deleted after
 * the event arrived), which the engine records at once.
 */
export function assembleLeases<Row extends DeliveryRow>(
  rows: readonly Row[],
  events: readonly StoredEventRow[],
  integrations: readonly Integration[],
  leasedAt: (row: Row) => number,
): { leased: LeasedDelivery[]; orphans: DeliveryResult[] } {
  const eventById = new Map(events.map((row) => [row.id, row]));
  const integrationById = new Map(integrations.map((integration) => [integration.id, integration]));
  const leased: LeasedDelivery[] = [];
  const orphans: DeliveryResult[] = [];
  for (const row of rows) {
    const integration = integrationById.get(row.integration_id);
    const event = eventById.get(row.event_id);
    if (!integration || !event) {
      orphans.push({
        deliveryId: row.id,
        status: 'skipped',
        reason: 'integration_deleted',
        reasonCode: 'integration_deleted',
        countsAsAttempt: false,
      });
      continue;
    }
    leased.push({
      delivery: toDelivery(row),
      integration,
      event: toStoredEvent(event),
      leasedAt: leasedAt(row),
    });
  }
  return { leased, orphans };
}
