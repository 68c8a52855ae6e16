import { MatchQualityTally } from '../match-quality-tally.js';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EnrichedMessage, Traits } from '@datafirst/protocol';
import type {
  AppendResult,
  DeliveryResult,
  DeliveryStatus,
  EventQuery,
  EventRecord,
  Integration,
  IntegrationPatch,
  LeasedDelivery,
  LeaseRequest,
  NewEvent,
  NewIntegration,
  Person,
  ReplayFilter,
  Source,
  Store,
} from '../store.js';
import { assembleLeases } from '../leased-deliveries.js';
import { completionColumns, type CompletionColumns } from '../delivery-completion.js';
import { newId, newWriteKey } from '../ids.js';
import { takeFairShare } from '../fair-share.js';
import { MAX_EVENTS_PER_COMMIT, type PendingAppend } from '../group-commit.js';
import { searchKeysOf } from '../search-keys.js';
import { emailKeyOf } from './email-key.js';
import { aliasKeys, aliasProfiles, mergeTraits, personKeys, profileUpdate, traitsOfPerson } from '../profile-merge.js';
import { createSecretBox } from '../secret-box.js';
import { createSealedSecrets, type SealedSecrets } from '../sealed-secrets.js';
import { SqliteAdminStore } from './admin-store.js';
import { startCheckpointer, WRITER_CHECKPOINT_PAGES, type Checkpointer } from './checkpointer.js';
import { databaseClock, type DatabaseClock } from './clock.js';
import { assembleEventRecords } from '../event-list.js';
import { eventListQuery, type EventListParams } from './event-list-query.js';
import { flag } from './columns.js';
import { SqliteLaneStore } from './lane-store.js';
import { SqliteLimitStore } from './limit-store.js';
import { SqliteLinkStore } from './link-store.js';
import { SqlitePrivacyStore } from './privacy-store.js';
import { SqliteSessionStore } from './session-store.js';
import { SqliteSyncStore } from './sync-store.js';
import { MIGRATIONS } from './migrations.js';
import { MultiRowInsert } from './multi-row-insert.js';
import {
  configColumn,
  toIntegration,
  toSource,
  type DeliveryAttemptRow,
  type DeliveryRow,
  type NamedDeliveryRow,
  type StoredEventRow,
  type IntegrationRow,
  type SourceRow,
} from '../rows.js';
import { findSourceRow, sealStoredSecrets, writeKeyColumns } from './sealed-rows.js';

export interface SqliteStoreOptions {
  /** Database file; ':memory:' for a throwaway store. */
  path: string;
  /**
   * `normal` (default): WAL with synchronous=NORMAL, an acknowledged write survives a crash of
   * the process. `full`: fsync on every commit, so it also survives power loss, at a cost.
   */
  durability?: 'normal' | 'full';
  /**
   * Encrypts write keys and the integration config values under `secretConfigKeys` at rest
   * (AES-256-GCM, keys derived with HKDF) and seals those already stored as they are. At least
   * 32 characters; the store refuses to open a database whose secrets were sealed with another key.
   */
  secretKey?: string;
  /** The integration config keys that hold secrets (the destinations' secret fields); default none. */
  secretConfigKeys?: readonly string[];
  /**
   * The clock due times, leases and record times are read from (epoch ms); the database's by
   * default. Tests move it on, to see what a schedule does an hour later without waiting an hour.
   */
  clock?: () => number;
}

/** Opens (creating and migrating as needed) a SQLite store. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ':memory:') ownerOnlyFile(options.path);
  const db = new Database(options.path);
  // Deleted rows are zeroed in their pages: erased and expired personal data leaves the file.
  db.pragma('secure_delete = ON');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  // Several processes (e.g. extra workers) may share the file: wait for a lock rather than fail.
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db);
    const secrets = createSealedSecrets(createSecretBox(options.secretKey), options.secretConfigKeys ?? []);
    if (sealStoredSecrets(db, secrets)) removeOldPages(db);
    // Checkpoints on a thread of their own (checkpointer.ts); an in-memory database has no WAL.
    let checkpointer: Checkpointer | undefined;
    if (options.path !== ':memory:') {
      db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
      checkpointer = startCheckpointer(options.path, options.durability === 'full' ? 'FULL' : 'NORMAL');
    }
    return new SqliteStore(db, secrets, options.clock, checkpointer);
  } catch (error) {
    db.close(); // e.g. the wrong secret key: nothing may stay open on a refused start
    throw error;
  }
}

/**
 * Creates the database file readable by its owner only (0600), or narrows an existing one to it.
 * SQLite gives its -wal and -shm files the database file's mode, so they are private too.
 */
function ownerOnlyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  for (const journal of [`${path}-wal`, `${path}-shm`]) if (existsSync(journal)) chmodSync(journal, 0o600);
}

/**
 * After secrets were sealed in place, their plain text may survive in the WAL and in freed pages:
 * checkpoint and empty the WAL, rebuild the file, and empty the WAL again.
 */
function removeOldPages(db: Database.Database): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)');
  const applied = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version),
  );
  const record = db.prepare<[number, string, number], never>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  // Versions are reserved ahead by parallel work, so the list may not be in order: apply by number.
  for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      migration.backfill?.(db);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
  }
}

/** Most rows one INSERT of an append writes (see multi-row-insert.ts): 220 values of events. */
const ROWS_PER_INSERT = 20;

/** Whether an append gives the workers something to send (not only skipped or parked deliveries). */
const queuesDeliveries = (append: PendingAppend): boolean =>
  append.events.some((event) => event.deliveries.some((delivery) => delivery.status === 'pending'));

type LeaseParams = { owner: string; leaseMs: number; now: number; limit: number; integration?: string; requireLane?: number };

/**
 * What the completing UPDATE is given, by position: a result's columns, the time, and whose lease
 * it must be (see the statement for the order).
 */
type CompleteParams = [
  status: string,
  reason: string | null,
  reasonCode: string | null,
  identifiers: string | null,
  counts: 0 | 1,
  purchaseValue: number | null,
  purchaseCurrency: string | null,
  now: number,
  retryInMs: number | null,
  now: number,
  id: number,
  owner: string,
];

/** The completing UPDATE's values for one result's columns. */
const completeParams = (columns: CompletionColumns, owner: string, now: number): CompleteParams => [
  columns.status,
  columns.reason,
  columns.reasonCode,
  columns.identifiers,
  columns.counts,
  columns.purchaseValue,
  columns.purchaseCurrency,
  now,
  columns.retryInMs,
  now,
  columns.id,
  owner,
];

class SqliteStore implements Store {
  private pendingAppends: PendingAppend[] = [];
  /** Told when an append queued deliveries: every process on the file is this one's, or polls. */
  private readonly queuedListeners = new Set<() => void>();
  readonly links: SqliteLinkStore;
  readonly admin: SqliteAdminStore;
  readonly sessions: SqliteSessionStore;
  readonly privacy: SqlitePrivacyStore;
  readonly syncs: SqliteSyncStore;
  readonly lanes: SqliteLaneStore;
  readonly limits: SqliteLimitStore;
  private readonly now: DatabaseClock;
  private readonly statements;
  private readonly insertEvents;
  private readonly insertDeliveries;
  private readonly appendTransaction;
  private readonly completeTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly secrets: SealedSecrets,
    clock?: DatabaseClock,
    private readonly checkpointer?: Checkpointer,
  ) {
    this.now = clock ?? databaseClock(db);
    this.links = new SqliteLinkStore(db, this.now);
    this.admin = new SqliteAdminStore(db, secrets, this.now);
    this.sessions = new SqliteSessionStore(db, this.now);
    this.privacy = new SqlitePrivacyStore(db, this.now);
    this.syncs = new SqliteSyncStore(db, secrets, this.now);
    this.lanes = new SqliteLaneStore(db, this.now);
    this.limits = new SqliteLimitStore(db, this.now);
    this.appendTransaction = db.transaction(this.appendTransactionBody.bind(this));
    this.completeTransaction = db.transaction(this.completeTransactionBody.bind(this));
    // Values by position: binding an object by name costs a property look-up per column, per event.
    // OR IGNORE rather than ON CONFLICT DO NOTHING: a statement that cannot fail part-way needs
    // no statement journal, where SQLite otherwise copies every page the INSERT changes first (a
    // eighth of an append's time, profiled with one event a request). The only constraints the row can meet
    // are the (source_id, message_id) key, whose repeats are to be skipped, and NOT NULL columns,
    // which are always given.
    this.insertEvents = new MultiRowInsert<{ id: number; message_id: string }>(
      db,
      `INSERT OR IGNORE INTO events (source_id, message_id, type, name, received_at, message,
         user_id, anonymous_id, email_hash, email_key, order_id, click_id)`,
      12,
      // A repeat (of a stored event, or of one earlier in the same statement) returns no row.
      'RETURNING id, message_id',
      ROWS_PER_INSERT,
    );
    this.insertDeliveries = new MultiRowInsert(
      db,
      `INSERT INTO deliveries (event_id, integration_id, status, reason, reason_code, identifiers,
         next_attempt_at, created_at, updated_at, retry_from)`,
      10,
      '',
      ROWS_PER_INSERT,
    );
    this.statements = {
      addMatchQuality: db.prepare<[string, number, string, string, number], never>(
        `INSERT INTO match_quality_minutes (integration_id, minute, source_id, identifier, count) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (integration_id, minute, source_id, identifier) DO UPDATE SET count = count + excluded.count`,
      ),
      getProfile: db.prepare<[string, string], { traits: string }>('SELECT traits FROM profiles WHERE source_id = ? AND key = ?'),
      upsertProfile: db.prepare<[string, string, string, number], never>(
        `INSERT INTO profiles (source_id, key, traits, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (source_id, key) DO UPDATE SET traits = excluded.traits, updated_at = excluded.updated_at`,
      ),
      // A lease leaves the last payload and answer unread: the worker builds and sends afresh.
      lease: db.prepare<LeaseParams, DeliveryRow>(
        `UPDATE deliveries SET lease_owner = @owner, lease_until = @now + @leaseMs
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE status = 'pending' AND next_attempt_at <= @now AND lease_until < @now
             AND integration_id NOT IN (SELECT integration_id FROM lane_rests WHERE until > @now)
           ORDER BY next_attempt_at, id LIMIT @limit)
         RETURNING *, NULL AS payload, NULL AS response`,
      ),
      // A separate statement, so SQLite walks the per-integration index rather than an OR.
      leaseForIntegration: db.prepare<LeaseParams, DeliveryRow>(
        `UPDATE deliveries SET lease_owner = @owner, lease_until = @now + @leaseMs
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE integration_id = @integration AND status = 'pending' AND next_attempt_at <= @now AND lease_until < @now
             AND (@requireLane = 0 OR EXISTS (
               SELECT 1 FROM lane_leases l WHERE l.integration_id = @integration AND l.owner = @owner AND l.lease_until > @now))
             AND NOT EXISTS (SELECT 1 FROM lane_rests r WHERE r.integration_id = @integration AND r.until > @now)
           ORDER BY next_attempt_at, id LIMIT @limit)
         RETURNING *, NULL AS payload, NULL AS response`,
      ),
      eventsByIds: db.prepare<[string], StoredEventRow>(
        'SELECT id, source_id, message FROM events WHERE id IN (SELECT value FROM json_each(?))',
      ),
      integrationsByIds: db.prepare<[string], IntegrationRow<0 | 1>>(
        'SELECT * FROM integrations WHERE id IN (SELECT value FROM json_each(?))',
      ),
      profilesByKeys: db.prepare<[string, string], { key: string; traits: string }>(
        'SELECT key, traits FROM profiles WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))',
      ),
      // Values by position (completeParams), as for the inserts: it runs once per delivery sent.
      complete: db.prepare<CompleteParams, never>(
        `UPDATE deliveries SET status = ?, reason = ?, reason_code = ?,
           identifiers = coalesce(?, identifiers), attempts = attempts + ?,
           purchase_value = coalesce(?, purchase_value),
           purchase_currency = coalesce(?, purchase_currency),
           next_attempt_at = coalesce(? + ?, next_attempt_at), lease_owner = NULL, lease_until = 0,
           updated_at = ?
         WHERE id = ? AND lease_owner = ?`,
      ),
      // Beside the delivery row, which then stays small (delivery-payloads-migration.ts).
      savePayload: db.prepare<[number, string | null, string | null], never>(
        `INSERT INTO delivery_payloads (delivery_id, payload, response) VALUES (?, ?, ?)
         ON CONFLICT (delivery_id) DO UPDATE SET payload = coalesce(excluded.payload, payload),
           response = coalesce(excluded.response, response)`,
      ),
      insertAttempt: db.prepare<[number, number, string, number | null, string | null, string | null], never>(
        'INSERT INTO delivery_attempts (delivery_id, at, status, http_status, reason, reason_code) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      // One query each for all the deliveries, and all their tries, of a page of events.
      deliveriesOfEvents: db.prepare<[string], NamedDeliveryRow>(
        `SELECT d.*, p.payload, p.response, i.name AS integration_name
         FROM deliveries d
         LEFT JOIN delivery_payloads p ON p.delivery_id = d.id
         LEFT JOIN integrations i ON i.id = d.integration_id
         WHERE d.event_id IN (SELECT value FROM json_each(?)) ORDER BY d.id`,
      ),
      attemptsOfEvents: db.prepare<[string], DeliveryAttemptRow>(
        `SELECT a.* FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.event_id IN (SELECT value FROM json_each(?)) ORDER BY a.id`,
      ),
    };
  }

  async createSource(input: { name: string; writeKey?: string }): Promise<Source> {
    const id = newId('src');
    const row: SourceRow = {
      id,
      name: input.name,
      ...writeKeyColumns(id, input.writeKey ?? newWriteKey(), this.secrets),
      previous_write_key: null,
      previous_write_key_hash: null,
      previous_key_expires_at: null,
      created_at: this.now(),
      allowed_origins: '[]',
      rate_limit_rps: null,
      server_side: 0,
    };
    this.db
      .prepare<SourceRow, never>(
        'INSERT INTO sources (id, name, write_key, write_key_hash, created_at) VALUES (@id, @name, @write_key, @write_key_hash, @created_at)',
      )
      .run(row);
    return toSource(row, this.secrets, row.created_at);
  }

  async listSources(): Promise<Source[]> {
    const now = this.now();
    return this.db
      .prepare<[], SourceRow>('SELECT * FROM sources ORDER BY created_at, rowid')
      .all()
      .map((row) => toSource(row, this.secrets, now));
  }

  async getSource(id: string): Promise<Source | undefined> {
    const row = this.db.prepare<[string], SourceRow>('SELECT * FROM sources WHERE id = ?').get(id);
    return row && toSource(row, this.secrets, this.now());
  }

  async findSourceByWriteKey(writeKey: string): Promise<Source | undefined> {
    const now = this.now();
    const row = findSourceRow(this.db, writeKey, this.secrets, now);
    return row && toSource(row, this.secrets, now);
  }

  async createIntegration(input: NewIntegration): Promise<Integration> {
    const now = this.now();
    const id = newId('int');
    const row: IntegrationRow<0 | 1> = {
      id,
      source_id: input.sourceId,
      vendor: input.vendor,
      name: input.name,
      enabled: flag(input.enabled),
      config: configColumn(id, input.config, this.secrets),
      consent_categories: JSON.stringify(input.consentCategories),
      paused_reason: null,
      created_at: now,
      updated_at: now,
    };
    this.db
      .prepare<IntegrationRow<0 | 1>, never>(
        `INSERT INTO integrations (id, source_id, vendor, name, enabled, config, consent_categories, created_at, updated_at)
         VALUES (@id, @source_id, @vendor, @name, @enabled, @config, @consent_categories, @created_at, @updated_at)`,
      )
      .run(row);
    return toIntegration(row, this.secrets);
  }

  async getIntegration(id: string): Promise<Integration | undefined> {
    const row = this.db.prepare<[string], IntegrationRow<0 | 1>>('SELECT * FROM integrations WHERE id = ?').get(id);
    return row && toIntegration(row, this.secrets);
  }

  async listIntegrations(sourceId?: string): Promise<Integration[]> {
    const rows = sourceId
      ? this.db
          .prepare<[string], IntegrationRow<0 | 1>>('SELECT * FROM integrations WHERE source_id = ? ORDER BY created_at, rowid')
          .all(sourceId)
      : this.db.prepare<[], IntegrationRow<0 | 1>>('SELECT * FROM integrations ORDER BY created_at, rowid').all();
    return rows.map((row) => toIntegration(row, this.secrets));
  }

  async updateIntegration(id: string, patch: IntegrationPatch): Promise<Integration | undefined> {
    const current = await this.getIntegration(id);
    if (!current) return undefined;
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const next: Integration = { ...current, ...given };
    this.db
      .prepare<[string, 0 | 1, string, string, number, string], never>(
        `UPDATE integrations SET name = ?, enabled = ?, config = ?, consent_categories = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        next.name,
        flag(next.enabled),
        configColumn(id, next.config, this.secrets),
        JSON.stringify(next.consentCategories),
        this.now(),
        id,
      );
    return this.getIntegration(id);
  }

  async deleteIntegration(id: string): Promise<boolean> {
    return this.db
      .transaction(() => {
        // What was waiting for it will never be sent: say so rather than leave it pending for ever.
        this.db
          .prepare<[number, string], never>(
            `UPDATE deliveries SET status = 'skipped', reason = 'integration_deleted', reason_code = 'integration_deleted',
               updated_at = ?
             WHERE integration_id = ? AND status IN ('pending', 'blocked')`,
          )
          .run(this.now(), id);
        return this.db.prepare<[string], never>('DELETE FROM integrations WHERE id = ?').run(id).changes > 0;
      })
      .immediate();
  }

  appendEvents(sourceId: string, events: NewEvent[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ sourceId, events, size: events.length, resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => this.commitAppends());
    });
  }

  /**
   * Group commit: every append requested during one turn of the event loop goes into a single
   * transaction. A commit, not an insert, is what costs (the WAL write), so concurrent requests
   * share one; each caller is answered only once the commit holding its events is done. One
   * commit holds at most MAX_EVENTS_PER_COMMIT events, taken round-robin by source, and the rest
   * wait for the next turn: a source flooding the collector delays its own events, not others'.
   */
  private commitAppends(): void {
    const { taken: appends, rest } = takeFairShare(this.pendingAppends, MAX_EVENTS_PER_COMMIT);
    this.pendingAppends = rest;
    if (rest.length > 0) setImmediate(() => this.commitAppends());
    try {
      const results = this.appendTransaction.immediate(appends);
      appends.forEach((append, i) => append.resolve(results[i]!));
      if (appends.some(queuesDeliveries)) this.deliveriesQueued();
    } catch {
      // One bad group must not fail the others: retry them one transaction each.
      let queued = false;
      for (const append of appends) {
        try {
          append.resolve(this.appendTransaction.immediate([append])[0]!);
          queued ||= queuesDeliveries(append);
        } catch (error) {
          append.reject(error);
        }
      }
      if (queued) this.deliveriesQueued();
    }
  }

  private appendTransactionBody(appends: PendingAppend[]): AppendResult[] {
    const now = this.now();
    const tally = new MatchQualityTally();
    // The appends of one source are written together, so that small ones (a message a request)
    // share multi-row INSERTs too. Their order is kept: of two events with one messageId, the
    // first is stored and the other is its repeat, as if each append had its own transaction.
    const bySource = new Map<string, PendingAppend[]>();
    for (const append of appends) {
      const group = bySource.get(append.sourceId);
      if (group) group.push(append);
      else bySource.set(append.sourceId, [append]);
    }
    const results = new Map<PendingAppend, AppendResult>();
    for (const [sourceId, group] of bySource) {
      const events = group.length === 1 ? group[0]!.events : group.flatMap((append) => append.events);
      const repeats = this.appendGroup(sourceId, events, now, tally);
      let at = 0;
      for (const append of group) {
        const duplicateIds: string[] = [];
        for (const { message } of append.events) if (repeats[at++]) duplicateIds.push(message.messageId);
        results.set(append, {
          stored: append.events.length - duplicateIds.length,
          duplicates: duplicateIds.length,
          duplicateIds,
        });
      }
    }
    for (const row of tally.rows()) this.statements.addMatchQuality.run(...row);
    return appends.map((append) => results.get(append)!);
  }

  /** Writes events of one source, and says of each whether it was a repeat (and not stored). */
  private appendGroup(sourceId: string, events: NewEvent[], now: number, tally: MatchQualityTally): boolean[] {
    const repeats: boolean[] = [];
    const { maxRows } = this.insertEvents;
    for (let start = 0; start < events.length; start += maxRows) {
      const chunk = events.slice(start, start + maxRows);
      const receivedAts: number[] = [];
      const values: unknown[] = [];
      // The messages of a request share their receipt time: parsed once, not once a message.
      let receivedText = '';
      let receivedAt = NaN;
      for (const { message } of chunk) {
        const name = message.type === 'track' ? message.event : message.name;
        if (message.receivedAt !== receivedText) {
          receivedText = message.receivedAt;
          receivedAt = Date.parse(receivedText);
          // NaN would be stored as NULL, which the INSERT's OR IGNORE would skip as if a repeat.
          if (Number.isNaN(receivedAt)) throw new Error(`receivedAt is not a time: ${JSON.stringify(receivedText)}`);
        }
        const keys = searchKeysOf(message);
        receivedAts.push(receivedAt);
        values.push(
          sourceId,
          message.messageId,
          message.type,
          name ?? null,
          receivedAt,
          JSON.stringify(message),
          keys.userId,
          keys.anonymousId,
          keys.emailHash,
          emailKeyOf(keys.emailHash),
          keys.orderId,
          keys.clickId,
        );
      }
      const ids = new Map<string, number>();
      for (const row of this.insertEvents.statement(chunk.length).all(...values)) ids.set(row.message_id, row.id);

      const deliveryValues: unknown[] = [];
      const flushDeliveries = () => {
        if (deliveryValues.length === 0) return;
        this.insertDeliveries.statement(deliveryValues.length / this.insertDeliveries.columns).run(...deliveryValues);
        deliveryValues.length = 0;
      };
      chunk.forEach(({ message, deliveries, anonymousProfileOnly }, i) => {
        const eventId = ids.get(message.messageId);
        repeats.push(eventId === undefined);
        if (eventId === undefined) return;
        // The first event with its id was stored; a later one in the batch is its repeat.
        ids.delete(message.messageId);
        for (const delivery of deliveries) {
          const identifiers = [...new Set(delivery.identifiers)];
          // Due, created, updated and in its retry window from the moment it is stored.
          deliveryValues.push(
            eventId,
            delivery.integrationId,
            delivery.status,
            delivery.reason ?? null,
            delivery.reasonCode ?? null,
            JSON.stringify(identifiers),
            now,
            now,
            now,
            now,
          );
          if (deliveryValues.length === this.insertDeliveries.maxRows * this.insertDeliveries.columns) flushDeliveries();
          tally.add(delivery.integrationId, sourceId, receivedAts[i]!, identifiers);
        }
        if (message.type === 'identify') this.mergeProfile(sourceId, message, now, anonymousProfileOnly === true);
        if (message.type === 'alias' && anonymousProfileOnly !== true) this.linkProfiles(sourceId, message, now);
      });
      flushDeliveries();
    }
    return repeats;
  }

  private mergeProfile(sourceId: string, message: EnrichedMessage, now: number, anonymousOnly: boolean): void {
    const { keys, traits } = profileUpdate(message, anonymousOnly);
    for (const key of keys) {
      const row = this.statements.getProfile.get(sourceId, key);
      const merged = mergeTraits(row && (JSON.parse(row.traits) as Traits), traits);
      this.statements.upsertProfile.run(sourceId, key, JSON.stringify(merged), now);
    }
  }

  private linkProfiles(sourceId: string, message: EnrichedMessage, now: number): void {
    const found = new Map<string, Traits>();
    for (const key of aliasKeys(message)) {
      const row = this.statements.getProfile.get(sourceId, key);
      if (row) found.set(key, JSON.parse(row.traits) as Traits);
    }
    for (const [key, traits] of aliasProfiles(message, found)) {
      this.statements.upsertProfile.run(sourceId, key, JSON.stringify(traits), now);
    }
  }

  async getProfileTraits(sourceId: string, userId?: string, anonymousId?: string): Promise<Traits | undefined> {
    return (await this.profileTraitsFor(sourceId, [{ userId, anonymousId }]))[0];
  }

  async profileTraitsFor(sourceId: string, people: readonly Person[]): Promise<(Traits | undefined)[]> {
    const keys = new Set(people.flatMap(personKeys));
    if (keys.size === 0) return people.map(() => undefined);
    const rows = this.statements.profilesByKeys.all(sourceId, JSON.stringify([...keys]));
    const found = new Map(rows.map((row) => [row.key, JSON.parse(row.traits) as Traits]));
    return people.map((person) => traitsOfPerson(person, found));
  }

  async leaseDeliveries(request: LeaseRequest): Promise<LeasedDelivery[]> {
    const leasedAt = this.now();
    const params = { owner: request.owner, leaseMs: request.leaseMs, now: leasedAt, limit: request.limit };
    const rows = request.integrationId
      ? this.statements.leaseForIntegration.all({
          ...params,
          integration: request.integrationId,
          requireLane: request.requireLane === true ? 1 : 0,
        })
      : this.statements.lease.all(params);
    if (rows.length === 0) return [];
    // One query for all the leased deliveries' events, and one for their integrations.
    const events = this.statements.eventsByIds.all(JSON.stringify(rows.map((row) => row.event_id)));
    const integrationIds = [...new Set(rows.map((row) => row.integration_id))];
    const integrations = this.statements.integrationsByIds
      .all(JSON.stringify(integrationIds))
      .map((row) => toIntegration(row, this.secrets));
    const { leased, orphans } = assembleLeases(rows, events, integrations, () => leasedAt);
    if (orphans.length > 0) await this.completeDeliveries(request.owner, orphans);
    return leased;
  }

  async completeDeliveries(owner: string, results: DeliveryResult[]): Promise<void> {
    this.completeTransaction.immediate(owner, results);
  }

  private completeTransactionBody(owner: string, results: DeliveryResult[]): void {
    const now = this.now();
    for (const columns of completionColumns(results)) {
      const changed = this.statements.complete.run(...completeParams(columns, owner, now)).changes;
      // A lease that expired and was taken by another worker is theirs now: record nothing.
      if (changed === 0) continue;
      if (columns.payload !== null || columns.response !== null) {
        this.statements.savePayload.run(columns.id, columns.payload, columns.response);
      }
      if (columns.counts > 0) {
        this.statements.insertAttempt.run(
          columns.id,
          now,
          columns.status,
          columns.httpStatus,
          columns.reason,
          columns.reasonCode,
        );
      }
    }
  }

  async listEvents(query: EventQuery): Promise<EventRecord[]> {
    const { sql, params } = eventListQuery(query);
    const events = this.db.prepare<EventListParams, StoredEventRow>(sql).all(params);
    if (events.length === 0) return [];
    const eventIds = JSON.stringify(events.map((event) => event.id));
    const attempts = this.statements.attemptsOfEvents.all(eventIds);
    return assembleEventRecords(events, this.statements.deliveriesOfEvents.all(eventIds), attempts);
  }

  async dueIntegrations(): Promise<string[]> {
    const now = this.now();
    return (
      this.db
        // Per integration through its index, so a deep backlog costs no more to look at than a short one.
        .prepare<{ now: number }, { id: string }>(
          `SELECT id FROM integrations i WHERE EXISTS (
             SELECT 1 FROM deliveries d
             WHERE d.integration_id = i.id AND d.status = 'pending' AND d.next_attempt_at <= @now AND d.lease_until < @now)
           AND NOT EXISTS (SELECT 1 FROM lane_rests r WHERE r.integration_id = i.id AND r.until > @now)`,
        )
        .all({ now })
        .map((row) => row.id)
    );
  }

  async pauseIntegration(id: string, reason: string): Promise<void> {
    this.db
      .transaction(() => {
        const now = this.now();
        this.db
          .prepare<[string, number, string], never>('UPDATE integrations SET paused_reason = ?, updated_at = ? WHERE id = ?')
          .run(reason, now, id);
        this.db
          .prepare<[string, number, string, number], never>(
            `UPDATE deliveries SET status = 'blocked', reason = ?, reason_code = 'credentials_refused', updated_at = ?
             WHERE integration_id = ? AND status = 'pending' AND lease_until < ?`,
          )
          .run(`paused: ${reason}`, now, id, now);
      })
      .immediate();
  }

  async resumeIntegration(id: string): Promise<number> {
    return this.db
      .transaction(() => {
        const now = this.now();
        this.db
          .prepare<[number, string], never>('UPDATE integrations SET paused_reason = NULL, updated_at = ? WHERE id = ?')
          .run(now, id);
        return this.db
          .prepare<{ now: number; id: string }, never>(
            `UPDATE deliveries SET status = 'pending', next_attempt_at = @now, retry_from = @now,
               reason = 'requeued: credentials changed', reason_code = 'credentials_changed', updated_at = @now
             WHERE integration_id = @id AND status = 'blocked'`,
          )
          .run({ now, id }).changes;
      })
      .immediate();
  }

  async requeueParked(integrationId: string, reasonCodes: readonly string[]): Promise<number> {
    return this.db
      .prepare<{ now: number; integrationId: string; codes: string }, never>(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = @now, retry_from = @now,
           reason = 'requeued: settings changed', reason_code = 'config_changed', updated_at = @now
         WHERE integration_id = @integrationId AND status = 'blocked'
           AND reason_code IN (SELECT value FROM json_each(@codes))`,
      )
      .run({ now: this.now(), integrationId, codes: JSON.stringify(reasonCodes) }).changes;
  }

  async replayDeliveries(filter: ReplayFilter): Promise<number> {
    return this.db
      .prepare<
        {
          now: number;
          statuses: string;
          deliveryId: number | null;
          integrationId: string | null;
          reason: string | null;
          reasonCode: string | null;
          from: number | null;
          to: number | null;
        },
        never
      >(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = @now, retry_from = @now, updated_at = @now,
           reason = 'replayed', reason_code = 'replayed'
         WHERE status IN (SELECT value FROM json_each(@statuses))
           AND (@deliveryId IS NULL OR id = @deliveryId)
           AND (@integrationId IS NULL OR integration_id = @integrationId)
           AND (@reason IS NULL OR instr(reason, @reason) > 0)
           AND (@reasonCode IS NULL OR reason_code = @reasonCode)
           AND (@from IS NULL AND @to IS NULL OR event_id IN (
             SELECT id FROM events WHERE (@from IS NULL OR received_at >= @from) AND (@to IS NULL OR received_at < @to)))`,
      )
      .run({
        now: this.now(),
        statuses: JSON.stringify(filter.statuses ?? ['dead']),
        deliveryId: filter.deliveryId ?? null,
        integrationId: filter.integrationId ?? null,
        reason: filter.reason ?? null,
        reasonCode: filter.reasonCode ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
      }).changes;
  }

  onDeliveriesQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener);
    return () => {
      this.queuedListeners.delete(listener);
    };
  }

  private deliveriesQueued(): void {
    for (const listener of this.queuedListeners) listener();
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, skipped: 0, failed: 0, blocked: 0, dead: 0 };
    const rows = this.db
      // Kept by triggers as deliveries change (delivery-counts-migration.ts): six rows, whatever the table holds.
      .prepare<[], { status: string; n: number }>('SELECT status, count AS n FROM delivery_status_counts')
      .all();
    for (const row of rows) counts[row.status as DeliveryStatus] = row.n;
    return counts;
  }

  async close(): Promise<void> {
    // The checkpointer's connection first: the last connection to close copies what is left of
    // the WAL into the file and removes it.
    await this.checkpointer?.close();
    this.db.close();
  }
}
