import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStoreContract } from '../contract/store-contract.js';
import { message, pending, SECRET_CONFIG_KEYS, SECRET_KEY, sourceWithIntegration } from '../contract/harness.js';
import type { EventQuery, EventSearch, Store } from '../store.js';
import { eventListQuery } from './event-list-query.js';
import { MIGRATIONS } from './migrations.js';
import { openSqliteStore } from './sqlite-store.js';

describeStoreContract('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'datafirst-store-'));
  const path = join(dir, 'test.db');
  return {
    open: async (options) => openSqliteStore({ path, ...options }),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

// What only a SQLite file can show: its migrations, its raw contents, its journal.
describe('SQLite engine', () => {
  let dir: string;
  let path: string;
  let store: Store | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'datafirst-sqlite-'));
    path = join(dir, 'test.db');
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (options: { secretKey?: string; durability?: 'normal' | 'full' } = {}) =>
    (store = openSqliteStore({ path, secretConfigKeys: SECRET_CONFIG_KEYS, ...options }));

  /** Changes the file with the deliveries' triggers dropped and put back, in one transaction: nothing counts the change. */
  function withoutCounters(change: (db: Database.Database) => void): void {
    const db = new Database(path);
    try {
      db.transaction(() => {
        const triggers = db
          .prepare<[], { name: string; sql: string }>(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'deliveries'",
          )
          .all();
        for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
        change(db);
        for (const { sql } of triggers) db.exec(sql);
      })();
    } finally {
      db.close();
    }
  }

  /** Reads the file around the store. */
  function raw<T>(read: (db: Database.Database) => T): T {
    const db = new Database(path, { readonly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  }

  it('refuses an event whose receivedAt is not a time, rather than skip it as a repeat, and stores the rest of the commit', async () => {
    const { integration, source } = await sourceWithIntegration(open());
    const bad = { message: { ...message('bad-time'), receivedAt: 'yesterday' }, deliveries: [pending(integration.id)] };
    const good = { message: message('good-time'), deliveries: [pending(integration.id)] };
    const [refused, stored] = await Promise.allSettled([
      store!.appendEvents(source.id, [bad]),
      store!.appendEvents(source.id, [good]),
    ]);
    expect(refused).toEqual({ status: 'rejected', reason: new Error('receivedAt is not a time: "yesterday"') });
    expect(stored).toEqual({ status: 'fulfilled', value: { stored: 1, duplicates: 0, duplicateIds: [] } });
    expect(raw((db) => db.prepare('SELECT message_id FROM events').pluck().all())).toEqual(['good-time']);
  });

  it('counts deliveries by status without reading the deliveries table, so the count costs as little at 200,000 rows', async () => {
    const { integration, source } = await sourceWithIntegration(open());
    await store!.close();
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
      INSERT INTO events (id, source_id, message_id, type, received_at, message)
        SELECT i, '${source.id}', 'm-' || i, 'track', 0, '{}' FROM n;
      INSERT INTO deliveries (event_id, integration_id, status, attempts, next_attempt_at, lease_until, created_at, updated_at)
        SELECT id, '${integration.id}', CASE WHEN id % 4 = 0 THEN 'delivered' ELSE 'pending' END, 0, 0, 0, 0, 0 FROM events;
      UPDATE deliveries SET status = 'dead' WHERE event_id <= 10;
      DELETE FROM events WHERE id BETWEEN 11 AND 20;
    `);
    db.close();
    const reopened = open();
    expect(await reopened.countDeliveries()).toEqual({
      pending: 149_985,
      delivered: 49_995,
      skipped: 0,
      failed: 0,
      blocked: 0,
      dead: 10,
    });
    // The same counts with the rows gone behind the counters' back: they are not what is read.
    await reopened.close();
    withoutCounters((db) => db.exec('DELETE FROM deliveries'));
    expect(await open().countDeliveries()).toMatchObject({ pending: 149_985, delivered: 49_995, dead: 10 });
  });

  it('reads match quality from precomputed minutes: as cheap at 100,000 deliveries of the day, a deep event no matter', async () => {
    const { integration, source } = await sourceWithIntegration(open());
    let deep: unknown = 'bottom';
    for (let i = 0; i < 3000; i++) deep = { a: deep };
    await store!.appendEvents(source.id, [
      {
        message: message('deep-1', { properties: { deep } }),
        deliveries: [{ integrationId: integration.id, status: 'pending' }],
      },
    ]);
    // On a minute: match quality counts whole minutes, so the hour then starts exactly an hour back.
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    // Written as ingest writes them, so that each group commit's tally is what is counted.
    for (let chunk = 0; chunk < 20; chunk++) {
      const events = Array.from({ length: 5000 }, (_, j) => {
        const i = chunk * 5000 + j + 1;
        return {
          message: message(`m-${i}`, { receivedAt: new Date(now - i * 500).toISOString() }),
          deliveries: [{ integrationId: integration.id, status: 'pending' as const, identifiers: i % 2 === 0 ? ['email'] : [] }],
        };
      });
      await store!.appendEvents(source.id, events);
    }
    await store!.close();
    // The deliveries gone behind the minutes' back: match quality is read from the minutes, so
    // it costs as little whatever the day's deliveries, rather than counting them at request time.
    withoutCounters((db) => db.exec('DELETE FROM deliveries'));
    const answer = await open().admin.matchQuality({ now });
    // 100,000 × 0.5 s reach back 13.9 hours: all in the day; 7,200 of them in the last hour.
    expect(answer).toEqual([
      {
        integrationId: integration.id,
        integrationName: 'Pixel',
        lastHour: { events: 7_200 + 1, carrying: { email: 3_600 } },
        lastDay: { events: 100_001, carrying: { email: 50_000 } },
      },
    ]);
  });

  /** Every text stored in the secret-bearing columns. */
  const rawSecrets = () =>
    raw((db) =>
      JSON.stringify([
        db.prepare('SELECT write_key, previous_write_key FROM sources').all(),
        db.prepare('SELECT config FROM integrations').all(),
        db.prepare('SELECT url FROM warehouses').all(),
      ]),
    );

  it('applies each migration once, across reopening the file', async () => {
    await open().close();
    await open().close();
    store = undefined;
    const versions = raw((db) =>
      db
        .prepare<[], { version: number }>('SELECT version FROM schema_migrations ORDER BY version')
        .all()
        .map((row) => row.version),
    );
    expect(versions).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 12, 15, 20, 21, 22, 23, 30, 31, 32, 34, 35, 36, 37]);
  });

  it('migrates a file written before reason codes, identifiers and ad click ids, keeping its data', async () => {
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) {
      old.exec(migration.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    old.exec(`
      INSERT INTO sources (id, name, write_key, created_at) VALUES ('src_old', 'Old', 'wk_old', 1);
      INSERT INTO integrations (id, source_id, vendor, name, enabled, config, consent_categories, created_at, updated_at)
        VALUES ('int_old', 'src_old', 'example', 'Old pixel', 1, '{}', '[]', 1, 1);
      INSERT INTO events (id, source_id, message_id, type, name, received_at, message)
        VALUES (1, 'src_old', 'm-old', 'track', 'Order Completed', 1, '${JSON.stringify(message('m-old'))}');
      INSERT INTO deliveries (id, event_id, integration_id, status, attempts, next_attempt_at, reason, created_at, updated_at, retry_from)
        VALUES (1, 1, 'int_old', 'dead', 1, 1, 'gave up', 1, 1, 1);
      INSERT INTO delivery_attempts (delivery_id, at, status, http_status, reason) VALUES (1, 1, 'dead', 503, 'gave up');
      INSERT INTO links (id, source_id, name, destination_url, offer_type, include_source_integrations, click_id_param,
          conversion_window_days, events, currency, created_at, updated_at)
        VALUES ('lnk_old', 'src_old', 'Old link', 'https://offer.example/', 'tracking_link', 1, 'sub', 28, '{}', NULL, 1, 1);
      INSERT INTO link_clicks (id, link_id, source_id, sc_click_id, query, url, destination, gpc, created_at)
        VALUES ('click_old', 'lnk_old', 'src_old', 'ad-old', '[]', 'https://c.example/go/lnk_old', 'https://offer.example/', 0, 1);
    `);
    old.close();

    const migrated = open();
    const [event] = await migrated.listEvents({});
    expect(event!.deliveries[0]).toMatchObject({ status: 'dead', reason: 'gave up', reasonCode: null, identifiers: [] });
    expect(event!.deliveries[0]!.history).toEqual([
      { at: new Date(1).toISOString(), status: 'dead', httpStatus: 503, reason: 'gave up', reasonCode: null },
    ]);
    expect((await migrated.links.getClick('click_old'))!.adClickId).toBe('ad-old');
    const again = await migrated.links.recordClick({
      id: 'click_new',
      linkId: 'lnk_old',
      adClickId: 'ad-old',
      ip: null,
      userAgent: null,
      referrer: null,
      query: [],
      url: 'https://c.example/go/lnk_old',
      destination: 'https://offer.example/',
      gpc: false,
    });
    expect(again).toMatchObject({ created: false, click: { id: 'click_old' } });
    const indexes = raw((db) =>
      db
        .prepare<[], { name: string }>(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'link_clicks' ORDER BY name`,
        )
        .all()
        .map((row) => row.name),
    );
    expect(indexes).toEqual(['link_clicks_by_ad_click', 'link_clicks_by_link', 'sqlite_autoindex_link_clicks_1']);
  });

  it('keys the events stored before search existed, and counts their outcomes for trends', async () => {
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)');
    for (const migration of [...MIGRATIONS].filter((m) => m.version <= 22).sort((a, b) => a.version - b.version)) {
      old.exec(migration.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    const received = Date.parse('2025-06-01T12:00:00.000Z');
    const order = message('m-order', {
      userId: 'user-old',
      properties: { order_id: 'A-1' },
      context: { traits: { email: 'Old@Example.com' }, snapchat: { clickId: 'click-old' } },
    });
    old.exec(`
      INSERT INTO sources (id, name, write_key, created_at) VALUES ('src_old', 'Old', 'wk_old', 1);
      INSERT INTO integrations (id, source_id, vendor, name, enabled, config, consent_categories, created_at, updated_at)
        VALUES ('int_old', 'src_old', 'example', 'Old pixel', 1, '{}', '[]', 1, 1);
      INSERT INTO events (id, source_id, message_id, type, name, received_at, message) VALUES
        (1, 'src_old', 'm-order', 'track', 'Order Completed', ${received}, '${JSON.stringify(order)}'),
        (2, 'src_old', 'm-view', 'track', 'Product Viewed', ${received}, '${JSON.stringify(message('m-view', { userId: 'user-old' }))}');
      INSERT INTO deliveries (id, event_id, integration_id, status, next_attempt_at, created_at, updated_at) VALUES
        (1, 1, 'int_old', 'delivered', 1, 1, 1), (2, 2, 'int_old', 'skipped', 1, 1, 1);
    `);
    old.close();

    const migrated = open();
    const found = async (search: EventSearch) => (await migrated.listEvents({ search })).map((e) => e.message.messageId);
    expect(await found({ email: 'old@example.com' })).toEqual(['m-view', 'm-order']);
    expect(await found({ orderId: 'A-1' })).toEqual(['m-order']);
    expect(await found({ clickId: 'click-old' })).toEqual(['m-order']);
    // Only the hash of the email is kept beside the message: SHA-256 of "email:" and its normal form.
    const keys = raw((db) => db.prepare<[], { email_hash: Buffer; user_id: string }>('SELECT * FROM events WHERE id = 1').get()!);
    expect(keys.email_hash.toString('hex')).toBe(createHash('sha256').update('email:old@example.com').digest('hex'));
    expect(keys.user_id).toBe('user-old');
    expect(await migrated.admin.dailyOutcomes({ from: '2025-06-01' })).toEqual([
      {
        day: '2025-06-01',
        sourceId: 'src_old',
        integrationId: 'int_old',
        delivered: 1,
        skipped: 1,
        failed: 0,
        purchases: 0,
        revenue: {},
      },
    ]);
  });

  it('keeps the payloads and answers of deliveries stored before they had a table of their own', async () => {
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)');
    for (const migration of [...MIGRATIONS].filter((m) => m.version <= 34).sort((a, b) => a.version - b.version)) {
      old.exec(migration.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    old.exec(`
      INSERT INTO sources (id, name, write_key, created_at) VALUES ('src_old', 'Old', 'wk_old', 1);
      INSERT INTO integrations (id, source_id, vendor, name, enabled, config, consent_categories, created_at, updated_at)
        VALUES ('int_old', 'src_old', 'example', 'Old pixel', 1, '{}', '[]', 1, 1);
      INSERT INTO events (id, source_id, message_id, type, name, received_at, message) VALUES
        (1, 'src_old', 'm-sent', 'track', 'Order Completed', 1, '${JSON.stringify(message('m-sent'))}'),
        (2, 'src_old', 'm-queued', 'track', 'Order Completed', 1, '${JSON.stringify(message('m-queued'))}');
      INSERT INTO deliveries (id, event_id, integration_id, status, next_attempt_at, created_at, updated_at, payload, response)
        VALUES (1, 1, 'int_old', 'delivered', 1, 1, 1, '{"sent":1}', '{"status":"VALID"}'),
               (2, 2, 'int_old', 'pending', 1, 1, 1, NULL, NULL);
    `);
    old.close();

    const migrated = open();
    const deliveries = (await migrated.listEvents({})).map((event) => event.deliveries[0]);
    expect(deliveries.map((d) => [d!.status, d!.payload, d!.response])).toEqual([
      ['pending', null, null],
      ['delivered', { sent: 1 }, { status: 'VALID' }],
    ]);
    // Only the delivery that had something to keep has a row beside it; the deliveries have no such columns left.
    expect(raw((db) => db.prepare('SELECT * FROM delivery_payloads').all())).toEqual([
      { delivery_id: 1, payload: '{"sent":1}', response: '{"status":"VALID"}' },
    ]);
    const columns = raw((db) =>
      db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all('deliveries'),
    );
    expect(columns.map((c) => c.name)).not.toContain('payload');
  });

  it('leaves no payload behind the deliveries of erased or deleted events', async () => {
    const s = open();
    const { source, integration } = await sourceWithIntegration(s);
    await s.appendEvents(source.id, [{ message: message('m-1', { userId: 'erase-me' }), deliveries: [pending(integration.id)] }]);
    const [leased] = await s.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000 });
    await s.completeDeliveries('w', [{ deliveryId: leased!.delivery.id, status: 'delivered', payload: { a: 1 }, response: {} }]);
    const payloads = () => raw((db) => db.prepare<[], { n: number }>('SELECT count(*) AS n FROM delivery_payloads').get()!.n);
    expect(payloads()).toBe(1);
    await s.privacy.erasePerson({ userId: 'erase-me' });
    expect(payloads()).toBe(0);
  });

  it('keys the email hashes stored before the email key, whatever the sign of their first byte', async () => {
    const old = new Database(path);
    old.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at INTEGER)');
    for (const migration of [...MIGRATIONS].filter((m) => m.version <= 31).sort((a, b) => a.version - b.version)) {
      old.exec(migration.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    const emailHash = (email: string) => createHash('sha256').update(`email:${email}`).digest();
    const insert = old.prepare(
      `INSERT INTO events (id, source_id, message_id, type, received_at, message, email_hash) VALUES (?, 'src_old', ?, 'track', 1, ?, ?)`,
    );
    // a@example.com's hash starts with 0xe9 (a negative key), d@example.com's with 0x61.
    for (const [id, email] of [
      [1, 'a@example.com'],
      [2, 'd@example.com'],
    ] as const) {
      insert.run(id, `m-${id}`, JSON.stringify(message(`m-${id}`, { context: { traits: { email } } })), emailHash(email));
    }
    insert.run(3, 'm-3', JSON.stringify(message('m-3')), null);
    old.close();

    const migrated = open();
    const keys = raw((db) =>
      db.prepare<[], { id: number; email_key: number | null }>('SELECT id, email_key FROM events ORDER BY id').all(),
    );
    expect(keys).toEqual([
      { id: 1, email_key: emailHash('a@example.com').readInt32BE(0) },
      { id: 2, email_key: emailHash('d@example.com').readInt32BE(0) },
      { id: 3, email_key: null },
    ]);
    expect(keys[0]!.email_key).toBeLessThan(0);
    expect(keys[1]!.email_key).toBeGreaterThan(0);
    const found = async (email: string) => (await migrated.listEvents({ search: { email } })).map((e) => e.message.messageId);
    expect(await found('a@example.com')).toEqual(['m-1']);
    expect(await found('d@example.com')).toEqual(['m-2']);
    const indexes = raw((db) =>
      db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'events_by_email%'`)
        .all()
        .map((row) => row.name),
    );
    expect(indexes).toEqual(['events_by_email_key']);
  });

  it('tells apart two emails whose hashes share an email key, by the whole hash', async () => {
    const { source } = await sourceWithIntegration(open());
    await store!.appendEvents(source.id, [
      { message: message('m-a', { anonymousId: 'anon-a', context: { traits: { email: 'a@example.com' } } }), deliveries: [] },
      { message: message('m-d', { anonymousId: 'anon-d', context: { traits: { email: 'd@example.com' } } }), deliveries: [] },
    ]);
    await store!.close();
    const db = new Database(path);
    db.prepare(
      "UPDATE events SET email_key = (SELECT email_key FROM events WHERE message_id = 'm-a') WHERE message_id = 'm-d'",
    ).run();
    db.close();
    const reopened = open();
    const found = async (email: string) => (await reopened.listEvents({ search: { email } })).map((e) => e.message.messageId);
    expect(await found('a@example.com')).toEqual(['m-a']);
    expect(await found('d@example.com')).toEqual([]);
  });

  it('finds an email in every block of events, the newest included', async () => {
    const { source } = await sourceWithIntegration(open());
    const jane = (id: string) => message(id, { context: { traits: { email: 'jane@example.com' } } });
    await store!.appendEvents(source.id, [{ message: jane('m-first'), deliveries: [] }]);
    await store!.close();
    // Ids jump to the third block of 65,536 events: the next event is stored there.
    const db = new Database(path);
    db.prepare(
      `INSERT INTO events (id, source_id, message_id, type, received_at, message) VALUES (150000, ?, 'm-filler', 'track', 1, '{}')`,
    ).run(source.id);
    db.close();
    const reopened = open();
    await reopened.appendEvents(source.id, [{ message: jane('m-later'), deliveries: [] }]);
    const ids = raw((db) => db.prepare<[], { id: number }>("SELECT id FROM events WHERE message_id = 'm-later'").get()!);
    expect(ids.id >> 16).toBe(2);
    expect((await reopened.listEvents({ search: { email: 'Jane@Example.com' } })).map((e) => e.message.messageId)).toEqual([
      'm-later',
      'm-first',
    ]);
  });

  it('searches through the search-key indexes, never by reading every event', async () => {
    await open().close();
    store = undefined;
    const searches: EventSearch[] = [
      { userId: 'u' },
      { anonymousId: 'a' },
      { email: 'jane@example.com' },
      { orderId: '1001' },
      { clickId: 'c' },
      { email: 'jane@example.com', userId: 'u' },
    ];
    const filters: EventQuery[] = [{}, { sourceId: 'src_1', name: 'page' }, { status: 'failed', integrationId: 'int_1' }];
    for (const search of searches) {
      for (const filter of filters) {
        const { sql, params } = eventListQuery({ ...filter, search });
        const plan = raw((db) =>
          db
            .prepare<typeof params, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
            .all(params)
            .map((row) => row.detail),
        );
        // An email is looked up block by block of events (email-key.ts): the list of blocks is scanned, no events.
        expect(
          plan.filter((step) => step.startsWith('SCAN') && step !== 'SCAN CONSTANT ROW' && step !== 'SCAN email_blocks'),
          JSON.stringify({ search, filter }),
        ).toEqual([]);
        expect(plan.join('\n')).toMatch(/USING (COVERING )?INDEX events_by_(user_id|anonymous_id|email_key|order_id|click_id)\b/);
      }
    }
  });

  it('stores write keys and the given secret config keys sealed, other config values as they are', async () => {
    const sealed = open({ secretKey: SECRET_KEY });
    const { source } = await sourceWithIntegration(sealed, { secret: 'secret-api-secret' });
    await sealed.admin.rotateWriteKey(source.id, 60_000);
    const stored = rawSecrets();
    expect(stored).not.toContain('secret-api-secret');
    expect(stored).not.toContain('wk_original_key');
    expect(stored).toContain('enc:v1:');
    expect(stored).toContain('acc-1');
  });

  it('seals secrets stored as they are once a secret key is set', async () => {
    const plain = open();
    const { integration } = await sourceWithIntegration(plain, { secret: 'old-plain-secret' });
    expect(rawSecrets()).toContain('old-plain-secret');
    await plain.close();
    const sealed = open({ secretKey: SECRET_KEY });
    expect(rawSecrets()).not.toContain('old-plain-secret');
    expect(rawSecrets()).not.toContain('wk_original_key');
    await sealed.updateIntegration(integration.id, { config: { account: 'acc-1', api_secret: 'new-secret' } });
    expect(rawSecrets()).not.toContain('new-secret');
  });

  it('stores warehouse URLs sealed, and seals those stored as they are once a key is set', async () => {
    const plain = open();
    await plain.syncs.createWarehouse({ name: 'Old', kind: 'postgres', url: 'postgres://u:old-db-password@h/db' });
    expect(rawSecrets()).toContain('old-db-password');
    await plain.close();
    const sealed = open({ secretKey: SECRET_KEY });
    expect(rawSecrets()).not.toContain('old-db-password');
    const created = await sealed.syncs.createWarehouse({ name: 'New', kind: 'mysql', url: 'mysql://u:new-db-password@h/db' });
    expect(rawSecrets()).not.toContain('new-db-password');
    expect((await sealed.syncs.getWarehouse(created.id))?.url).toBe('mysql://u:new-db-password@h/db');
  });

  it('keeps config values as they are when no config key is named secret', async () => {
    store = openSqliteStore({ path, secretKey: SECRET_KEY });
    await sourceWithIntegration(store, { secret: 'not-declared-secret' });
    expect(rawSecrets()).toContain('not-declared-secret');
    expect(rawSecrets()).not.toContain('wk_original_key');
  });

  it('writes through a WAL journal, with either durability', async () => {
    for (const durability of ['normal', 'full'] as const) {
      const opened = open({ durability });
      await opened.createSource({ name: durability, writeKey: `wk_${durability}` });
      expect(raw((db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
      await opened.close();
    }
    expect((await open().listSources()).map((s) => s.name)).toEqual(['normal', 'full']);
  });

  it('answers appends that share a group commit each with its own counts, the later of two with one messageId its repeat', async () => {
    const { integration, source } = await sourceWithIntegration(open());
    const other = await store!.createSource({ name: 'other' });
    const event = (id: string) => ({ message: message(id), deliveries: [pending(integration.id)] });
    // Not awaited one by one: all four go into the same commit.
    const answers = await Promise.all([
      store!.appendEvents(source.id, [event('g-1'), event('g-2')]),
      store!.appendEvents(other.id, [event('g-1')]),
      store!.appendEvents(source.id, [event('g-3'), event('g-1')]),
      store!.appendEvents(source.id, [event('g-2')]),
    ]);
    expect(answers).toEqual([
      { stored: 2, duplicates: 0, duplicateIds: [] },
      { stored: 1, duplicates: 0, duplicateIds: [] },
      { stored: 1, duplicates: 1, duplicateIds: ['g-1'] },
      { stored: 0, duplicates: 1, duplicateIds: ['g-2'] },
    ]);
    expect((await store!.countDeliveries()).pending).toBe(4);
  });

  it('copies committed pages from the WAL into the database file while the store is open, on a thread of its own', async () => {
    const { integration, source } = await sourceWithIntegration(open());
    const filled = statSync(path).size;
    // About 3 MB of pages: far below the WAL size at which the committing connection checkpoints itself.
    const events = Array.from({ length: 3000 }, (_, i) => ({
      message: message(`wal-${i}`, { properties: { note: 'x'.repeat(500) } }),
      deliveries: [{ integrationId: integration.id, status: 'pending' as const }],
    }));
    await store!.appendEvents(source.id, events);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(2_000_000);
    const deadline = Date.now() + 10_000;
    // A checkpoint writes the pages in order, so the file grows as it goes: wait for all of them.
    while (statSync(path).size <= filled + 2_000_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(statSync(path).size).toBeGreaterThan(filled + 2_000_000);
    expect((await store!.countDeliveries()).pending).toBe(3000);
  });

  /** The bytes of the database file and its WAL, as anyone who can read them sees them. */
  const fileBytes = () =>
    [path, `${path}-wal`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'))
      .join('');

  it('creates the database, its WAL and shared-memory files readable by their owner only', async () => {
    const opened = open();
    await opened.createSource({ name: 'Private', writeKey: 'wk_private' });
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves no plain secret in the file or its WAL once a secret key sealed them', async () => {
    const plain = open();
    await sourceWithIntegration(plain, { secret: 'old-plain-secret-in-the-file' });
    await plain.close();
    expect(fileBytes()).toContain('old-plain-secret-in-the-file');
    open({ secretKey: SECRET_KEY });
    expect(fileBytes()).not.toContain('old-plain-secret-in-the-file');
    expect(fileBytes()).not.toContain('wk_original_key');
  });

  it("leaves no byte of an erased person's email in the file or its WAL", async () => {
    const opened = open();
    const { source, integration } = await sourceWithIntegration(opened);
    const identify = message('erase-me', {
      type: 'identify',
      userId: 'user-erased',
      traits: { email: 'erased.person@example.com' },
    });
    await opened.appendEvents(source.id, [
      { message: identify, deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    expect(fileBytes()).toContain('erased.person@example.com');
    expect(await opened.privacy.erasePerson({ email: 'erased.person@example.com' })).toEqual({
      events: 1,
      profiles: 2,
      clicks: 0,
    });
    expect(fileBytes()).not.toContain('erased.person@example.com');
    expect(fileBytes()).not.toContain('user-erased');
  });

  it('leaves no byte of events deleted by retention in the file or its WAL', async () => {
    const opened = open();
    const { source } = await sourceWithIntegration(opened);
    const old = message('expired-event', {
      receivedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      traits: { email: 'old.visitor@example.com' },
    });
    await opened.appendEvents(source.id, [{ message: old, deliveries: [] }]);
    expect(fileBytes()).toContain('old.visitor@example.com');
    expect(await opened.privacy.deleteEventsBefore(Date.now() - 30 * 86_400_000)).toBe(1);
    expect(fileBytes()).not.toContain('old.visitor@example.com');
  });

  it('refuses a secret key shorter than 32 characters, leaving nothing open', () => {
    expect(() => openSqliteStore({ path, secretKey: 'short' })).toThrow(/at least 32 characters/);
    // The refused start closed its connection: the file can be opened for writing at once.
    raw((db) => expect(db.prepare('SELECT count(*) AS n FROM sources').get()).toEqual({ n: 0 }));
  });
});
