import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { EnrichedMessage, Traits } from '@datafirst/protocol';
import type {
  AppendResult,
  Delivery,
  DeliveryAttempt,
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
import { createSecretBox, type SecretBox } from '../secret-box.js';
import { SqliteAdminStore } from './admin-store.js';
import { SqliteLinkStore } from './link-store.js';
import { MIGRATIONS } from './migrations.js';
import {
  findSourceRow,
  newWriteKey,
  openConfig,
  sealConfig,
  sealStoredSecrets,
  toSource,
  writeKeyColumns,
} from './sealed-rows.js';
import { iso, json, parse, type Row } from './columns.js';

export interface SqliteStoreOptions {
  /** Database file; ':memory:' for a throwaway store. */
  path: string;
  /**
   * `normal` (default): WAL with synchronous=NORMAL, an acknowledged write survives a crash of
   * the process. `full`: fsync on every commit, so it also survives power loss, at a cost.
   */
  durability?: 'normal' | 'full';
  /**
   * Encrypts access tokens and write keys at rest (AES-256-GCM, keys derived with HKDF) and
   * seals those already stored as they are. At least 32 characters; the store refuses to open a
   * database whose secrets were sealed with another key.
   */
  secretKey?: string;
}

/** A random id with a readable prefix, e.g. `src_4f9…`. */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** Opens (creating and migrating as needed) a SQLite store. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  // Several processes (e.g. extra workers) may share the file: wait for a lock rather than fail.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  try {
    const box = createSecretBox(options.secretKey);
    sealStoredSecrets(db, box);
    return new SqliteStore(db, box);
  } catch (error) {
    db.close(); // e.g. the wrong secret key: nothing may stay open on a refused start
    throw error;
  }
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)');
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((row) => (row as Row).version as number),
  );
  // Versions are reserved ahead by parallel work, so the list may not be in order: apply by number.
  for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        Date.now(),
      );
    }).immediate();
  }
}

// The box opens sealed access tokens: everyone reading an integration, the worker first, gets plaintext.
function toIntegration(row: Row, box: SecretBox): Integration {
  return {
    id: row.id as string,
    sourceId: row.source_id as string,
    vendor: row.vendor as 'snapchat',
    name: row.name as string,
    enabled: row.enabled === 1,
    config: openConfig(row.config, row.id as string, box),
    consentCategories: parse<string[]>(row.consent_categories)!,
    pausedReason: (row.paused_reason as string | null | undefined) ?? null,
    createdAt: iso(row.created_at as number),
    updatedAt: iso(row.updated_at as number),
  };
}

function toDelivery(row: Row): Delivery {
  return {
    id: row.id as number,
    eventId: row.event_id as number,
    integrationId: row.integration_id as string,
    status: row.status as DeliveryStatus,
    attempts: row.attempts as number,
    nextAttemptAt: row.next_attempt_at as number,
    reason: (row.reason as string | null) ?? null,
    payload: parse(row.payload),
    response: parse(row.response),
    updatedAt: iso(row.updated_at as number),
    retryFrom: row.retry_from as number,
  };
}

/** Traits an identify call carries: its own `traits`, then any in `context.traits`. */
function identifyTraits(message: EnrichedMessage): Traits {
  return { ...(message.context.traits ?? {}), ...(message.traits ?? {}) };
}

/** An append waiting for the next group commit. */
interface PendingAppend {
  sourceId: string;
  events: NewEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

class SqliteStore implements Store {
  private pendingAppends: PendingAppend[] = [];
  readonly links: SqliteLinkStore;
  readonly admin: SqliteAdminStore;
  private readonly statements;
  private readonly appendTransaction;
  private readonly completeTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly box: SecretBox,
  ) {
    this.links = new SqliteLinkStore(db);
    this.admin = new SqliteAdminStore(db, box);
    this.appendTransaction = db.transaction(this.appendTransactionBody.bind(this));
    this.completeTransaction = db.transaction(this.completeTransactionBody.bind(this));
    this.statements = {
      insertEvent: db.prepare(
        `INSERT INTO events (source_id, message_id, type, name, received_at, message)
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id, message_id) DO NOTHING`,
      ),
      insertDelivery: db.prepare(
        `INSERT INTO deliveries (event_id, integration_id, status, next_attempt_at, reason, created_at, updated_at, retry_from)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      getProfile: db.prepare('SELECT traits FROM profiles WHERE source_id = ? AND key = ?'),
      upsertProfile: db.prepare(
        `INSERT INTO profiles (source_id, key, traits, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (source_id, key) DO UPDATE SET traits = excluded.traits, updated_at = excluded.updated_at`,
      ),
      lease: db.prepare(
        `UPDATE deliveries SET lease_owner = @owner, lease_until = @until
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE status = 'pending' AND next_attempt_at <= @now AND lease_until < @now
           ORDER BY next_attempt_at, id LIMIT @limit)
         RETURNING *`,
      ),
      // A separate statement, so SQLite walks the per-integration index rather than an OR.
      leaseForIntegration: db.prepare(
        `UPDATE deliveries SET lease_owner = @owner, lease_until = @until
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE integration_id = @integration AND status = 'pending' AND next_attempt_at <= @now AND lease_until < @now
           ORDER BY next_attempt_at, id LIMIT @limit)
         RETURNING *`,
      ),
      eventsByIds: db.prepare('SELECT id, source_id, message FROM events WHERE id IN (SELECT value FROM json_each(?))'),
      profilesByKeys: db.prepare(
        'SELECT key, traits FROM profiles WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))',
      ),
      complete: db.prepare(
        `UPDATE deliveries SET status = @status, reason = @reason, payload = coalesce(@payload, payload),
           response = coalesce(@response, response), attempts = attempts + @counts,
           next_attempt_at = coalesce(@next, next_attempt_at), lease_owner = NULL, lease_until = 0,
           updated_at = @now
         WHERE id = @id AND lease_owner = @owner`,
      ),
      insertAttempt: db.prepare(
        'INSERT INTO delivery_attempts (delivery_id, at, status, http_status, reason) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  async createSource(input: { name: string; writeKey?: string }): Promise<Source> {
    const id = newId('src');
    const source = {
      id,
      name: input.name,
      ...writeKeyColumns(id, input.writeKey ?? newWriteKey(), this.box),
      created_at: Date.now(),
    };
    this.db
      .prepare(
        'INSERT INTO sources (id, name, write_key, write_key_hash, created_at) VALUES (@id, @name, @write_key, @write_key_hash, @created_at)',
      )
      .run(source);
    return toSource(source, this.box);
  }

  async listSources(): Promise<Source[]> {
    return this.db
      .prepare('SELECT * FROM sources ORDER BY created_at, id')
      .all()
      .map((row) => toSource(row as Row, this.box));
  }

  async getSource(id: string): Promise<Source | undefined> {
    const row = this.db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as Row | undefined;
    return row && toSource(row, this.box);
  }

  async findSourceByWriteKey(writeKey: string): Promise<Source | undefined> {
    const row = findSourceRow(this.db, writeKey, this.box, Date.now());
    return row && toSource(row, this.box);
  }

  async createIntegration(input: NewIntegration): Promise<Integration> {
    const now = Date.now();
    const id = newId('int');
    const row = {
      id,
      source_id: input.sourceId,
      vendor: input.vendor,
      name: input.name,
      enabled: input.enabled ? 1 : 0,
      config: sealConfig(input.config, id, this.box),
      consent_categories: JSON.stringify(input.consentCategories),
      created_at: now,
      updated_at: now,
    };
    this.db
      .prepare(
        `INSERT INTO integrations (id, source_id, vendor, name, enabled, config, consent_categories, created_at, updated_at)
         VALUES (@id, @source_id, @vendor, @name, @enabled, @config, @consent_categories, @created_at, @updated_at)`,
      )
      .run(row);
    return toIntegration({ ...row, paused_reason: null }, this.box);
  }

  async getIntegration(id: string): Promise<Integration | undefined> {
    const row = this.db.prepare('SELECT * FROM integrations WHERE id = ?').get(id) as Row | undefined;
    return row && toIntegration(row, this.box);
  }

  async listIntegrations(sourceId?: string): Promise<Integration[]> {
    const rows = sourceId
      ? this.db.prepare('SELECT * FROM integrations WHERE source_id = ? ORDER BY created_at, id').all(sourceId)
      : this.db.prepare('SELECT * FROM integrations ORDER BY created_at, id').all();
    return rows.map((row) => toIntegration(row as Row, this.box));
  }

  async updateIntegration(id: string, patch: IntegrationPatch): Promise<Integration | undefined> {
    const current = await this.getIntegration(id);
    if (!current) return undefined;
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const next = { ...current, ...given };
    this.db
      .prepare(`UPDATE integrations SET name = ?, enabled = ?, config = ?, consent_categories = ?, updated_at = ? WHERE id = ?`)
      .run(
        next.name,
        next.enabled ? 1 : 0,
        sealConfig(next.config, id, this.box),
        JSON.stringify(next.consentCategories),
        Date.now(),
        id,
      );
    return this.getIntegration(id);
  }

  async deleteIntegration(id: string): Promise<boolean> {
    return this.db
      .transaction(() => {
        // What was waiting for it will never be sent: say so rather than leave it pending for ever.
        this.db
          .prepare(
            `UPDATE deliveries SET status = 'skipped', reason = 'integration_deleted', updated_at = ? WHERE integration_id = ? AND status IN ('pending', 'blocked')`,
          )
          .run(Date.now(), id);
        return this.db.prepare('DELETE FROM integrations WHERE id = ?').run(id).changes > 0;
      })
      .immediate();
  }

  appendEvents(sourceId: string, events: NewEvent[]): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      this.pendingAppends.push({ sourceId, events, resolve, reject });
      if (this.pendingAppends.length === 1) setImmediate(() => this.commitAppends());
    });
  }

  /**
   * Group commit: every append requested during one turn of the event loop goes into a single
   * transaction. A commit, not an insert, is what costs (the WAL write), so concurrent requests
   * share one; each caller is answered only once the commit holding its events is done.
   */
  private commitAppends(): void {
    const appends = this.pendingAppends;
    this.pendingAppends = [];
    try {
      const results = this.appendTransaction.immediate(appends);
      appends.forEach((append, i) => append.resolve(results[i]!));
    } catch {
      // One bad group must not fail the others: retry them one transaction each.
      for (const append of appends) {
        try {
          append.resolve(this.appendTransaction.immediate([append])[0]!);
        } catch (error) {
          append.reject(error);
        }
      }
    }
  }

  private appendTransactionBody(appends: PendingAppend[]): AppendResult[] {
    return appends.map(({ sourceId, events }) => this.appendGroup(sourceId, events));
  }

  private appendGroup(sourceId: string, events: NewEvent[]): AppendResult {
    const s = this.statements;
    const now = Date.now();
    let stored = 0;
    for (const { message, deliveries } of events) {
      const name = message.type === 'track' ? message.event : message.name;
      const inserted = s.insertEvent.run(
        sourceId,
        message.messageId,
        message.type,
        name ?? null,
        Date.parse(message.receivedAt),
        JSON.stringify(message),
      );
      if (inserted.changes === 0) continue;
      stored++;
      const eventId = inserted.lastInsertRowid;
      for (const delivery of deliveries) {
        s.insertDelivery.run(eventId, delivery.integrationId, delivery.status, now, delivery.reason ?? null, now, now, now);
      }
      if (message.type === 'identify') this.mergeProfile(sourceId, message, now);
    }
    return { stored, duplicates: events.length - stored };
  }

  private mergeProfile(sourceId: string, message: EnrichedMessage, now: number): void {
    // The userId is kept with the traits, so a later anonymous event of the same visitor still
    // carries the person's external id.
    const traits = { ...identifyTraits(message), ...(message.userId ? { userId: message.userId } : {}) };
    const keys = [message.userId && `u:${message.userId}`, message.anonymousId && `a:${message.anonymousId}`];
    for (const key of keys) {
      if (!key) continue;
      const row = this.statements.getProfile.get(sourceId, key) as Row | undefined;
      const merged = { ...(parse<Traits>(row?.traits) ?? {}), ...traits };
      this.statements.upsertProfile.run(sourceId, key, JSON.stringify(merged), now);
    }
  }

  async getProfileTraits(sourceId: string, userId?: string, anonymousId?: string): Promise<Traits | undefined> {
    return (await this.profileTraitsFor(sourceId, [{ userId, anonymousId }]))[0];
  }

  async profileTraitsFor(sourceId: string, people: readonly Person[]): Promise<(Traits | undefined)[]> {
    const keys = new Set<string>();
    for (const person of people) {
      if (person.userId) keys.add(`u:${person.userId}`);
      if (person.anonymousId) keys.add(`a:${person.anonymousId}`);
    }
    if (keys.size === 0) return people.map(() => undefined);
    const found = new Map(
      (this.statements.profilesByKeys.all(sourceId, JSON.stringify([...keys])) as Row[]).map((row) => [
        row.key as string,
        row.traits as string,
      ]),
    );
    if (found.size === 0) return people.map(() => undefined);
    return people.map(({ userId, anonymousId }) => {
      const byAnonymous = anonymousId ? found.get(`a:${anonymousId}`) : undefined;
      const byUser = userId ? found.get(`u:${userId}`) : undefined;
      if (!byAnonymous && !byUser) return undefined;
      return { ...(parse<Traits>(byAnonymous) ?? {}), ...(parse<Traits>(byUser) ?? {}) };
    });
  }

  async leaseDeliveries(request: LeaseRequest): Promise<LeasedDelivery[]> {
    const params = { owner: request.owner, until: request.now + request.leaseMs, now: request.now, limit: request.limit };
    const rows = (
      request.integrationId
        ? this.statements.leaseForIntegration.all({ ...params, integration: request.integrationId })
        : this.statements.lease.all(params)
    ) as Row[];
    if (rows.length === 0) return [];
    const integrations = new Map<string, Integration | undefined>();
    // One query for all the leased deliveries' events, not one each.
    const eventRows = new Map(
      (this.statements.eventsByIds.all(JSON.stringify(rows.map((row) => row.event_id))) as Row[]).map((row) => [row.id, row]),
    );
    const leased: LeasedDelivery[] = [];
    for (const row of rows) {
      const delivery = toDelivery(row);
      if (!integrations.has(delivery.integrationId)) {
        integrations.set(delivery.integrationId, await this.getIntegration(delivery.integrationId));
      }
      const integration = integrations.get(delivery.integrationId);
      const eventRow = eventRows.get(delivery.eventId);
      if (!integration || !eventRow) {
        // The integration was deleted after the event arrived: nothing to send it to.
        await this.completeDeliveries(request.owner, [
          { deliveryId: delivery.id, status: 'skipped', reason: 'integration_deleted', countsAsAttempt: false },
        ]);
        continue;
      }
      leased.push({
        delivery,
        integration,
        event: {
          id: eventRow.id as number,
          sourceId: eventRow.source_id as string,
          message: parse<EnrichedMessage>(eventRow.message)!,
        },
      });
    }
    return leased;
  }

  async completeDeliveries(owner: string, results: DeliveryResult[]): Promise<void> {
    this.completeTransaction.immediate(owner, results);
  }

  private completeTransactionBody(owner: string, results: DeliveryResult[]): void {
    const now = Date.now();
    // A batch's results share one answer object: serialise it once.
    let lastResponse: unknown;
    let lastResponseJson: string | null = null;
    for (const result of results) {
      if (result.response !== lastResponse) {
        lastResponse = result.response;
        lastResponseJson = json(result.response);
      }
      const counts = result.countsAsAttempt === false ? 0 : 1;
      const changed = this.statements.complete.run({
        id: result.deliveryId,
        owner,
        status: result.status,
        reason: result.reason ?? null,
        payload: json(result.payload),
        response: lastResponseJson,
        counts,
        next: result.nextAttemptAt ?? null,
        now,
      }).changes;
      // A lease that expired and was taken by another worker is theirs now: record nothing.
      if (changed > 0 && counts > 0) {
        this.statements.insertAttempt.run(
          result.deliveryId,
          now,
          result.status,
          result.httpStatus ?? null,
          result.reason ?? null,
        );
      }
    }
  }

  async listEvents(query: EventQuery): Promise<EventRecord[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: Math.min(Math.max(query.limit ?? 50, 1), 500) };
    if (query.sourceId) {
      where.push('e.source_id = @sourceId');
      params.sourceId = query.sourceId;
    }
    if (query.name) {
      where.push('e.name = @name');
      params.name = query.name;
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
    const events = this.db
      .prepare(
        `SELECT e.id, e.source_id, e.message FROM events e ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY e.id DESC LIMIT @limit`,
      )
      .all(params) as Row[];
    const deliveriesOf = this.db.prepare(
      `SELECT d.*, i.name AS integration_name FROM deliveries d LEFT JOIN integrations i ON i.id = d.integration_id
       WHERE d.event_id = ? ORDER BY d.id`,
    );
    const historyOf = this.db.prepare(
      'SELECT at, status, http_status, reason FROM delivery_attempts WHERE delivery_id = ? ORDER BY id',
    );
    return events.map((row) => ({
      id: row.id as number,
      sourceId: row.source_id as string,
      message: parse<EnrichedMessage>(row.message)!,
      deliveries: (deliveriesOf.all(row.id) as Row[]).map((d) => ({
        ...toDelivery(d),
        integrationName: (d.integration_name as string | null) ?? '(deleted)',
        history: (historyOf.all(d.id) as Row[]).map((h): DeliveryAttempt => ({
          at: iso(h.at as number),
          status: h.status as DeliveryStatus,
          httpStatus: (h.http_status as number | null) ?? null,
          reason: (h.reason as string | null) ?? null,
        })),
      })),
    }));
  }

  async dueIntegrations(now: number): Promise<string[]> {
    const rows = this.db
      // Per integration through its index, so a deep backlog costs no more to look at than a short one.
      .prepare(
        `SELECT id FROM integrations i WHERE EXISTS (
           SELECT 1 FROM deliveries d
           WHERE d.integration_id = i.id AND d.status = 'pending' AND d.next_attempt_at <= ? AND d.lease_until < ?)`,
      )
      .all(now, now) as Row[];
    return rows.map((row) => row.id as string);
  }

  async pauseIntegration(id: string, reason: string): Promise<void> {
    const now = Date.now();
    this.db
      .transaction(() => {
        this.db.prepare('UPDATE integrations SET paused_reason = ?, updated_at = ? WHERE id = ?').run(reason, now, id);
        this.db
          .prepare(
            `UPDATE deliveries SET status = 'blocked', reason = ?, updated_at = ?
           WHERE integration_id = ? AND status = 'pending' AND lease_until < ?`,
          )
          .run(`paused: ${reason}`, now, id, now);
      })
      .immediate();
  }

  async resumeIntegration(id: string): Promise<number> {
    const now = Date.now();
    return this.db
      .transaction(() => {
        this.db.prepare('UPDATE integrations SET paused_reason = NULL, updated_at = ? WHERE id = ?').run(now, id);
        return this.db
          .prepare(
            `UPDATE deliveries SET status = 'pending', next_attempt_at = ?, reason = 'requeued: credentials changed', updated_at = ?
           WHERE integration_id = ? AND status = 'blocked'`,
          )
          .run(now, now, id).changes;
      })
      .immediate();
  }

  async replayDeadLetters(filter: ReplayFilter): Promise<number> {
    const now = Date.now();
    return this.db
      .prepare(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = @now, retry_from = @now, updated_at = @now,
           reason = 'replayed'
         WHERE status = 'dead'
           AND (@integrationId IS NULL OR integration_id = @integrationId)
           AND (@reason IS NULL OR instr(reason, @reason) > 0)
           AND (@from IS NULL AND @to IS NULL OR event_id IN (
             SELECT id FROM events WHERE (@from IS NULL OR received_at >= @from) AND (@to IS NULL OR received_at < @to)))`,
      )
      .run({
        now,
        integrationId: filter.integrationId ?? null,
        reason: filter.reason ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
      }).changes;
  }

  async countDeliveries(): Promise<Record<DeliveryStatus, number>> {
    const counts: Record<DeliveryStatus, number> = { pending: 0, delivered: 0, skipped: 0, failed: 0, blocked: 0, dead: 0 };
    for (const row of this.db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as Row[]) {
      counts[row.status as DeliveryStatus] = row.n as number;
    }
    return counts;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
