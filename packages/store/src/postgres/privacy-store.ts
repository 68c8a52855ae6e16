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
import { normalPhone } from '../identity-hashes.js';
import { toDailyDeliveryCount, type DeliveryDailyCountRow } from '../rows.js';
import { changed, NOW_MS_SQL, transaction, type Queryable } from './pool.js';

/** Events deleted per transaction by retention, so that other writers wait milliseconds, not seconds. */
const RETENTION_CHUNK = 2000;

// An email compared in SQL as normalEmail (identity-hashes.ts) compares it: blanks removed, lower
// case (Unicode's, by the database's collation).
const EMAIL_SQL = (json: string) => `lower(regexp_replace(${json}, '\\s+', '', 'g'))`;
// A phone's national number needs the calling codes, which SQL does not know: it is the end of the
// phone's digits, so SQL finds the candidates and normalPhone decides (matchingPhone).
const PHONE_CANDIDATE_SQL = (json: string, nationalNumber: string) =>
  `regexp_replace(${json}, '[^0-9]', '', 'g') LIKE '%' || ${nationalNumber}`;

// Where an event carries a person's email and phone (see contactsOf in identity-hashes.ts).
const CONTACT_PATHS = ['context,traits', 'traits', 'properties'];
const contact = (path: string, field: 'email' | 'phone') => `m #>> '{${path},${field}}'`;
const anyContact = (field: 'email' | 'phone', compare: (json: string) => string) =>
  CONTACT_PATHS.map((path) => compare(contact(path, field))).join(' OR ');

// What settles a match in SQL: $1 user id, $2 anonymous id, $3 email.
const EVENT_MATCH = `
  ($1::text IS NOT NULL AND m ->> 'userId' = $1)
  OR ($2::text IS NOT NULL AND m ->> 'anonymousId' = $2)
  OR ($3::text IS NOT NULL AND (${anyContact('email', (json) => `${EMAIL_SQL(json)} = $3`)}))`;
// The events that may carry the phone: their digits end with $4, its shortest reading.
const EVENT_PHONE_CANDIDATE = `$4::text IS NOT NULL AND (${anyContact('phone', (json) => PHONE_CANDIDATE_SQL(json, '$4'))})`;

/** Whether one of `phones`, once normalised, is one of the national numbers `readings`. */
const matchingPhone = (readings: readonly string[], phones: readonly unknown[]): boolean =>
  phones.some((value) => typeof value === 'string' && readings.includes(normalPhone(value)));

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
          `UPDATE link_clicks SET ip = NULL, user_agent = NULL, referrer = NULL, query = '[]', url = split_part(url, '?', 1)
           WHERE created_at < $1
             AND (ip IS NOT NULL OR user_agent IS NOT NULL OR referrer IS NOT NULL OR query <> '[]' OR strpos(url, '?') > 0)`,
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
    const { userId, email, phones } = given;
    // Every reading of the phone ends with its shortest: what the candidates' digits must end with.
    const phoneEnd = phones.length === 0 ? null : phones.reduce((a, b) => (a.length <= b.length ? a : b));
    const params = [userId, given.anonymousId, email, phoneEnd];
    const counts = await transaction(this.pool, async (client) => {
      const candidates = await client.query<MatchedEvent & { settled: boolean; phones: unknown[] }>(
        `SELECT id, m ->> 'userId' AS user_id, m ->> 'anonymousId' AS anonymous_id, (${EVENT_MATCH}) AS settled,
                ARRAY[${CONTACT_PATHS.map((path) => contact(path, 'phone')).join(', ')}] AS phones
         FROM (SELECT id, message::json AS m FROM events) e WHERE (${EVENT_MATCH}) OR (${EVENT_PHONE_CANDIDATE})`,
        params,
      );
      const matched = candidates.rows.filter((row) => row.settled || matchingPhone(phones, row.phones));
      const profileCandidates = await client.query<MatchedProfile & { settled: boolean; phone: unknown }>(
        `SELECT key, t ->> 'userId' AS user_id, t ->> 'phone' AS phone,
                (($1::text IS NOT NULL AND ${EMAIL_SQL(`t ->> 'email'`)} = $1) OR ($3::text IS NOT NULL AND t ->> 'userId' = $3)) AS settled
         FROM (SELECT key, traits::json AS t FROM profiles) p
         WHERE ($1::text IS NOT NULL AND ${EMAIL_SQL(`t ->> 'email'`)} = $1)
            OR ($2::text IS NOT NULL AND ${PHONE_CANDIDATE_SQL(`t ->> 'phone'`, '$2')})
            OR ($3::text IS NOT NULL AND t ->> 'userId' = $3)`,
        [email, phoneEnd, userId],
      );
      const profiles = profileCandidates.rows.filter((row) => row.settled || matchingPhone(phones, [row.phone]));
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
