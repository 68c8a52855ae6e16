import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresSchema, postgresServer, type TestDatabaseServer, type TestSchema } from '../../test/databases.js';
import { describeStoreContract } from '../contract/store-contract.js';
import { hoursAgo, message, pending, SECRET_CONFIG_KEYS, SECRET_KEY, sourceWithIntegration } from '../contract/harness.js';
import type { Store } from '../store.js';
import { leaseQuery } from './lease-query.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { openPostgresStore } from './postgres-store.js';

// One server for the file (DATAFIRST_TEST_DATABASE_URL, or a private one), a fresh schema per test.
let server: Promise<TestDatabaseServer> | undefined;
const serverUrl = async () => (await (server ??= postgresServer())).url;
afterAll(async () => {
  await (await server)?.stop();
});

describeStoreContract('PostgreSQL', async () => {
  const schema = await postgresSchema(await serverUrl());
  return {
    // Commits need not wait for the disk in tests: nothing here survives a crash of the server anyway.
    open: (options) => openPostgresStore({ url: schema.url, poolSize: 4, durability: 'normal', ...options }),
    destroy: () => schema.drop(),
  };
});

// What only a PostgreSQL server can show: concurrent starts, its raw rows, NOTIFY across connections.
describe('PostgreSQL engine', () => {
  let schema: TestSchema;
  const stores: Store[] = [];
  beforeAll(async () => {
    await serverUrl();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await schema?.drop();
  });

  const open = async (options: { secretKey?: string } = {}) => {
    const store = await openPostgresStore({ url: schema.url, poolSize: 2, secretConfigKeys: SECRET_CONFIG_KEYS, ...options });
    stores.push(store);
    return store;
  };

  /** Runs a query on the schema outside the store. */
  async function raw<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('migrates once when several processes open a fresh database at the same moment', async () => {
    schema = await postgresSchema(await serverUrl());
    const opened = await Promise.all(Array.from({ length: 6 }, () => open()));
    const versions = await raw<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    // Every one of them works on the one schema.
    const { source } = await sourceWithIntegration(opened[0]!);
    expect((await opened[5]!.getSource(source.id))?.name).toBe('Shop');
  });

  it('holds the migration lock while one process migrates: a second waits for it', async () => {
    schema = await postgresSchema(await serverUrl());
    const holder = new pg.Client({ connectionString: schema.url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('datafirst migrations ' || current_schema()))`);
      let opened = false;
      const opening = open().then((store) => ((opened = true), store));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(opened).toBe(false);
      expect(
        await raw("SELECT 1 FROM information_schema.tables WHERE table_name = 'events' AND table_schema = current_schema()"),
      ).toEqual([]);
      await holder.query(`SELECT pg_advisory_unlock(hashtext('datafirst migrations ' || current_schema()))`);
      await opening;
      expect(opened).toBe(true);
    } finally {
      await holder.end();
    }
  });

  it("wakes another process's worker through NOTIFY when deliveries are queued", async () => {
    schema = await postgresSchema(await serverUrl());
    const collector = await open();
    const worker = await open();
    const { source, integration } = await sourceWithIntegration(collector);
    let wakeUps = 0;
    let woken: () => void = () => undefined;
    const stop = worker.onDeliveriesQueued(() => {
      wakeUps++;
      woken();
    });
    // The listener looks once when it connects (work may have been queued before); then on each NOTIFY.
    await expect.poll(() => wakeUps).toBe(1);
    const notified = new Promise<void>((resolve) => (woken = resolve));
    await collector.appendEvents(source.id, [
      { message: message('n-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    await notified;
    expect(wakeUps).toBe(2);
    // Skipped deliveries queue no work: no wake-up.
    await collector.appendEvents(source.id, [
      { message: message('n-2'), deliveries: [{ integrationId: integration.id, status: 'skipped', reason: 'unmapped' }] },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(wakeUps).toBe(2);
    stop();
  });

  it('keeps no secret in plain text in the tables once a secret key is set', async () => {
    schema = await postgresSchema(await serverUrl());
    const store = await open({ secretKey: SECRET_KEY });
    const { source } = await sourceWithIntegration(store, { secret: 'plain-api-secret', writeKey: 'wk_plain_key' });
    await store.admin.rotateWriteKey(source.id, 60_000);
    await store.syncs.createWarehouse({ name: 'DW', kind: 'postgres', url: 'postgres://u:hunter2@db.example/dw' });
    const stored = JSON.stringify([
      await raw('SELECT write_key, previous_write_key FROM sources'),
      await raw('SELECT config FROM integrations'),
      await raw('SELECT url FROM warehouses'),
    ]);
    expect(stored).toContain('enc:v1:');
    for (const secret of ['plain-api-secret', 'wk_plain_key', 'hunter2']) expect(stored).not.toContain(secret);
  });

  it('stores concurrent appends of one messageId once, across processes', async () => {
    schema = await postgresSchema(await serverUrl());
    const [a, b] = await Promise.all([open(), open()]);
    const { source, integration } = await sourceWithIntegration(a);
    const event = { message: message('same-1'), deliveries: [{ integrationId: integration.id, status: 'pending' as const }] };
    const results = await Promise.all([a.appendEvents(source.id, [event]), b.appendEvents(source.id, [event])]);
    expect(results.map((r) => r.stored).sort()).toEqual([0, 1]);
    expect((await a.countDeliveries()).pending).toBe(1);
  });
  it('shares lanes exactly when workers on several processes claim them at the same moment', async () => {
    schema = await postgresSchema(await serverUrl());
    const workers = await Promise.all(Array.from({ length: 4 }, () => open()));
    const { integration } = await sourceWithIntegration(workers[0]!);
    const ids = [integration.id];
    for (let i = 2; i <= 8; i++) ids.push((await workers[0]!.createIntegration({ ...integration, name: `Pixel ${i}` })).id);
    const owners = workers.map((_, i) => `w${i}`);
    await Promise.all(
      workers.map((store, i) => store.lanes.claimLanes({ owner: owners[i]!, leaseMs: 60_000, integrationIds: [] })),
    );
    // Every round asks for every lane in the same order: interleaved, they would take the same ones.
    const holdings = await Promise.all(
      workers.map((store, i) => store.lanes.claimLanes({ owner: owners[i]!, leaseMs: 60_000, integrationIds: ids })),
    );
    expect(holdings.map((h) => [h.held.length, h.share])).toEqual(owners.map(() => [2, 2]));
    expect(holdings.flatMap((h) => h.held).sort()).toEqual([...ids].sort());
  });

  it("deletes a delivery's history with it when its event is deleted, and keeps every other's", async () => {
    schema = await postgresSchema(await serverUrl());
    const store = await open();
    const { source, integration } = await sourceWithIntegration(store);
    await store.appendEvents(source.id, [
      { message: message('old-1', { receivedAt: hoursAgo(24 * 40) }), deliveries: [pending(integration.id)] },
      { message: message('new-1'), deliveries: [pending(integration.id)] },
    ]);
    const leased = await store.leaseDeliveries({ owner: 'w1', limit: 10, leaseMs: 60_000 });
    await store.completeDeliveries(
      'w1',
      leased.map(({ delivery }) => ({ deliveryId: delivery.id, status: 'delivered', httpStatus: 200 })),
    );
    expect(await raw('SELECT count(*)::int AS n FROM delivery_attempts')).toEqual([{ n: 2 }]);
    expect(await store.privacy.deleteEventsBefore(Date.now() - 30 * 24 * 3_600_000)).toBe(1);
    const [kept] = await store.listEvents({});
    expect(kept?.message.messageId).toBe('new-1');
    expect(kept?.deliveries[0]?.history.map((attempt) => attempt.status)).toEqual(['delivered']);
    expect(await raw('SELECT count(*)::int AS n FROM delivery_attempts')).toEqual([{ n: 1 }]);
  });

  it('records a batch of outcomes whose payloads hold line breaks, keeping what a result leaves out', async () => {
    schema = await postgresSchema(await serverUrl());
    const store = await open();
    const { source, integration } = await sourceWithIntegration(store);
    await store.appendEvents(
      source.id,
      ['lines-1', 'lines-2', 'lines-3'].map((id) => ({ message: message(id), deliveries: [pending(integration.id)] })),
    );
    const [first, second, third] = await store.leaseDeliveries({ owner: 'w1', limit: 10, leaseMs: 60_000 });
    await store.completeDeliveries('w1', [
      {
        deliveryId: first!.delivery.id,
        status: 'pending',
        retryInMs: 0,
        payload: { note: 'two\nlines', empty: '' },
        response: { body: 'a\r\nb' },
        identifiers: ['email'],
      },
    ]);
    const [again] = await store.leaseDeliveries({ owner: 'w1', limit: 1, leaseMs: 60_000 });
    expect(again?.delivery.id).toBe(first!.delivery.id);
    await store.completeDeliveries('w1', [
      { deliveryId: first!.delivery.id, status: 'delivered', httpStatus: 200 },
      { deliveryId: second!.delivery.id, status: 'delivered', payload: '', response: null, identifiers: [] },
      { deliveryId: third!.delivery.id, status: 'failed', reason: 'refused', payload: { n: 3 } },
    ]);
    const rows = await raw<{ payload: string | null; response: string | null; identifiers: string; status: string }>(
      'SELECT payload, response, identifiers, status FROM deliveries ORDER BY id',
    );
    expect(rows).toEqual([
      {
        payload: '{"note":"two\\nlines","empty":""}',
        response: '{"body":"a\\r\\nb"}',
        identifiers: '["email"]',
        status: 'delivered',
      },
      { payload: '""', response: 'null', identifiers: '[]', status: 'delivered' },
      { payload: '{"n":3}', response: null, identifiers: '[]', status: 'failed' },
    ]);
  });

  it("leases a lane's backlog in lease order, a batch at a time, by walking its index rather than sorting it", async () => {
    schema = await postgresSchema(await serverUrl());
    const store = await open();
    const { source, integration } = await sourceWithIntegration(store);
    const other = await store.createIntegration({ ...integration, name: 'Pixel 2' });
    // 100,000 deliveries, two lanes' worth, queued as a collector's group commits queue them.
    await store.appendEvents(source.id, [
      { message: message('backlog-0'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    await raw(`
      INSERT INTO events (source_id, message_id, type, name, received_at, message)
        SELECT source_id, 'backlog-' || n, type, name, received_at, message FROM events, generate_series(1, 50000) n;
      INSERT INTO deliveries (event_id, integration_id, status, next_attempt_at, created_at, updated_at, retry_from)
        SELECT e.id, i.id, 'pending', d.next_attempt_at + e.id / 1000, d.created_at, d.updated_at, d.retry_from
        FROM events e, deliveries d, (VALUES ('${integration.id}'), ('${other.id}')) i(id)
        WHERE e.message_id <> 'backlog-0' AND d.id = (SELECT min(id) FROM deliveries);`);
    // A fresh backlog has no statistics (no ANALYZE ran): the plan must not depend on them.
    const request = { owner: 'w1', integrationId: integration.id, limit: 300, leaseMs: 60_000, requireLane: false };
    const { sql, params } = leaseQuery(request);
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    let plan: string;
    try {
      plan = JSON.stringify((await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params)).rows[0]);
    } finally {
      await client.end();
    }
    expect(plan).toContain('"Index Name":"deliveries_due_in_order"');
    expect(plan).not.toContain('"Node Type":"Sort"');

    const inOrder = await raw<{ id: string }>(
      `SELECT id FROM deliveries WHERE integration_id = '${integration.id}' ORDER BY next_attempt_at, id LIMIT 600`,
    );
    const [first, second] = await Promise.all([
      store.leaseDeliveries(request),
      store.leaseDeliveries({ ...request, owner: 'w2' }),
    ]);
    expect([first.length, second.length]).toEqual([300, 300]);
    const leased = [...first, ...second].map(({ delivery }) => delivery.id);
    expect(leased.sort((a, b) => a - b)).toEqual(inOrder.map((row) => Number(row.id)).sort((a, b) => a - b));
    expect([...first, ...second].every(({ delivery }) => delivery.integrationId === integration.id)).toBe(true);
    // Each batch comes in lease order.
    for (const batch of [first, second]) {
      const ids = batch.map(({ delivery }) => delivery.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });
});
