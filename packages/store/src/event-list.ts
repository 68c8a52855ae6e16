import type { SearchKeys } from './search-keys.js';
import {
  integrationNameOrDeleted,
  toAttempt,
  toDelivery,
  toStoredEvent,
  type DeliveryAttemptRow,
  type NamedDeliveryRow,
  type StoredEventRow,
} from './rows.js';
import type { DeliveryAttempt, EventQuery, EventRecord } from './store.js';

/** The columns of the events table that hold each search key, in both engines. */
export const SEARCH_KEY_COLUMNS: readonly [Exclude<keyof SearchKeys, 'emailHash'>, string][] = [
  ['userId', 'user_id'],
  ['anonymousId', 'anonymous_id'],
  ['orderId', 'order_id'],
  ['clickId', 'click_id'],
];

/** What a name filter asks for: events of a type, with a name, or either. */
export type NameFilter =
  | { kind: 'type-or-name'; type: string; name: string }
  | { kind: 'type-and-name'; type: string; name: string; shown: string }
  | { kind: 'name'; name: string };

// The call types a name filter may stand for, as the debugger names their events.
const CALL_TYPES = new Set(['page', 'screen', 'identify', 'group', 'alias']);

/**
 * Reads a name filter as the debugger shows event names: a track's event (`Order Completed`); a
 * named view (`page: Pricing`, `screen: Cart`), or a track event that is so named itself; a call
 * type alone (`page`, `identify`…), which finds every call of that type, named or not, and any
 * event so named. As in an event mapping, `page` stands for every page view.
 */
export function nameFilterOf(name: string): NameFilter {
  const view = /^(page|screen): (.+)$/.exec(name);
  if (view) return { kind: 'type-and-name', type: view[1]!, name: view[2]!, shown: name };
  if (CALL_TYPES.has(name)) return { kind: 'type-or-name', type: name, name };
  return { kind: 'name', name };
}

/** How many events a list returns: the query's limit, 50 by default, between 1 and 500. */
export const eventListLimit = (query: EventQuery): number => Math.min(Math.max(query.limit ?? 50, 1), 500);

/** The listed events, in their order, each with its deliveries and each delivery's tries (both in id order). */
export function assembleEventRecords(
  events: readonly StoredEventRow[],
  deliveryRows: readonly NamedDeliveryRow[],
  attemptRows: readonly DeliveryAttemptRow[],
): EventRecord[] {
  const history = new Map<number, DeliveryAttempt[]>();
  for (const row of attemptRows) {
    const list = history.get(row.delivery_id) ?? [];
    list.push(toAttempt(row));
    history.set(row.delivery_id, list);
  }
  const deliveries = new Map<number, EventRecord['deliveries']>();
  for (const row of deliveryRows) {
    const list = deliveries.get(row.event_id) ?? [];
    list.push({
      ...toDelivery(row),
      integrationName: integrationNameOrDeleted(row.integration_name),
      history: history.get(row.id) ?? [],
    });
    deliveries.set(row.event_id, list);
  }
  return events.map((row) => ({ ...toStoredEvent(row), deliveries: deliveries.get(row.id) ?? [] }));
}
