import type { SearchKeys } from './search-keys.js';
import type { EventQuery } from './store.js';

/** The columns of the events table that hold each search key, in both engines. */
export const SEARCH_KEY_COLUMNS: readonly [Exclude<keyof SearchKeys, 'emailHash'>, string][] = [
  ['userId', 'user_id'],
  ['anonymousId', 'anonymous_id'],
  ['orderId', 'order_id'],
  ['clickId', 'click_id'],
];

/** How many events a list returns: the query's limit, 50 by default, between 1 and 500. */
export const eventListLimit = (query: EventQuery): number => Math.min(Math.max(query.limit ?? 50, 1), 500);
