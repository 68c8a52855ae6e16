import type pg from 'pg';
import {
  erasureIdentifiers,
  personIds,
  profileKeysOf,
  suppressionHashes,
  type MatchedEvent,
  type MatchedProfile,
} from '../erasure.js';
import type { DailyDeliveryCount, ErasureCounts, ErasureRequest, PrivacyStore } from '../privacy.js';
import { toDailyDeliveryCount, type DeliveryDailyCountRow } from '../rows.js';
import { changed, NOW_MS_SQL, transaction, type Queryable } from './pool.js';

/** Events deleted per transaction by retention, so that other writers wait milliseconds, not seconds. */
const RETENTION_CHUNK = 2000;

// SQL beside normalEmail and normalPhone (identity-hashes.ts), which the given identifiers go
// through: the stored side compared the same way, trimmed and lower-cased, or digits only.
const EMAIL_SQL = (json: string) => `lower(trim(${json}))`;
const PHONE_SQL = (json: string) => `regexp_replace(${json}, '[^0-9]', '', 'g')`;

// The identifiers of an event as erasure compares them: $1 user id, $2 anonymous id, $3 email, $4 phone.
const EVENT_MATCH = `
  ($1::text IS NOT NULL AND m ->> 'userId' = $1)
  OR ($2::text IS NOT NULL AND m ->> 'anonymousId' = $2)
  OR ($3::text IS NOT NULL AND (${EMAIL_SQL(`m #>> '{traits,email}'`)} = $3 OR ${EMAIL_SQL(`m #>> '{context,traits,email}'`)} = $3))
  OR ($4::text IS NOT NULL AND (${PHONE_SQL(`m #>> '{traits,phone}'`)} = $4 OR ${PHONE_SQL(`m #>> '{context,traits,phone}'`)} = $4))`;

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

  async dailyDeliveryCounts(): Promise<DailyDeliveryCount[]> {
    const { rows } = await this.pool.query<DeliveryDailyCountRow>(
      'SELECT * FROM delivery_daily_counts ORDER BY day, integration_id, status, reason_code',
    );
    return rows.map(toDailyDeliveryCount);
  }

  async erasePerson(request: ErasureRequest, options: { suppress?: boolean } = {}): Promise<ErasureCounts> {
    const given = erasureIdentifiers(request);
    if (!given) return { events: 0, profiles: 0, clicks: 0 };
    const { userId, email, phone } = given;
    const params = [userId, given.anonymousId, email, phone];
    const counts = await transaction(this.pool, async (client) => {
      const matched = await client.query<MatchedEvent>(
        `SELECT m ->> 'userId' AS user_id, m ->> 'anonymousId' AS anonymous_id
         FROM (SELECT message::json AS m FROM events) e WHERE ${EVENT_MATCH}`,
        params,
      );
      const profiles = await client.query<MatchedProfile>(
        `SELECT key, t ->> 'userId' AS user_id FROM (SELECT key, traits::json AS t FROM profiles) p
         WHERE ($1::text IS NOT NULL AND ${EMAIL_SQL(`t ->> 'email'`)} = $1)
            OR ($2::text IS NOT NULL AND ${PHONE_SQL(`t ->> 'phone'`)} = $2)
            OR ($3::text IS NOT NULL AND t ->> 'userId' = $3)`,
        [email, phone, userId],
      );
      const person = personIds(given, matched.rows, profiles.rows);
      const { users, anonymous } = person;
      const events = changed(
        await client.query(
          `DELETE FROM events WHERE (message::json ->> 'userId') = ANY($1::text[]) OR (message::json ->> 'anonymousId') = ANY($2::text[])`,
          [[...users], [...anonymous]],
        ),
      );
      const keys = [...profileKeysOf(person), ...profiles.rows.map((row) => row.key)];
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
