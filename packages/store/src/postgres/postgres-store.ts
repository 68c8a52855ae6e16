import type pg from 'pg';
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
import { completionColumns } from '../delivery-completion.js';
import { newId, newWriteKey } from '../ids.js';
import { takeFairShare } from '../fair-share.js';
import { MAX_EVENTS_PER_COMMIT, type PendingAppend } from '../group-commit.js';
import { MatchQualityTally } from '../match-quality-tally.js';
import { searchKeysOf } from '../search-keys.js';
import { aliasKeys, aliasProfiles, mergeTraits, personKeys, profileUpdate, traitsOfPerson } from '../profile-merge.js';
import { createSecretBox } from '../secret-box.js';
import { createSealedSecrets, type SealedSecrets } from '../sealed-secrets.js';
import { PostgresAdminStore } from './admin-store.js';
import { DELIVERIES_CHANNEL, DeliveryNotifications } from './delivery-notifications.js';
import { assembleEventRecords } from '../event-list.js';
import { eventListQuery } from './event-list-query.js';
import { PostgresLaneStore } from './lane-store.js';
import { leaseQuery } from './lease-query.js';
import { PostgresLimitStore } from './limit-store.js';
import { PostgresLinkStore } from './link-store.js';
import { migrate } from './migrations.js';
import { changed, createPool, databaseNow, NOW_MS_SQL, queryLarge, transaction, type Queryable } from './pool.js';
import { PostgresPrivacyStore } from './privacy-store.js';
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
import { sealStoredSecrets, writeKeyColumns } from './sealed-rows.js';
import { PostgresSessionStore } from './session-store.js';
import { PostgresSyncStore } from './sync-store.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; it may name a schema with `?options=-c search_path=…`. */
  url: string;
  /** As SqliteStoreOptions' `secretKey`: seals write keys and secret config values at rest. */
  secretKey?: string;
  /** The integration config keys that hold secrets; default none. */
  secretConfigKeys?: readonly string[];
  /**
   * `full` (default): a commit waits for PostgreSQL's WAL flush (synchronous_commit on).
   * `normal`: it does not (synchronous_commit off): a database crash may lose the last moments.
   */
  durability?: 'normal' | 'full';
  /** Most connections this process opens; default 10. */
  poolSize?: number;
  /**
   * What its connections are called in `pg_stat_activity.application_name`, so that an operator
   * can tell which process holds which; default `datafirst`.
   */
  applicationName?: string;
  /** Told about connection errors that do not fail a call (an idle connection lost); default: ignored. */
  onError?: (error: Error) => void;
}

/** Opens (creating and migrating as needed) a PostgreSQL store. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const onError = options.onError ?? (() => undefined);
  const applicationName = options.applicationName ?? 'datafirst';
  const pool = createPool({
    url: options.url,
    poolSize: options.poolSize,
    durability: options.durability,
    onError,
    applicationName,
  });
  try {
    const secrets = createSealedSecrets(createSecretBox(options.secretKey), options.secretConfigKeys ?? []);
    const client = await pool.connect();
    try {
      await migrate(client, () => sealStoredSecrets(client, secrets));
    } finally {
      client.release();
    }
    const notifications = new DeliveryNotifications(
      { connectionString: options.url, application_name: applicationName },
      onError,
    );
    return new PostgresStore(pool, secrets, notifications);
  } catch (error) {
    await pool.end(); // e.g. the wrong secret key: nothing may stay open on a refused start
    throw error;
  }
}

/**
 * Group commits one process runs at once. A commit waits on the database for most of its time
 * (round trips, the WAL): while one does, the next group is built and sent. Each takes a
 * connection of the pool for its duration. Concurrent commits are safe: a messageId stored by
 * one is a duplicate for the other (the unique key), and the counters and profiles they share
 * are locked in one order.
 */
const COMMITS_IN_FLIGHT = 3;

/**
 * How long one statement of a group commit may take before it is given up (and its connection
 * closed): a database gone silent, with no reset for TCP to notice, then answers ingest with 503
 * in seconds instead of holding every request for as long as the silence lasts. A group commit
 * takes milliseconds; one slower than this is a database too busy to acknowledge in time anyway.
 */
const COMMIT_STATEMENT_TIMEOUT_MS = 10_000;

/*
 * A group commit's statements, named: each connection prepares them once, where the database
 * would otherwise parse and plan them again for every commit.
 */
const INSERT_EVENTS = {
  name: 'df_insert_events',
  // The messages come as one text, a line each (a JSON text has no raw line break): as a text[]
  // each of their quotes would be escaped, by pg here and again by the database's array parser.
  text: `INSERT INTO events (source_id, message_id, type, name, received_at, message, user_id, anonymous_id, email_hash, order_id, click_id)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], string_to_array($11, E'\n'),
      $6::text[], $7::text[], $8::bytea[], $9::text[], $10::text[])
    ON CONFLICT (source_id, message_id) DO NOTHING
    RETURNING id, source_id, message_id`,
};
const INSERT_DELIVERIES = {
  name: 'df_insert_deliveries',
  text: `INSERT INTO deliveries (event_id, integration_id, status, reason, reason_code, identifiers,
      next_attempt_at, created_at, updated_at, retry_from)
    SELECT d.*, now.ms, now.ms, now.ms, now.ms
    FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS d,
      (SELECT ${NOW_MS_SQL} AS ms) AS now`,
};
const ADD_MATCH_QUALITY = {
  name: 'df_add_match_quality',
  text: `INSERT INTO match_quality_minutes AS t (integration_id, minute, source_id, identifier, count)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[])
    ON CONFLICT (integration_id, minute, source_id, identifier) DO UPDATE SET count = t.count + excluded.count`,
};

/*
 * A batch's outcomes in one statement: the deliveries' new columns, and a try in the history of
 * each delivery this owner still held (a lease that expired and was taken by another worker is
 * theirs now). Named, as the group commit's: a connection parses and plans it once.
 * The JSON columns (a payload is about a kilobyte) come as one text each, a line per delivery
 * (jsonLines), split without parsing: as JSON arrays of strings, every quote of every payload was
 * escaped by the worker and unescaped again by the database's JSON parser.
 */
const COMPLETE_DELIVERIES = {
  name: 'df_complete_deliveries',
  text: `WITH now AS (SELECT ${NOW_MS_SQL} AS ms),
    r AS (
      SELECT * FROM unnest($2::int[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[],
          $9::float8[], $10::text[], $11::int[], string_to_array($12, E'\n', ''), string_to_array($13, E'\n', ''),
          string_to_array($14, E'\n', ''))
        AS r(ord, id, status, reason, reason_code, counts, retry_in_ms, purchase_value, purchase_currency, http_status,
          identifiers, payload, response)),
    updated AS (
      UPDATE deliveries d SET status = r.status, reason = r.reason, reason_code = r.reason_code,
        identifiers = coalesce(r.identifiers, d.identifiers), payload = coalesce(r.payload, d.payload),
        response = coalesce(r.response, d.response), attempts = d.attempts + r.counts,
        purchase_value = coalesce(r.purchase_value, d.purchase_value),
        purchase_currency = coalesce(r.purchase_currency, d.purchase_currency),
        next_attempt_at = coalesce(now.ms + r.retry_in_ms, d.next_attempt_at), lease_owner = NULL, lease_until = 0,
        updated_at = now.ms
      FROM r, now WHERE d.id = r.id AND d.lease_owner = $1
      RETURNING d.id)
    INSERT INTO delivery_attempts (delivery_id, at, status, http_status, reason, reason_code)
    SELECT r.id, now.ms, r.status, r.http_status, r.reason, r.reason_code
    FROM r JOIN updated u ON u.id = r.id, now WHERE r.counts > 0 ORDER BY r.ord`,
};

class PostgresStore implements Store {
  private pendingAppends: PendingAppend[] = [];
  /** Group commits in flight: each a loop taking the next group while appends wait. */
  private committers = 0;
  readonly links: PostgresLinkStore;
  readonly admin: PostgresAdminStore;
  readonly sessions: PostgresSessionStore;
  readonly privacy: PostgresPrivacyStore;
  readonly syncs: PostgresSyncStore;
  readonly lanes: PostgresLaneStore;
  readonly limits: PostgresLimitStore;

  constructor(
    private readonly pool: pg.Pool,
    private readonly secrets: SealedSecrets,
    private readonly notifications: DeliveryNotifications,
  ) {
    this.links = new PostgresLinkStore(pool);
    this.admin = new PostgresAdminStore(pool, secrets);
    this.sessions = new PostgresSessionStore(pool);
    this.privacy = new PostgresPrivacyStore(pool);
    this.syncs = new PostgresSyncStore(pool, secrets);
    this.lanes = new PostgresLaneStore(pool);
    this.limits = new PostgresLimitStore(pool);
  }

  onDeliveriesQueued(listener: () => void): () => void {
    return this.notifications.subscribe(listener);
  }

  async createSource(input: { name: string; writeKey?: string }): Promise<Source> {
    const id = newId('src');
    const { rows } = await this.pool.query<SourceRow>(
      `INSERT INTO sources (id, name, write_key, write_key_hash, created_at) VALUES ($1, $2, $3, $4, ${NOW_MS_SQL}) RETURNING *`,
      [id, input.name, ...writeKeyColumns(id, input.writeKey ?? newWriteKey(), this.secrets)],
    );
    return toSource(rows[0]!, this.secrets, rows[0]!.created_at);
  }

  async listSources(): Promise<Source[]> {
    const { rows } = await this.pool.query<SourceRow & { now: number }>(
      `SELECT *, ${NOW_MS_SQL} AS now FROM sources ORDER BY created_at, seq`,
    );
    return rows.map((row) => toSource(row, this.secrets, row.now));
  }

  async getSource(id: string): Promise<Source | undefined> {
    const { rows } = await this.pool.query<SourceRow & { now: number }>(
      `SELECT *, ${NOW_MS_SQL} AS now FROM sources WHERE id = $1`,
      [id],
    );
    return rows[0] && toSource(rows[0], this.secrets, rows[0].now);
  }

  async findSourceByWriteKey(writeKey: string): Promise<Source | undefined> {
    const { rows } = await this.pool.query<SourceRow & { now: number }>(
      `SELECT *, ${NOW_MS_SQL} AS now FROM sources
       WHERE write_key = $1 OR write_key_hash = $2
          OR ((previous_write_key = $1 OR previous_write_key_hash = $2) AND previous_key_expires_at > ${NOW_MS_SQL})
       ORDER BY (write_key = $1 OR write_key_hash IS NOT DISTINCT FROM $2) DESC LIMIT 1`,
      [writeKey, this.secrets.writeKeyDigest(writeKey)],
    );
    return rows[0] && toSource(rows[0], this.secrets, rows[0].now);
  }

  async createIntegration(input: NewIntegration): Promise<Integration> {
    const id = newId('int');
    const { rows } = await this.pool.query<IntegrationRow<boolean>>(
      `INSERT INTO integrations (id, source_id, vendor, name, enabled, config, consent_categories, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, ${NOW_MS_SQL}, ${NOW_MS_SQL}) RETURNING *`,
      [
        id,
        input.sourceId,
        input.vendor,
        input.name,
        input.enabled,
        configColumn(id, input.config, this.secrets),
        JSON.stringify(input.consentCategories),
      ],
    );
    return toIntegration(rows[0]!, this.secrets);
  }

  async getIntegration(id: string): Promise<Integration | undefined> {
    const { rows } = await this.pool.query<IntegrationRow<boolean>>('SELECT * FROM integrations WHERE id = $1', [id]);
    return rows[0] && toIntegration(rows[0], this.secrets);
  }

  async listIntegrations(sourceId?: string): Promise<Integration[]> {
    const { rows } = sourceId
      ? await this.pool.query<IntegrationRow<boolean>>(
          'SELECT * FROM integrations WHERE source_id = $1 ORDER BY created_at, seq',
          [sourceId],
        )
      : await this.pool.query<IntegrationRow<boolean>>('SELECT * FROM integrations ORDER BY created_at, seq');
    return rows.map((row) => toIntegration(row, this.secrets));
  }

  async updateIntegration(id: string, patch: IntegrationPatch): Promise<Integration | undefined> {
    const current = await this.getIntegration(id);
    if (!current) return undefined;
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const next: Integration = { ...current, ...given };
    const { rows } = await this.pool.query<IntegrationRow<boolean>>(
      `UPDATE integrations SET name = $2, enabled = $3, config = $4, consent_categories = $5, updated_at = ${NOW_MS_SQL}
       WHERE id = $1 RETURNING *`,
      [id, next.name, next.enabled, configColumn(id, next.config, this.secrets), JSON.stringify(next.consentCategories)],
    );
    return rows[0] && toIntegration(rows[0], this.secrets);
  }

  async deleteIntegration(id: string): Promise<boolean> {
    return transaction(this.pool, async (client) => {
      // What was waiting for it will never be sent: say so rather than leave it pending for ever.
      await client.query(
        `UPDATE deliveries SET status = 'skipped', reason = 'integration_deleted', reason_code = 'integration_deleted',
           updated_at = ${NOW_MS_SQL}
         WHERE integration_id = $1 AND status IN ('pending', 'blocked')`,
        [id],
      );
      return changed(await client.query('DELETE FROM integrations WHERE id = $1', [id])) > 0;
    });
  }

  appendEvents(sourceId: string, events: NewEvent[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ sourceId, events, size: events.length, resolve, reject });
      if (this.committers < COMMITS_IN_FLIGHT && this.pendingAppends.length === 1) setImmediate(() => void this.commitAppends());
    });
  }

  /**
   * Group commit: the appends requested while the commits in flight were (or during one turn of
   * the event loop) share one transaction, taken round-robin by source up to
   * MAX_EVENTS_PER_COMMIT events; each caller is answered once COMMIT has returned.
   */
  private async commitAppends(): Promise<void> {
    if (this.committers >= COMMITS_IN_FLIGHT || this.pendingAppends.length === 0) return;
    this.committers++;
    try {
      while (this.pendingAppends.length > 0) {
        const { taken: appends, rest } = takeFairShare(this.pendingAppends, MAX_EVENTS_PER_COMMIT);
        this.pendingAppends = rest;
        await this.commitGroup(appends);
      }
    } finally {
      this.committers--;
    }
  }

  private async commitGroup(appends: PendingAppend[]): Promise<void> {
    let queued = false;
    try {
      // Read once committed: a transaction retried after a lost deadlock runs its body again.
      const outcome = await transaction(this.pool, (client) => this.appendTransactionBody(client, appends), {
        queryTimeoutMs: COMMIT_STATEMENT_TIMEOUT_MS,
      });
      queued = outcome.queued;
      appends.forEach((append, i) => append.resolve(outcome.results[i]!));
    } catch (error) {
      if (appends.length === 1 || isConnectionError(error)) {
        for (const append of appends) append.reject(error);
        return;
      }
      // One bad group must not fail the others: retry them one transaction each.
      for (const append of appends) {
        try {
          const single = await transaction(this.pool, (client) => this.appendTransactionBody(client, [append]), {
            queryTimeoutMs: COMMIT_STATEMENT_TIMEOUT_MS,
          });
          queued ||= single.queued;
          append.resolve(single.results[0]!);
        } catch (singleError) {
          append.reject(singleError);
        }
      }
    }
    if (queued) this.notifications.notifyLocal();
  }

  private async appendTransactionBody(
    client: Queryable,
    appends: PendingAppend[],
  ): Promise<{ results: AppendResult[]; queued: boolean }> {
    // The first occurrence of a (source, messageId) in the group is the one to store.
    const seen = new Set<string>();
    const candidates: { append: number; index: number; event: NewEvent; receivedAt: number }[] = [];
    const duplicate = appends.map(({ events }) => events.map(() => false));
    appends.forEach(({ sourceId, events }, append) => {
      events.forEach((event, index) => {
        const key = `${sourceId}\u0000${event.message.messageId}`;
        if (seen.has(key)) duplicate[append]![index] = true;
        else {
          seen.add(key);
          candidates.push({ append, index, event, receivedAt: Date.parse(event.message.receivedAt) });
        }
      });
    });
    const inserted = new Map<string, number>();
    if (candidates.length > 0) {
      const columns = candidates.map(({ append, event, receivedAt }) => {
        const { message } = event;
        const keys = searchKeysOf(message);
        const name = message.type === 'track' ? message.event : message.name;
        return [
          appends[append]!.sourceId,
          message.messageId,
          message.type,
          name ?? null,
          receivedAt,
          keys.userId,
          keys.anonymousId,
          keys.emailHash,
          keys.orderId,
          keys.clickId,
        ];
      });
      const { rows } = await client.query<{ id: number; source_id: string; message_id: string }>({
        ...INSERT_EVENTS,
        values: [...transpose(columns, 10), messageLines(candidates)],
      });
      for (const row of rows) inserted.set(`${row.source_id}\u0000${row.message_id}`, row.id);
    }
    const tally = new MatchQualityTally();
    const deliveries: unknown[][] = [];
    let queued = false;
    for (const { append, index, event, receivedAt } of candidates) {
      const { sourceId } = appends[append]!;
      const eventId = inserted.get(`${sourceId}\u0000${event.message.messageId}`);
      if (eventId === undefined) {
        duplicate[append]![index] = true;
        continue;
      }
      for (const delivery of event.deliveries) {
        const identifiers = [...new Set(delivery.identifiers)];
        deliveries.push([
          eventId,
          delivery.integrationId,
          delivery.status,
          delivery.reason ?? null,
          delivery.reasonCode ?? null,
          JSON.stringify(identifiers),
        ]);
        tally.add(delivery.integrationId, sourceId, receivedAt, identifiers);
        if (delivery.status === 'pending') queued = true;
      }
    }
    if (deliveries.length > 0) {
      // Created, due and in its retry window at the database's time (the statement reads its clock).
      await client.query({ ...INSERT_DELIVERIES, values: transpose(deliveries, 6) });
      const minutes = tally.rows().sort(compareRows);
      await client.query({ ...ADD_MATCH_QUALITY, values: transpose(minutes, 5) });
    }
    await this.updateProfiles(client, appends, candidates, inserted);
    // Delivered to listeners on every machine at COMMIT, never before.
    if (queued) await client.query('SELECT pg_notify($1, current_schema())', [DELIVERIES_CHANNEL]);
    const results = appends.map(({ events }, append): AppendResult => {
      const duplicateIds = events.filter((_, index) => duplicate[append]![index]).map((event) => event.message.messageId);
      return { stored: events.length - duplicateIds.length, duplicates: duplicateIds.length, duplicateIds };
    });
    return { results, queued };
  }

  /**
   * Identify and alias calls, in the order given. Profiles are locked (an advisory lock per
   * profile key, taken in sorted order) so that two processes merging into one profile at once
   * never lose a merge, then read once, merged in memory, and written once.
   */
  private async updateProfiles(
    client: Queryable,
    appends: PendingAppend[],
    candidates: { append: number; event: NewEvent }[],
    inserted: Map<string, number>,
  ): Promise<void> {
    const calls = candidates.filter(
      ({ append, event }) =>
        (event.message.type === 'identify' || (event.message.type === 'alias' && event.anonymousProfileOnly !== true)) &&
        inserted.has(`${appends[append]!.sourceId}\u0000${event.message.messageId}`),
    );
    if (calls.length === 0) return;
    const keysOf = ({ event }: { event: NewEvent }) =>
      event.message.type === 'identify'
        ? profileUpdate(event.message, event.anonymousProfileOnly === true).keys
        : aliasKeys(event.message);
    const wanted = new Set<string>();
    for (const call of calls) for (const key of keysOf(call)) wanted.add(`${appends[call.append]!.sourceId}\u0000${key}`);
    const pairs = transpose(
      [...wanted].sort().map((joined) => joined.split('\u0000')),
      2,
    );
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(s || ' ' || k, 0))
       FROM unnest($1::text[], $2::text[]) AS w(s, k) ORDER BY s, k`,
      pairs,
    );
    const { rows } = await client.query<{ source_id: string; key: string; traits: string }>(
      `SELECT p.source_id, p.key, p.traits FROM profiles p
       JOIN unnest($1::text[], $2::text[]) AS w(source_id, key) ON p.source_id = w.source_id AND p.key = w.key`,
      pairs,
    );
    const profiles = new Map(rows.map((row) => [`${row.source_id}\u0000${row.key}`, JSON.parse(row.traits) as Traits]));
    const written = new Set<string>();
    for (const { append, event } of calls) {
      const { sourceId } = appends[append]!;
      const at = (key: string) => `${sourceId}\u0000${key}`;
      const message: EnrichedMessage = event.message;
      if (message.type === 'identify') {
        const { keys, traits } = profileUpdate(message, event.anonymousProfileOnly === true);
        for (const key of keys) {
          profiles.set(at(key), mergeTraits(profiles.get(at(key)), traits));
          written.add(at(key));
        }
      } else {
        const found = new Map<string, Traits>();
        for (const key of aliasKeys(message)) {
          const traits = profiles.get(at(key));
          if (traits) found.set(key, traits);
        }
        for (const [key, traits] of aliasProfiles(message, found)) {
          profiles.set(at(key), traits);
          written.add(at(key));
        }
      }
    }
    const values = [...written].sort().map((joined) => [...joined.split('\u0000'), JSON.stringify(profiles.get(joined))]);
    await client.query(
      `INSERT INTO profiles (source_id, key, traits, updated_at)
       SELECT p.*, ${NOW_MS_SQL} FROM unnest($1::text[], $2::text[], $3::text[]) AS p
       ON CONFLICT (source_id, key) DO UPDATE SET traits = excluded.traits, updated_at = excluded.updated_at`,
      transpose(values, 3),
    );
  }

  async getProfileTraits(sourceId: string, userId?: string, anonymousId?: string): Promise<Traits | undefined> {
    return (await this.profileTraitsFor(sourceId, [{ userId, anonymousId }]))[0];
  }

  async profileTraitsFor(sourceId: string, people: readonly Person[]): Promise<(Traits | undefined)[]> {
    const keys = new Set(people.flatMap(personKeys));
    if (keys.size === 0) return people.map(() => undefined);
    const { rows } = await this.pool.query<{ key: string; traits: string }>(
      'SELECT key, traits FROM profiles WHERE source_id = $1 AND key = ANY($2::text[])',
      [sourceId, [...keys]],
    );
    const found = new Map(rows.map((row) => [row.key, JSON.parse(row.traits) as Traits]));
    return people.map((person) => traitsOfPerson(person, found));
  }

  async leaseDeliveries(request: LeaseRequest): Promise<LeasedDelivery[]> {
    const { sql, params } = leaseQuery(request);
    const { rows } = await queryLarge<LeasedRow>(this.pool, sql, params);
    if (rows.length === 0) return [];
    rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id);
    const events: StoredEventRow[] = [];
    for (const row of rows) {
      if (row.event_message !== null)
        events.push({ id: row.event_id, source_id: row.event_source_id!, message: row.event_message });
    }
    const integrations = await this.pool.query<IntegrationRow<boolean>>('SELECT * FROM integrations WHERE id = ANY($1::text[])', [
      [...new Set(rows.map((row) => row.integration_id))],
    ]);
    const { leased, orphans } = assembleLeases(
      rows,
      events,
      integrations.rows.map((row) => toIntegration(row, this.secrets)),
      (row) => row.leased_at,
    );
    if (orphans.length > 0) await this.completeDeliveries(request.owner, orphans);
    return leased;
  }

  async completeDeliveries(owner: string, results: DeliveryResult[]): Promise<void> {
    if (results.length === 0) return;
    const columns = completionColumns(results);
    const values = columns.map((c, index) => [
      index,
      c.id,
      c.status,
      c.reason,
      c.reasonCode,
      c.counts,
      c.retryInMs,
      c.purchaseValue,
      c.purchaseCurrency,
      c.httpStatus,
    ]);
    await this.pool.query({
      ...COMPLETE_DELIVERIES,
      values: [
        owner,
        ...transpose(values, 10),
        jsonLines(columns.map((c) => c.identifiers)),
        jsonLines(columns.map((c) => c.payload)),
        jsonLines(columns.map((c) => c.response)),
      ],
    });
  }

  async listEvents(query: EventQuery): Promise<EventRecord[]> {
    const { sql, params } = eventListQuery(query);
    // Up to 500 events with their payloads and answers: large answers (queryLarge).
    const { rows: events } = await queryLarge<StoredEventRow>(this.pool, sql, params);
    if (events.length === 0) return [];
    const eventIds = events.map((event) => event.id);
    const [deliveryRows, attemptRows] = await Promise.all([
      queryLarge<NamedDeliveryRow>(
        this.pool,
        `SELECT d.*, i.name AS integration_name FROM deliveries d LEFT JOIN integrations i ON i.id = d.integration_id
         WHERE d.event_id = ANY($1::bigint[]) ORDER BY d.id`,
        [eventIds],
      ),
      this.pool.query<DeliveryAttemptRow>(
        `SELECT a.* FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
         WHERE d.event_id = ANY($1::bigint[]) ORDER BY a.id`,
        [eventIds],
      ),
    ]);
    return assembleEventRecords(events, deliveryRows.rows, attemptRows.rows);
  }

  async dueIntegrations(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM integrations i WHERE EXISTS (
         SELECT 1 FROM deliveries d
         WHERE d.integration_id = i.id AND d.status = 'pending' AND d.next_attempt_at <= ${NOW_MS_SQL}
           AND d.lease_until < ${NOW_MS_SQL})
         AND NOT EXISTS (SELECT 1 FROM lane_rests r WHERE r.integration_id = i.id AND r.until > ${NOW_MS_SQL})
       ORDER BY i.created_at, i.seq`,
    );
    return rows.map((row) => row.id);
  }

  async pauseIntegration(id: string, reason: string): Promise<void> {
    await transaction(this.pool, async (client) => {
      const now = await databaseNow(client);
      await client.query('UPDATE integrations SET paused_reason = $2, updated_at = $3 WHERE id = $1', [id, reason, now]);
      await client.query(
        `UPDATE deliveries SET status = 'blocked', reason = $2, reason_code = 'credentials_refused', updated_at = $3
         WHERE integration_id = $1 AND status = 'pending' AND lease_until < $3`,
        [id, `paused: ${reason}`, now],
      );
    });
  }

  async resumeIntegration(id: string): Promise<number> {
    const count = await transaction(this.pool, async (client) => {
      const now = await databaseNow(client);
      await client.query('UPDATE integrations SET paused_reason = NULL, updated_at = $2 WHERE id = $1', [id, now]);
      return changed(
        await client.query(
          `UPDATE deliveries SET status = 'pending', next_attempt_at = $2, retry_from = $2,
             reason = 'requeued: credentials changed', reason_code = 'credentials_changed', updated_at = $2
           WHERE integration_id = $1 AND status = 'blocked'`,
          [id, now],
        ),
      );
    });
    return this.queued(count);
  }

  async requeueParked(integrationId: string, reasonCodes: readonly string[]): Promise<number> {
    const result = await this.pool.query(
      `WITH now AS (SELECT ${NOW_MS_SQL} AS ms)
       UPDATE deliveries SET status = 'pending', next_attempt_at = now.ms, retry_from = now.ms,
         reason = 'requeued: settings changed', reason_code = 'config_changed', updated_at = now.ms
       FROM now WHERE integration_id = $1 AND status = 'blocked' AND reason_code = ANY($2::text[])`,
      [integrationId, [...reasonCodes]],
    );
    return this.queued(changed(result));
  }

  async replayDeliveries(filter: ReplayFilter): Promise<number> {
    const result = await this.pool.query(
      `WITH now AS (SELECT ${NOW_MS_SQL} AS ms)
       UPDATE deliveries SET status = 'pending', next_attempt_at = now.ms, retry_from = now.ms, updated_at = now.ms,
         reason = 'replayed', reason_code = 'replayed'
       FROM now
       WHERE status = ANY($1::text[])
         AND ($2::bigint IS NULL OR id = $2)
         AND ($3::text IS NULL OR integration_id = $3)
         AND ($4::text IS NULL OR strpos(reason, $4) > 0)
         AND ($5::text IS NULL OR reason_code = $5)
         AND ($6::bigint IS NULL AND $7::bigint IS NULL OR event_id IN (
           SELECT id FROM events WHERE ($6::bigint IS NULL OR received_at >= $6) AND ($7::bigint IS NULL OR received_at < $7)))`,
      [
        [...(filter.statuses ?? ['dead'])],
        filter.deliveryId ?? null,
        filter.integrationId ?? null,
        filter.reason ?? null,
        filter.reasonCode ?? null,
        filter.from ?? null,
        filter.to ?? null,
      ],
    );
    return this.queued(changed(result));
  }

  /** Wakes this process's workers when `count` deliveries became pending outside an append. */
  private queued(count: number): number {
    if (count > 0) this.notifications.notifyLocal();
    return count;
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, skipped: 0, failed: 0, blocked: 0, dead: 0 };
    // An index-only count (of deliveries_by_integration), on the database's CPU: no process's event
    // loop waits for it, and no shared counter row serialises the writers of every machine.
    const { rows } = await this.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*) AS n FROM deliveries GROUP BY status',
    );
    for (const row of rows) counts[row.status as DeliveryStatus] = row.n;
    return counts;
  }

  async close(): Promise<void> {
    // Appends already accepted are committed first: their callers are waiting for the answer.
    while (this.committers > 0 || this.pendingAppends.length > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.notifications.close();
    await this.pool.end();
  }
}

/** A leased delivery's row as the lease returns it: with the lease's time, and its event's source and message. */
type LeasedRow = DeliveryRow & { leased_at: number; event_source_id: string | null; event_message: string | null };

/** Rows as columns: the arrays `unnest` takes, one per column. */
function transpose(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  const columns = Array.from({ length: width }, (): unknown[] => []);
  for (const row of rows) for (let i = 0; i < width; i++) columns[i]!.push(row[i]);
  return columns;
}

/**
 * JSON texts (or NULLs) a line each, the text `string_to_array(…, E'\n', '')` splits back: JSON as
 * JSON.stringify writes it has no raw line break, and no JSON text is empty, so an empty line is NULL.
 */
function jsonLines(texts: readonly (string | null)[]): string {
  return texts.map((text) => text ?? '').join('\n');
}

/** The events' messages as JSON, a line each, the text `string_to_array(…, E'\n')` splits back. */
function messageLines(candidates: readonly { event: NewEvent }[]): string {
  return candidates.map(({ event }) => JSON.stringify(event.message)).join('\n');
}

/** Orders rows by their leading text and number columns, the order the counters are locked in. */
function compareRows(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length - 1; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/** True for errors of reaching the database (not of the data): retrying one append alone would fail too. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return !/^[0-9A-Z]{5}$/.test(code) || code.startsWith('08') || code.startsWith('57P');
}
