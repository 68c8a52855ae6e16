import { LIMITS } from '@datafirst/protocol';
import type { DeliveryStatus, EventSearch } from '@datafirst/store';
import { DELIVERY_STATUSES, isEmailAddress, queryString, throwIfAny } from './admin-input.js';

/** The debugger's filters: source, integration, delivery status, event name, a search, and how many. */
export interface EventFilters {
  sourceId?: string;
  integrationId?: string;
  status?: DeliveryStatus;
  name?: string;
  /** The person, order or ad click the events concern. */
  search?: EventSearch;
  limit: number;
}

/** The search parameters, each with the field of the store's search it fills. */
const SEARCH_PARAMS: readonly [param: string, field: keyof EventSearch][] = [
  ['user_id', 'userId'],
  ['anonymous_id', 'anonymousId'],
  ['email', 'email'],
  ['order_id', 'orderId'],
  ['click_id', 'clickId'],
];

const FILTER_PARAMS = ['source_id', 'integration_id', 'status', 'name', 'limit', ...SEARCH_PARAMS.map(([param]) => param)];

/** Reads a search parameter: once, at most `LIMITS.maxIdLength` characters (an email: an address). */
function searchValue(param: string, value: unknown, errors: string[]): string | undefined {
  if (Array.isArray(value)) {
    errors.push(`${param}: give it once`);
    return undefined;
  }
  const text = queryString(value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (param === 'email' && !isEmailAddress(text)) {
    errors.push('email: an email address such as jane@example.com');
  } else if (text.length > LIMITS.maxIdLength) {
    errors.push(`${param}: at most ${LIMITS.maxIdLength} characters`);
  }
  return text;
}

/**
 * Reads the event filters and search shared by the events list and the live stream; `extra`
 * names the other parameters the endpoint takes. An unknown parameter is refused, so a typo
 * (`emial=`) never shows every event as if it were a search's result.
 */
export function eventFilters(query: Record<string, unknown>, extra: readonly string[] = []): EventFilters {
  const errors: string[] = [];
  const known = [...FILTER_PARAMS, ...extra];
  for (const param of Object.keys(query)) {
    if (!known.includes(param)) errors.push(`${param}: unknown parameter (known: ${known.join(', ')})`);
  }
  const status = queryString(query.status);
  if (status !== undefined && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
    errors.push(`status: one of ${DELIVERY_STATUSES.join(', ')}`);
  }
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) errors.push('limit: an integer from 1 to 500');
  const search: EventSearch = {};
  for (const [param, field] of SEARCH_PARAMS) {
    const value = searchValue(param, query[param], errors);
    if (value !== undefined) search[field] = value;
  }
  throwIfAny(errors);
  return {
    sourceId: queryString(query.source_id),
    integrationId: queryString(query.integration_id),
    status: status as DeliveryStatus | undefined,
    name: queryString(query.name),
    search: Object.keys(search).length > 0 ? search : undefined,
    limit,
  };
}
