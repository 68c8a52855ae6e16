import { eventListLimit, nameFilterOf, SEARCH_KEY_COLUMNS } from '../event-list.js';
import { keysOfSearch, type SearchKeys } from '../search-keys.js';
import type { EventQuery, EventSearch } from '../store.js';
import { EVENT_BLOCK_BITS, emailKeyOf } from './email-key.js';

/** The parameters of an event list query, named as its SQL names them. */
export type EventListParams = {
  limit: number;
  sourceId?: string;
  name?: string;
  type?: string;
  shown?: string;
  afterId?: number;
  updatedSince?: number;
  integrationId?: string | null;
  status?: string | null;
} & Partial<Record<keyof SearchKeys, string | Buffer>> & { emailKey?: number };

/**
 * The SQL that lists the events matching a query, newest first, with its parameters: the
 * debugger's filters and search. Every condition is one an index answers.
 */
export function eventListQuery(query: EventQuery): { sql: string; params: EventListParams } {
  const where: string[] = [];
  const params: EventListParams = { limit: eventListLimit(query) };
  if (query.sourceId) {
    // With a search, its index finds a person's few events: `+` keeps SQLite from walking the
    // source's (every event of a shop) instead, as it would for an email's list of ids.
    where.push(query.search ? '+e.source_id = @sourceId' : 'e.source_id = @sourceId');
    params.sourceId = query.sourceId;
  }
  if (query.name) {
    const filter = nameFilterOf(query.name);
    params.name = filter.name;
    if (filter.kind === 'name') where.push('e.name = @name');
    else if (filter.kind === 'type-or-name') {
      params.type = filter.type;
      where.push('(e.type = @type OR e.name = @name)');
    } else {
      params.type = filter.type;
      params.shown = filter.shown;
      where.push('((e.type = @type AND e.name = @name) OR e.name = @shown)');
    }
  }
  if (query.afterId !== undefined) {
    where.push('e.id > @afterId');
    params.afterId = query.afterId;
  }
  if (query.updatedSince !== undefined) {
    // IN (subquery) lets SQLite walk the deliveries_by_updated index instead of every event.
    where.push('e.id IN (SELECT event_id FROM deliveries WHERE updated_at >= @updatedSince)');
    params.updatedSince = query.updatedSince;
  }
  if (query.integrationId || query.status) {
    where.push(
      `EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id
         AND (@integrationId IS NULL OR d.integration_id = @integrationId) AND (@status IS NULL OR d.status = @status))`,
    );
    params.integrationId = query.integrationId ?? null;
    params.status = query.status ?? null;
  }
  const withs: string[] = [];
  if (query.search) searchConditions(query.search, where, withs, params);
  return {
    sql: `${withs.length ? `WITH RECURSIVE ${withs.join(', ')} ` : ''}SELECT e.id, e.source_id, e.message FROM events e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY e.id DESC LIMIT @limit`,
    params,
  };
}

/**
 * A search's conditions, on the events' search-key columns. An email also finds the events of
 * the user and anonymous ids that the events carrying it had, in the same source: a shop sends
 * the email once (identify), and its page views and orders with the ids only.
 */
function searchConditions(search: EventSearch, where: string[], withs: string[], params: EventListParams): void {
  const keys = keysOfSearch(search);
  if (Object.values(keys).includes(null)) {
    where.push('0'); // a blank identifier: no event carries it
    return;
  }
  for (const [key, column] of SEARCH_KEY_COLUMNS) {
    const value = keys[key];
    if (value === undefined || value === null) continue;
    where.push(`e.${column} = @${key}`);
    params[key] = value;
  }
  if (keys.emailHash === undefined || keys.emailHash === null) return;
  // The events carrying the email: its key looked up in each block of events (email-key.ts), the
  // whole hash compared on what the key finds. CROSS JOIN keeps the blocks the outer loop.
  withs.push(
    `email_blocks(block) AS (
       SELECT 0 UNION ALL SELECT block + 1 FROM email_blocks WHERE block < (SELECT max(id) FROM events) >> ${EVENT_BLOCK_BITS})`,
    `carriers AS (
       SELECT c.id, c.source_id, c.user_id, c.anonymous_id FROM email_blocks CROSS JOIN events c
       WHERE c.id >> ${EVENT_BLOCK_BITS} = email_blocks.block AND c.email_key = @emailKey AND c.email_hash = @emailHash)`,
  );
  where.push(
    `e.id IN (
       SELECT id FROM carriers
       UNION SELECT p.id FROM carriers m JOIN events p ON p.user_id = m.user_id AND p.source_id = m.source_id
         WHERE m.user_id IS NOT NULL
       UNION SELECT p.id FROM carriers m JOIN events p ON p.anonymous_id = m.anonymous_id AND p.source_id = m.source_id
         WHERE m.anonymous_id IS NOT NULL)`,
  );
  params.emailHash = keys.emailHash;
  params.emailKey = emailKeyOf(keys.emailHash)!;
}
