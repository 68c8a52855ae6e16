import { startSnapchatMock, type SnapchatMock } from '@datafirst/snapchat';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createIntegration, receivedEvents } from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';
import type { Sale, SalesTable } from './warehouse-fixtures.js';

const PIXEL = '3b1d6c2e-8f4a-4e9b-9c7d-1a2b3c4d5e6f';
const TOKEN = 'sync-token';
const DAY_MS = 86_400_000;

// SHA-256 of the normalised emails, computed outside the code under test.
const HASHES: Record<string, string> = {
  'alice@example.com': 'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976',
  'bob@example.com': '5ff860bf1190596c7188ab851db691f0f3169c453936e9e1eba2f9a47f7a0018',
  'dan@example.com': 'c8cf6521c193fc743c7fadcd8be04e983724764efa65b3c3913b6d22f086a11f',
  'erin@example.com': '405340cd9ac94b08b93800aee3f0db2dd673256bc318987e51e177eb53cca1b2',
  'frank@example.com': '36a9b382f8c0e0f39b36c798e8bbb1e74724bd3a4f81d182b0fa87a466429de6',
};

/** A time `days` ago, to the millisecond (MySQL DATETIME(3) keeps milliseconds). */
const daysAgo = (days: number) => new Date(Math.floor((Date.now() - days * DAY_MS) / 1000) * 1000);

const sale = (id: string, email: string, amount: string, soldAt: Date): Sale => ({
  sale_id: id,
  sold_at: soldAt,
  customer_email: email,
  amount,
  currency: 'EUR',
  sccid: `click-${id}`,
});

/** The Snapchat event a recent, valid sale must arrive as. */
function expectedEvent(syncId: string, s: Sale) {
  return {
    event_name: 'PURCHASE',
    action_source: 'OFFLINE',
    event_time: Math.floor(s.sold_at.getTime() / 1000),
    event_id: `sync:${syncId}:${s.sale_id}`,
    user_data: { em: [HASHES[s.customer_email]], sc_click_id: `click-${s.sale_id}` },
    custom_data: { currency: 'EUR', value: Number(s.amount), order_id: s.sale_id },
  };
}

/**
 * The whole life of a sync against one engine: create, preview, run, add and change rows, run
 * again (only the new rows arrive), failing rows retried (one no event, one a purchase without a
 * value, which Snapchat would refuse), a too-old row skipped with its code.
 */
export function describeWarehouseSync(open: () => Promise<SalesTable>): void {
  let mock: SnapchatMock;
  let collector: TestCollector;
  let table: SalesTable;
  beforeAll(async () => {
    table = await open();
    mock = await startSnapchatMock({ tokens: { [TOKEN]: [PIXEL] } });
    collector = await startTestCollector(['--snapchat-url', mock.url]);
  }, 90_000);
  afterAll(async () => {
    await collector?.stopAndClean();
    await mock?.close();
    await table?.close();
  });

  const admin = async (path: string, init: RequestInit = {}) => {
    const res = await collector.admin(path, init);
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, any> };
  };

  /** Runs the sync (uploading the CSV file for a CSV sync) and answers the finished run. */
  async function runToEnd(syncId: string): Promise<Record<string, any>> {
    if (table.engine === 'csv') {
      const res = await collector.admin(`/v1/admin/syncs/${syncId}/upload`, {
        method: 'POST',
        body: table.csv(),
        headers: { 'content-type': 'text/csv' },
      });
      const run = (await res.json()) as Record<string, any>;
      expect(res.status, JSON.stringify(run)).toBe(200);
      return run;
    }
    const started = await admin(`/v1/admin/syncs/${syncId}/run`, { method: 'POST' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    let run: Record<string, any> = {};
    await expect
      .poll(async () => (run = (await admin(`/v1/admin/syncs/${syncId}/runs/${started.body.run_id}`)).body).status, {
        timeout: 20_000,
      })
      .toMatch(/succeeded|failed/);
    return run;
  }

  /** The events the mock received so far, by event id. */
  const received = () => receivedEvents(mock.requests().filter((request) => request.assetId === PIXEL));

  test('sends new rows once as OFFLINE events, skips too-old rows, and retries failed rows on the next run', async () => {
    const first = [
      sale('1', 'alice@example.com', '12.50', daysAgo(2)),
      sale('2', 'bob@example.com', '30', daysAgo(1)),
      sale('3', 'carol@example.com', '5', daysAgo(40)),
      sale('4', 'dan@example.com', 'twelve', daysAgo(1)),
      sale('6', 'frank@example.com', '', daysAgo(1)),
    ];
    await table.insert(first);
    const { sourceId } = await createIntegration(collector, `sync ${table.engine}`, { pixel_id: PIXEL, access_token: TOKEN });

    let warehouseId: string | undefined;
    if (table.warehouse) {
      const created = await admin('/v1/admin/warehouses', {
        method: 'POST',
        body: JSON.stringify({ name: 'Sales DB', kind: table.warehouse.kind, config: { url: table.warehouse.url } }),
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      warehouseId = created.body.id;
    }
    const created = await admin('/v1/admin/syncs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Store sales',
        ...(table.warehouse ? { warehouse_id: warehouseId, query: table.query } : { kind: 'csv' }),
        source_id: sourceId,
        primary_key: 'sale_id',
        mapping: {
          event: { value: 'Order Completed' },
          timestamp: 'sold_at',
          email: 'customer_email',
          value: 'amount',
          currency: 'currency',
          order_id: 'sale_id',
          click_id: 'sccid',
        },
      }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ action_source: 'OFFLINE', mode: 'insert', schedule: null, enabled: true });
    const syncId = created.body.id as string;

    // Preview: the first rows as messages and Snapchat payloads, storing nothing.
    const preview = await collector.admin(`/v1/admin/syncs/${syncId}/preview`, {
      method: 'POST',
      ...(table.engine === 'csv' ? { body: table.csv(), headers: { 'content-type': 'text/csv' } } : {}),
    });
    const previewed = (await preview.json()) as { rows: Record<string, any>[] };
    expect(preview.status, JSON.stringify(previewed)).toBe(200);
    expect(previewed.rows.map((row) => row.row_key)).toEqual(['1', '2', '3', '4', '6']);
    expect(previewed.rows[0]!.message).toMatchObject({
      type: 'track',
      event: 'Order Completed',
      messageId: `sync:${syncId}:1`,
      timestamp: first[0]!.sold_at.toISOString(),
      properties: { value: 12.5, currency: 'EUR', order_id: '1' },
      context: { actionSource: 'OFFLINE', traits: { email: 'alice@example.com' }, snapchat: { clickId: 'click-1' } },
    });
    expect(previewed.rows[0]!.payloads[0].payload).toMatchObject(expectedEvent(syncId, first[0]!));
    expect(previewed.rows[2]!.payloads[0]).toMatchObject({ payload: null, reason_code: 'too_old' });
    expect(previewed.rows[3]!).toMatchObject({ message: null, error: 'value: not a number: "twelve"' });
    expect(previewed.rows[4]!.payloads[0]).toMatchObject({ payload: null, reason_code: 'missing_value_or_currency' });
    const events = await admin(`/v1/admin/events?source_id=${sourceId}`);
    expect(events.body.events).toEqual([]);

    const run = await runToEnd(syncId);
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    expect(run.counts).toEqual({ queried: 5, added: 5, changed: 0, unchanged: 0, sent: 2, skipped: 1, failed: 2 });
    expect(run.errors).toEqual([
      {
        row_key: '3',
        reason_code: 'too_old',
        detail: "the row's event is 40 days old; destinations take it no older than 37 days",
      },
      { row_key: '4', reason_code: 'invalid_row', detail: 'value: not a number: "twelve"' },
      // Stored, it would have been a failed delivery under the id its retry repeats: never sent.
      {
        row_key: '6',
        reason_code: 'missing_value_or_currency',
        detail: expect.stringContaining('PURCHASE'),
      },
    ]);
    await expect.poll(() => received().size, { timeout: 15_000 }).toBe(2);
    expect(received().get(`sync:${syncId}:1`)).toMatchObject(expectedEvent(syncId, first[0]!));
    expect(received().get(`sync:${syncId}:2`)).toMatchObject(expectedEvent(syncId, first[1]!));

    // A new row, a changed row (insert mode: not sent again), and the failing rows fixed.
    const added = sale('5', 'erin@example.com', '99.90', daysAgo(0.5));
    await table.insert([added]);
    await table.setAmount('2', '31');
    await table.setAmount('4', '7');
    await table.setAmount('6', '20');
    const second = await runToEnd(syncId);
    expect(second.counts).toEqual({ queried: 6, added: 3, changed: 1, unchanged: 2, sent: 3, skipped: 0, failed: 0 });
    expect(second.errors).toEqual([]);
    await expect.poll(() => received().size, { timeout: 15_000 }).toBe(5);
    expect([...received().keys()].sort()).toEqual(['1', '2', '4', '5', '6'].map((id) => `sync:${syncId}:${id}`));
    expect(received().get(`sync:${syncId}:6`)).toMatchObject(expectedEvent(syncId, { ...first[4]!, amount: '20' }));
    expect(received().get(`sync:${syncId}:4`)).toMatchObject(expectedEvent(syncId, { ...first[3]!, amount: '7' }));
    expect(received().get(`sync:${syncId}:5`)).toMatchObject(expectedEvent(syncId, added));

    const third = await runToEnd(syncId);
    expect(third.counts).toEqual({ queried: 6, added: 0, changed: 0, unchanged: 6, sent: 0, skipped: 0, failed: 0 });
    const runs = await admin(`/v1/admin/syncs/${syncId}/runs`);
    expect(runs.body.runs.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  }, 60_000);
}
