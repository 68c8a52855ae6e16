import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector(['--no-worker']);
});
afterAll(() => collector.stopAndClean());

/** A batch of 8 identify calls for one user, each with 1,000 junk traits: about 470 KB. */
function bigIdentifyBatch(batch: number): string {
  const messages = Array.from({ length: 8 }, (_, i) => ({
    type: 'identify',
    userId: 'victim-user',
    messageId: `big-${batch}-${i}`,
    traits: {
      email: 'jane@example.com',
      ...Object.fromEntries(Array.from({ length: 1000 }, (_, k) => [`t${batch}_${i}_${k}`, 'x'.repeat(48)])),
    },
  }));
  return JSON.stringify({ writeKey: WRITE_KEY, batch: messages });
}

describe('one visitor growing a profile', () => {
  it('keeps the profile of a user within 8 KB through 21 identify batches of about 470 KB, so later requests stay fast', async () => {
    for (let batch = 0; batch < 20; batch++) {
      const body = bigIdentifyBatch(batch);
      expect(body.length).toBeGreaterThan(470_000);
      expect((await collector.post('/v1/batch', body)).status).toBe(200);
    }
    expect((await collector.post('/v1/batch', bigIdentifyBatch(20))).status).toBe(200);
    // Unbounded, the profile had grown to about 9.6 MB, and every identify call rewrote it whole.
    // Capped at 8 KB of identity traits, it costs a later call as little as the first.
    const db = new Database(collector.dbPath, { readonly: true });
    try {
      const profiles = db.prepare<[], { key: string; traits: string }>('SELECT key, traits FROM profiles').all();
      expect(profiles.length).toBeGreaterThan(0);
      for (const { traits } of profiles) {
        expect(Buffer.byteLength(traits)).toBeLessThanOrEqual(8 * 1024);
        expect(JSON.parse(traits)).toMatchObject({ email: 'jane@example.com' });
      }
    } finally {
      db.close();
    }
  });
});
