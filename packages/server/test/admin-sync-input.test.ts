import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntegration } from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';
import { sqliteSales, type SalesTable } from './warehouse-fixtures.js';

// What the syncs API answers to the wrong query, the wrong kind of sync or the wrong file: a 400
// that says what to do, never a 500 and never a run that sends something.

let collector: TestCollector;
let table: SalesTable;
let sourceId: string;
let warehouseId: string;

beforeAll(async () => {
  table = await sqliteSales();
  await table.insert([
    {
      sale_id: '1',
      sold_at: new Date(),
      customer_email: 'alice@example.com',
      amount: '12.50',
      currency: 'EUR',
      sccid: 'click-1',
    },
  ]);
  collector = await startTestCollector(['--no-worker']);
  ({ sourceId } = await createIntegration(collector, 'syncs input', {
    pixel_id: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
    access_token: 'token',
  }));
  const created = await admin('POST', '/v1/admin/warehouses', {
    name: 'Sales file',
    kind: 'sqlite',
    config: { url: table.warehouse!.url },
  });
  expect(created.status).toBe(201);
  warehouseId = created.body.id as string;
});
afterAll(async () => {
  await collector?.stopAndClean();
  await table?.close();
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await collector.admin(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}

const MAPPING = { event: { value: 'Order Completed' }, email: 'customer_email', value: 'amount', currency: 'currency' };

function upload(syncId: string, body: string | Buffer) {
  return collector.admin(`/v1/admin/syncs/${syncId}/upload`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/csv' },
  });
}

describe('a SQLite warehouse', () => {
  it("refuses a Datafirst database, such as the collector's own: its write keys and tokens are not a warehouse", async () => {
    const res = await admin('POST', '/v1/admin/warehouses', {
      name: 'Own',
      kind: 'sqlite',
      config: { url: `file:${collector.dbPath}` },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('is a Datafirst database');
  });
});

describe('a warehouse sync', () => {
  it('refuses a query that writes with 400, and the table keeps its rows', async () => {
    const sync = { name: 'Deleting', warehouse_id: warehouseId, source_id: sourceId, primary_key: 'sale_id', mapping: MAPPING };
    const refused = await admin('POST', '/v1/admin/syncs', { ...sync, query: 'delete from sales returning *' });
    expect(refused).toEqual({
      status: 400,
      body: {
        error: 'query: the query writes: give a SELECT (a warehouse is only read)',
        errors: ['query: the query writes: give a SELECT (a warehouse is only read)'],
      },
    });
    const created = await admin('POST', '/v1/admin/syncs', { ...sync, query: 'select * from sales' });
    expect(created.status).toBe(201);
    const changed = await admin('PATCH', `/v1/admin/syncs/${String(created.body.id)}`, {
      query: "update sales set amount = '0' returning *",
    });
    expect(changed.status).toBe(400);
    const preview = await admin('POST', `/v1/admin/syncs/${String(created.body.id)}/preview`);
    expect(preview.status).toBe(200);
    expect(preview.body.rows).toHaveLength(1);
  });

  it('refuses a file uploaded to it with 400 naming the call that runs it, and runs nothing', async () => {
    const created = await admin('POST', '/v1/admin/syncs', {
      name: 'Sales',
      warehouse_id: warehouseId,
      query: 'select * from sales',
      source_id: sourceId,
      primary_key: 'sale_id',
      mapping: MAPPING,
    });
    const syncId = String(created.body.id);
    const res = await upload(syncId, table.csv());
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'a warehouse sync runs its query: POST /v1/admin/syncs/:id/run (files are for CSV syncs)',
    });
    expect((await admin('GET', `/v1/admin/syncs/${syncId}/runs`)).body).toEqual({ runs: [] });
  });
});

describe('a CSV sync', () => {
  let syncId: string;
  beforeAll(async () => {
    const created = await admin('POST', '/v1/admin/syncs', {
      name: 'Shop sales',
      kind: 'csv',
      source_id: sourceId,
      primary_key: 'sale_id',
      mapping: MAPPING,
    });
    expect(created.status).toBe(201);
    syncId = String(created.body.id);
  });

  it('refuses an empty file, sent as text/csv, with 400 saying it is empty', async () => {
    const res = await upload(syncId, '');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      status: 'failed',
      error: 'the CSV file is empty: it needs a header row naming the columns',
    });
  });

  it('refuses a file whose bytes are not UTF-8 with 400 saying so', async () => {
    // "Zoë" saved as Latin-1: 0xEB is no UTF-8.
    const latin1 = Buffer.from('sale_id,customer_email,amount,currency\n1,zo\xeb@example.com,5,EUR\n', 'latin1');
    const res = await upload(syncId, latin1);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      status: 'failed',
      error: 'the CSV file could not be read: its bytes are not UTF-8: save it as UTF-8',
    });
  });
});
