import type pg from 'pg';
import {
  erasureIdentifiers,
  personIds,
  profileKeysOf,
  suppressionHashes,
  type MatchedEvent,
  type MatchedProfile,
} from '../erasure.js';
import type { DailyDeliveryCount, ErasureCounts, ErasureRequest, ExpiredRecords, PrivacyStore } from '../privacy.js';
import { CONTACT_FIELDS, emailMatches, phoneMatches } from '../identity-hashes.js';
import { toDailyDeliveryCount, type DeliveryDailyCountRow } from '../rows.js';
import { changed, NOW_MS_SQL, transaction, type Queryable } from './pool.js';

/** Events deleted per transaction by retention, so that other writers wait milliseconds, not seconds. */
const RETENTION_CHUNK = 2000;

// Where an event's traits (its context's, its own) and properties hold a person's email and phone
// (CONTACT_FIELDS, as contactsOf in identity-hashes.ts reads them), as JSON paths.
const contactPaths = (field: 'email' | 'phone') => [
  ...CONTACT_FIELDS.traits[field].flatMap((key) => [`context,traits,${key}`, `traits,${key}`]),
  ...CONTACT_FIELDS.properties[field].map((key) => `properties,${key}`),
];
// The fields' values (strings, numbers, lists), for emailMatches and phoneMatches to decide on.
const contactValues = (field: 'email' | 'phone') =>
  `json_build_array(${contactPaths(field)
    .map((path) => `m #> '{${path}}'`)
    .join(', ')})`;

// SQL cannot apply the rules (Unicode case, calling codes): it finds the events that may match, by
// what any match must hold, and the rules decide. $3: the email, normalised; $4: its SHA-256; $5:
// the shortest national number the phone may be, whose digits any match holds.
const anyText = (field: 'email' | 'phone', test: (text: string) => string) =>
  contactPaths(field)
    .map((path) => test(`m #>> '{${path}}'`))
    .join(' OR ');
const EVENT_CANDIDATE = `
  ($1::text IS NOT NULL AND m ->> 'userId' = $1)
  OR ($2::text IS NOT NULL AND m ->> 'anonymousId' = $2)
  OR ($3::text IS NOT NULL AND (${anyText('email', (text) => `strpos(lower(regexp_replace(${text}, '\\s+', '', 'g')), $3) > 0 OR strpos(lower(${text}), $4) > 0`)}))
  OR ($5::text IS NOT NULL AND (${anyText('phone', (text) => `strpos(regexp_replace(${text}, '[^0-9]', '', 'g'), $5) > 0`)}))`;

/**
 * Retention, erasure and suppression in PostgreSQL. Deleted rows are gone for every query at
 * COMMIT; their bytes stay in dead tuples until (auto)vacuum reclaims the space, which is the
 * operator's to schedule (the README says so): the store cannot VACUUM inside a transaction.
 */
export class PostgresPrivacyStore implements PrivacyStore {
  /** The suppression check in flight, which concurrent asks share. */
  private anySuppressed: Promise<boolean> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  async deleteEventsBefore(before: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await transaction(this.pool, async (client) => {
        const ids = (
          await client.query<{ id: number }>(
            'SELECT id FROM events WHERE received_at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED',
            [before, RETENTION_CHUNK],
          )
        ).rows.map((row) => row.id);
        if (ids.length === 0) return 0;
        await client.query(
          `INSERT INTO delivery_daily_counts AS t (day, integration_id, status, reason_code, count)
           SELECT df_day(e.received_at), d.integration_id, d.status, coalesce(d.reason_code, ''), count(*)
           FROM deliveries d JOIN events e ON e.id = d.event_id
           WHERE e.id = ANY($1::bigint[])
           GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
           ON CONFLICT (day, integration_id, status, reason_code) DO UPDATE SET count = t.count + excluded.count`,
          [ids],
        );
        return changed(await client.query('DELETE FROM events WHERE id = ANY($1::bigint[])', [ids]));
      });
      deleted += count;
      if (count < RETENTION_CHUNK) return deleted;
    }
  }

  async expireRecordsBefore(before: number): Promise<ExpiredRecords> {
    return transaction(this.pool, async (client) => ({
      profiles: changed(await client.query('DELETE FROM profiles WHERE updated_at < $1', [before])),
      clicks: changed(
        await client.query(
          `UPDATE link_clicks SET ip = NULL, user_agent = NULL, referrer = NULL, query = '[]', url = split_part(url, '?', 1),
             destination = split_part(destination, '?', 1)
           WHERE created_at < $1
             AND (ip IS NOT NULL OR user_agent IS NOT NULL OR referrer IS NOT NULL OR query <> '[]' OR strpos(url, '?') > 0
                  OR strpos(destination, '?') > 0)`,
          [before],
        ),
      ),
      syncRuns: changed(
        await client.query("UPDATE sync_runs SET row_errors = '[]' WHERE started_at < $1 AND row_errors <> '[]'", [before]),
      ),
    }));
  }

  async dailyDeliveryCounts(): Promise<DailyDeliveryCount[]> {
    const { rows } = await this.pool.query<DeliveryDailyCountRow>(
      'SELECT * FROM delivery_daily_counts ORDER BY day, integration_id, status, reason_code',
    );
    return rows.map(toDailyDeliveryCount);
  }

  async erasePerson(request: ErasureRequest, options: { suppress?: boolean } = {}): Promise<ErasureCounts> {
    const given = erasureIdentifiers(request);
    if (!given) return { events: 0, profiles: 0, clicks: 0 };
    const { userId, anonymousId, email, phones } = given;
    const shortest =
      phones.length === 0 ? null : phones.map((key) => key.national).reduce((a, b) => (a.length <= b.length ? a : b));
    const params = [userId, anonymousId, email?.email ?? null, email?.sha256 ?? null, shortest];
    // Whether a candidate is the person: by its ids, or by the rules on its email and phone fields.
    const isPerson = (row: { user_id: unknown; anonymous_id?: unknown; emails: unknown[]; phones: unknown[] }) =>
      (userId !== null && row.user_id === userId) ||
      (anonymousId !== null && row.anonymous_id === anonymousId) ||
      (email !== null && row.emails.some((value) => emailMatches(value, email))) ||
      (phones.length > 0 && row.phones.some((value) => phoneMatches(value, phones)));
    const counts = await transaction(this.pool, async (client) => {
      const candidates = await client.query<MatchedEvent & { emails: unknown[]; phones: unknown[] }>(
        `SELECT id, m ->> 'userId' AS user_id, m ->> 'anonymousId' AS anonymous_id,
                ${contactValues('email')} AS emails, ${contactValues('phone')} AS phones
         FROM (SELECT id, message::json AS m FROM events) e WHERE ${EVENT_CANDIDATE}`,
        params,
      );
      const matched = candidates.rows.filter(isPerson);
      const profileCandidates = await client.query<MatchedProfile & { emails: unknown[]; phones: unknown[] }>(
        `SELECT key, m ->> 'userId' AS user_id, json_build_array(m -> 'email') AS emails,
                json_build_array(${CONTACT_FIELDS.traits.phone.map((key) => `m -> '${key}'`).join(', ')}) AS phones
         FROM (SELECT key, traits::json AS m FROM profiles) p
         WHERE ($1::text IS NOT NULL AND m ->> 'userId' = $1)
            OR ($2::text IS NOT NULL AND (strpos(lower(regexp_replace(m ->> 'email', '\\s+', '', 'g')), $2) > 0 OR strpos(lower(m ->> 'email'), $3) > 0))
            OR ($4::text IS NOT NULL AND (${CONTACT_FIELDS.traits.phone.map((key) => `strpos(regexp_replace(m ->> '${key}', '[^0-9]', '', 'g'), $4) > 0`).join(' OR ')}))`,
        [userId, email?.email ?? null, email?.sha256 ?? null, shortest],
      );
      const profiles = profileCandidates.rows.filter(isPerson);
      const person = personIds(given, matched, profiles);
      const { users, anonymous } = person;
      // The events that carry an identifier themselves (an email-only order has no id to follow),
      // and every event of the ids they carry.
      const events = changed(
        await client.query(
          `DELETE FROM events WHERE id = ANY($1::bigint[])
             OR (message::json ->> 'userId') = ANY($2::text[]) OR (message::json ->> 'anonymousId') = ANY($3::text[])`,
          [matched.map((row) => row.id), [...users], [...anonymous]],
        ),
      );
      const keys = [...profileKeysOf(person), ...profiles.map((row) => row.key)];
      const profileCount = changed(await client.query('DELETE FROM profiles WHERE key = ANY($1::text[])', [keys]));
      // A smart link's events carry the click id as their anonymous id; its conversions go with it.
      const clicks = changed(await client.query('DELETE FROM link_clicks WHERE id = ANY($1::text[])', [[...anonymous]]));
      if (options.suppress) {
        await this.suppressWith(client, suppressionHashes(request, person));
      }
      return { events, profiles: profileCount, clicks };
    });
    if (options.suppress) this.anySuppressed = undefined;
    return counts;
  }

  async suppress(hashes: readonly string[]): Promise<void> {
    await this.suppressWith(this.pool, hashes);
    this.anySuppressed = undefined;
  }

  private async suppressWith(db: Queryable, hashes: readonly string[]): Promise<void> {
    await db.query(
      `INSERT INTO suppressed_identities (hash, created_at) SELECT DISTINCT h, ${NOW_MS_SQL} FROM unnest($1::text[]) AS h
       ON CONFLICT (hash) DO NOTHING`,
      [[...hashes]],
    );
  }

  async suppressedAmong(hashes: readonly string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const { rows } = await this.pool.query<{ hash: string }>(
      'SELECT hash FROM suppressed_identities WHERE hash = ANY($1::text[])',
      [[...hashes]],
    );
    return new Set(rows.map((row) => row.hash));
  }

  /**
   * Every ingest request asks; requests asking at the same time share one query instead of a
   * round trip (and a pooled connection) each. A suppression made here is seen by the next ask.
   */
  hasSuppressed(): Promise<boolean> {
    return (this.anySuppressed ??= this.pool
      .query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM suppressed_identities) AS found')
      .then((result) => result.rows[0]!.found)
      .finally(() => (this.anySuppressed = undefined)));
  }
}
