import { eventListLimit, nameFilterOf, SEARCH_KEY_COLUMNS } from '../event-list.js';
import { keysOfSearch } from '../search-keys.js';
import type { EventQuery, EventSearch } from '../store.js';

/** The SQL that lists the events matching a query, newest first, with its positional parameters. */
export function eventListQuery(query: EventQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.sourceId) where.push(`e.source_id = ${param(query.sourceId)}`);
  if (query.name) {
    const filter = nameFilterOf(query.name);
    if (filter.kind === 'name') where.push(`e.name = ${param(filter.name)}`);
    else if (filter.kind === 'type-or-name') where.push(`(e.type = ${param(filter.type)} OR e.name = ${param(filter.name)})`);
    else {
      where.push(`((e.type = ${param(filter.type)} AND e.name = ${param(filter.name)}) OR e.name = ${param(filter.shown)})`);
    }
  }
  if (query.afterId !== undefined) where.push(`e.id > ${param(query.afterId)}`);
  if (query.updatedSince !== undefined) {
    where.push(`e.id IN (SELECT event_id FROM deliveries WHERE updated_at >= ${param(query.updatedSince)})`);
  }
  if (query.integrationId || query.status) {
    const conditions = ['d.event_id = e.id'];
    if (query.integrationId) conditions.push(`d.integration_id = ${param(query.integrationId)}`);
    if (query.status) conditions.push(`d.status = ${param(query.status)}`);
    where.push(`EXISTS (SELECT 1 FROM deliveries d WHERE ${conditions.join(' AND ')})`);
  }
  if (query.search) searchConditions(query.search, where, param);
  const limit = param(eventListLimit(query));
  return {
    sql: `SELECT e.id, e.source_id, e.message FROM events e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY e.id DESC LIMIT ${limit}`,
    params,
  };
}

/**
 * A search's conditions on the events' search-key columns. An email also finds the events of the
 * user and anonymous ids that the events carrying it had, in the same source.
 */
function searchConditions(search: EventSearch, where: string[], param: (value: unknown) => string): void {
  const keys = keysOfSearch(search);
  if (Object.values(keys).includes(null)) {
    where.push('false'); // a blank identifier: no event carries it
    return;
  }
  for (const [key, column] of SEARCH_KEY_COLUMNS) {
    const value = keys[key];
    if (value === undefined || value === null) continue;
    where.push(`e.${column} = ${param(value)}`);
  }
  if (keys.emailHash === undefined || keys.emailHash === null) return;
  const hash = param(keys.emailHash);
  where.push(
    `e.id IN (
       SELECT id FROM events WHERE email_hash = ${hash}
       UNION SELECT p.id FROM events m JOIN events p ON p.user_id = m.user_id AND p.source_id = m.source_id
         WHERE m.email_hash = ${hash} AND m.user_id IS NOT NULL
       UNION SELECT p.id FROM events m JOIN events p ON p.anonymous_id = m.anonymous_id AND p.source_id = m.source_id
         WHERE m.email_hash = ${hash} AND m.anonymous_id IS NOT NULL)`,
  );
}
