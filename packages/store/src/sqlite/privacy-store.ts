import type Database from 'better-sqlite3';
import {
  erasureIdentifiers,
  personIds,
  profileKeysOf,
  suppressionHashes,
  type ErasureIdentifiers,
  type MatchedEvent,
  type MatchedProfile,
} from '../erasure.js';
import { CONTACT_FIELDS, emailMatches, phoneMatches, type PhoneKey } from '../identity-hashes.js';
import type { DailyDeliveryCount, ErasureCounts, ErasureRequest, ExpiredRecords, PrivacyStore } from '../privacy.js';
import { toDailyDeliveryCount, type DeliveryDailyCountRow } from '../rows.js';
import type { DatabaseClock } from './clock.js';

/** Events deleted per transaction by retention, so that other writers wait milliseconds, not seconds. */
const RETENTION_CHUNK = 2000;

// Where an event's traits (its context's, its own) and properties hold a person's email and phone
// (CONTACT_FIELDS, as contactsOf in identity-hashes.ts reads them).
const contactPaths = (field: 'email' | 'phone') => [
  ...CONTACT_FIELDS.traits[field].flatMap((key) => [`$.context.traits.${key}`, `$.traits.${key}`]),
  ...CONTACT_FIELDS.properties[field].map((key) => `$.properties.${key}`),
];
const anyContact = (field: 'email' | 'phone', compare: (json: string) => string) =>
  contactPaths(field)
    .map((path) => compare(`json_extract(message, '${path}')`))
    .join(' OR ');

// The identifiers of an event as erasure compares them: emails and phones by the same rules as
// the request's (df_email_matches, df_phone_matches: emailMatches, phoneMatches).
const EVENT_MATCH = `
  (@userId IS NOT NULL AND json_extract(message, '$.userId') = @userId)
  OR (@anonymousId IS NOT NULL AND json_extract(message, '$.anonymousId') = @anonymousId)
  OR (@email IS NOT NULL AND (${anyContact('email', (json) => `df_email_matches(${json}, @email, @emailSha256)`)}))
  OR (@phones IS NOT NULL AND (${anyContact('phone', (json) => `df_phone_matches(${json}, @phones)`)}))`;

const PROFILE_MATCH = `
  (@email IS NOT NULL AND df_email_matches(json_extract(traits, '$.email'), @email, @emailSha256))
  OR (@phones IS NOT NULL AND (${CONTACT_FIELDS.traits.phone.map((key) => `df_phone_matches(json_extract(traits, '$.${key}'), @phones)`).join(' OR ')}))
  OR (@userId IS NOT NULL AND json_extract(traits, '$.userId') = @userId)`;

/** The identifiers as the matching statements take them: the phone's readings as a JSON list. */
type MatchParams = Omit<ErasureIdentifiers, 'email' | 'phones'> & {
  email: string | null;
  emailSha256: string | null;
  phones: string | null;
};

/**
 * Retention, erasure and suppression in SQLite. The connection runs with `secure_delete`, so
 * deleted rows are zeroed in their pages; a TRUNCATE checkpoint then empties the WAL, where the
 * old pages would otherwise survive.
 */
export class SqlitePrivacyStore implements PrivacyStore {
  // Asked on every ingest request: prepared once.
  private readonly suppressedIn;
  private readonly anySuppressed;
  /**
   * What `hasSuppressed` read in this turn of the event loop, until the next: the requests read in
   * one turn share one read (a read takes a transaction of its own: 6% of a one-message request).
   */
  private suppressedThisTurn: boolean | undefined;

  constructor(
    private readonly db: Database.Database,
    private readonly now: DatabaseClock,
  ) {
    this.suppressedIn = db.prepare<[string], { hash: string }>(
      'SELECT hash FROM suppressed_identities WHERE hash IN (SELECT value FROM json_each(?))',
    );
    this.anySuppressed = db.prepare<[], { found: number }>('SELECT EXISTS (SELECT 1 FROM suppressed_identities) AS found');
    db.function('df_email_matches', { deterministic: true }, (value: unknown, email: unknown, sha256: unknown) =>
      emailMatches(value, { email: String(email), sha256: String(sha256) }) ? 1 : 0,
    );
    db.function('df_phone_matches', { deterministic: true }, (value: unknown, readings: unknown) =>
      phoneMatches(value, JSON.parse(String(readings)) as PhoneKey[]) ? 1 : 0,
    );
  }

  async deleteEventsBefore(before: number): Promise<number> {
    const chunk = this.db.transaction((cutoff: number) => {
      const ids = this.db
        .prepare<[number, number], { id: number }>('SELECT id FROM events WHERE received_at < ? ORDER BY id LIMIT ?')
        .all(cutoff, RETENTION_CHUNK)
        .map((row) => row.id);
      if (ids.length === 0) return 0;
      const list = JSON.stringify(ids);
      this.db
        .prepare<[string], never>(
          `INSERT INTO delivery_daily_counts (day, integration_id, status, reason_code, count)
           SELECT strftime('%Y-%m-%d', e.received_at / 1000, 'unixepoch'), d.integration_id, d.status,
                  coalesce(d.reason_code, ''), count(*)
           FROM deliveries d JOIN events e ON e.id = d.event_id
           WHERE e.id IN (SELECT value FROM json_each(?))
           GROUP BY 1, 2, 3, 4
           ON CONFLICT (day, integration_id, status, reason_code) DO UPDATE SET count = count + excluded.count`,
        )
        .run(list);
      return this.db.prepare<[string], never>('DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))').run(list)
        .changes;
    });
    let deleted = 0;
    for (;;) {
      const count = chunk.immediate(before);
      deleted += count;
      if (count < RETENTION_CHUNK) break;
      // Let requests waiting on the event loop in between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) this.truncateJournal();
    return deleted;
  }

  async expireRecordsBefore(before: number): Promise<ExpiredRecords> {
    const expired = this.db
      .transaction((cutoff: number): ExpiredRecords => ({
        profiles: this.db.prepare<[number], never>('DELETE FROM profiles WHERE updated_at < ?').run(cutoff).changes,
        clicks: this.db
          .prepare<[number], never>(
            `UPDATE link_clicks SET ip = NULL, user_agent = NULL, referrer = NULL, query = '[]',
               url = CASE WHEN instr(url, '?') > 0 THEN substr(url, 1, instr(url, '?') - 1) ELSE url END,
               destination = CASE WHEN instr(destination, '?') > 0 THEN substr(destination, 1, instr(destination, '?') - 1) ELSE destination END
             WHERE created_at < ?
               AND (ip IS NOT NULL OR user_agent IS NOT NULL OR referrer IS NOT NULL OR query <> '[]' OR instr(url, '?') > 0
                    OR instr(destination, '?') > 0)`,
          )
          .run(cutoff).changes,
        syncRuns: this.db
          .prepare<[number], never>("UPDATE sync_runs SET row_errors = '[]' WHERE started_at < ? AND row_errors <> '[]'")
          .run(cutoff).changes,
      }))
      .immediate(before);
    if (expired.profiles + expired.clicks + expired.syncRuns > 0) this.truncateJournal();
    return expired;
  }

  async dailyDeliveryCounts(): Promise<DailyDeliveryCount[]> {
    return this.db
      .prepare<[], DeliveryDailyCountRow>('SELECT * FROM delivery_daily_counts ORDER BY day, integration_id, status, reason_code')
      .all()
      .map(toDailyDeliveryCount);
  }

  async erasePerson(request: ErasureRequest, options: { suppress?: boolean } = {}): Promise<ErasureCounts> {
    const given = erasureIdentifiers(request);
    if (!given) return { events: 0, profiles: 0, clicks: 0 };
    const params: MatchParams = {
      ...given,
      email: given.email?.email ?? null,
      emailSha256: given.email?.sha256 ?? null,
      phones: given.phones.length === 0 ? null : JSON.stringify(given.phones),
    };
    const counts = this.db
      .transaction(() => {
        const matched = this.db
          .prepare<MatchParams, MatchedEvent>(
            `SELECT id, json_extract(message, '$.userId') AS user_id, json_extract(message, '$.anonymousId') AS anonymous_id
             FROM events WHERE ${EVENT_MATCH}`,
          )
          .all(params);
        const profiles = this.db
          .prepare<MatchParams, MatchedProfile>(
            `SELECT key, json_extract(traits, '$.userId') AS user_id FROM profiles WHERE ${PROFILE_MATCH}`,
          )
          .all(params);
        const person = personIds(given, matched, profiles);
        const ids = {
          // The events that carry an identifier themselves (an email-only order has no id to follow)…
          events: JSON.stringify(matched.map((row) => row.id)),
          // …and every event of the ids they carry.
          users: JSON.stringify([...person.users]),
          anonymous: JSON.stringify([...person.anonymous]),
        };
        const events = this.db
          .prepare<typeof ids, never>(
            `DELETE FROM events
             WHERE id IN (SELECT value FROM json_each(@events))
                OR json_extract(message, '$.userId') IN (SELECT value FROM json_each(@users))
                OR json_extract(message, '$.anonymousId') IN (SELECT value FROM json_each(@anonymous))`,
          )
          .run(ids).changes;
        const keys = JSON.stringify(profileKeysOf(person));
        const profileCount = this.db
          .prepare<[string, string], never>(
            'DELETE FROM profiles WHERE key IN (SELECT value FROM json_each(?)) OR key IN (SELECT value FROM json_each(?))',
          )
          .run(keys, JSON.stringify(profiles.map((row) => row.key))).changes;
        // A smart link's events carry the click id as their anonymous id; its conversions go with it.
        const clicks = this.db
          .prepare<[string], never>('DELETE FROM link_clicks WHERE id IN (SELECT value FROM json_each(?))')
          .run(ids.anonymous).changes;
        if (options.suppress) {
          this.suppressNow(suppressionHashes(request, person));
        }
        return { events, profiles: profileCount, clicks };
      })
      .immediate();
    this.truncateJournal();
    return counts;
  }

  async suppress(hashes: readonly string[]): Promise<void> {
    this.db.transaction(() => this.suppressNow(hashes)).immediate();
  }

  private suppressNow(hashes: readonly string[]): void {
    const insert = this.db.prepare<[string, number], never>(
      'INSERT INTO suppressed_identities (hash, created_at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING',
    );
    const now = this.now();
    for (const hash of hashes) insert.run(hash, now);
    this.suppressedThisTurn = undefined;
  }

  async suppressedAmong(hashes: readonly string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows = this.suppressedIn.all(JSON.stringify(hashes));
    return new Set(rows.map((row) => row.hash));
  }

  async hasSuppressed(): Promise<boolean> {
    if (this.suppressedThisTurn === undefined) {
      this.suppressedThisTurn = this.anySuppressed.get()!.found === 1;
      setImmediate(() => (this.suppressedThisTurn = undefined));
    }
    return this.suppressedThisTurn;
  }

  /** Moves every page into the file and empties the WAL, so no deleted row lingers in old page images. */
  private truncateJournal(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
