import { request } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKilledRun } from './warehouse-sync-crash-scenario.js';
import { ADMIN_TOKEN, startTestCollector, type TestCollector } from './start-collector.js';
import { largeCsvSales } from './warehouse-fixtures.js';

describe('a CSV upload killed mid-run', () => describeKilledRun(largeCsvSales, 'csv'));

describe('a CSV upload cut off midway', () => {
  let collector: TestCollector;
  beforeAll(async () => {
    collector = await startTestCollector();
  });
  afterAll(async () => collector?.stopAndClean());

  const ROWS = 3000;
  const soldAt = Math.floor(Date.now() / 1000) - 3600;
  const file =
    ['sale_id,sold_at,amount', ...Array.from({ length: ROWS }, (_, i) => `${i + 1},${soldAt},${100 + i}`)].join('\n') + '\n';

  /** Sends all of `file` but its last bytes, then drops the connection. */
  function uploadCutOff(syncId: string): Promise<void> {
    return new Promise((resolve) => {
      const upload = request(`${collector.adminUrl}/v1/admin/syncs/${syncId}/upload`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', 'content-length': String(file.length) },
      });
      upload.on('error', () => resolve());
      // The last line is cut in its amount: "3000,…,3" of "3000,…,3099".
      upload.write(file.slice(0, -4), () => setTimeout(() => upload.destroy(), 200));
    });
  }

  it('fails naming it, stores no cut-off row, and the same file uploaded again sends only the rest, none twice', async () => {
    const sources = (await (await collector.admin('/v1/admin/sources')).json()) as { sources: { id: string }[] };
    const created = await collector.admin('/v1/admin/syncs', {
      method: 'POST',
      body: JSON.stringify({
        name: 'Phone sales',
        kind: 'csv',
        source_id: sources.sources[0]!.id,
        primary_key: 'sale_id',
        mapping: { event: { value: 'Order Completed' }, timestamp: 'sold_at', value: 'amount', currency: { value: 'EUR' } },
      }),
    });
    const sync = (await created.json()) as { id: string };
    await uploadCutOff(sync.id);

    const runs = async () => ((await (await collector.admin(`/v1/admin/syncs/${sync.id}/runs`)).json()) as { runs: any[] }).runs;
    await expect.poll(async () => (await runs())[0]?.status).toBe('failed');
    const [cut] = await runs();
    expect(cut.error).toBe('the CSV file could not be read: aborted');
    // Only whole batches of whole lines went through; none of the batch being read when the file ended.
    expect(cut.counts.sent).toBeLessThan(ROWS);
    expect(cut.counts.failed).toBe(0);

    const again = await collector.admin(`/v1/admin/syncs/${sync.id}/upload`, {
      method: 'POST',
      body: file,
      headers: { 'content-type': 'text/csv' },
    });
    const run = (await again.json()) as Record<string, any>;
    expect(again.status, JSON.stringify(run)).toBe(200);
    expect(run.counts).toMatchObject({ queried: ROWS, unchanged: cut.counts.sent, added: ROWS - cut.counts.sent, failed: 0 });
    expect(run.counts.sent).toBe(ROWS - cut.counts.sent);

    const db = new Database(collector.dbPath, { readonly: true });
    try {
      const stored = db
        .prepare<[], { events: number; ids: number; last: string }>(
          `SELECT count(*) AS events, count(DISTINCT message_id) AS ids,
             (SELECT json_extract(message, '$.properties.value') FROM events WHERE message_id = 'sync:${sync.id}:${ROWS}') AS last
           FROM events WHERE message_id LIKE 'sync:%'`,
        )
        .get()!;
      // Every row once, and the last one whole: its amount is 3099, never the cut-off "3".
      expect(stored).toEqual({ events: ROWS, ids: ROWS, last: 100 + ROWS - 1 });
    } finally {
      db.close();
    }
  });
});
