import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setServerSide } from './admin-helpers.js';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector(['--no-worker']);
});
afterAll(() => collector.stopAndClean());

/** The stored profiles, by key (`u:<userId>`, `a:<anonymousId>`). */
function storedProfiles(): Map<string, Record<string, unknown>> {
  const db = new Database(collector.dbPath, { readonly: true });
  try {
    const rows = db.prepare<[], { key: string; traits: string }>('SELECT key, traits FROM profiles').all();
    return new Map(rows.map((row) => [row.key, JSON.parse(row.traits) as Record<string, unknown>]));
  } finally {
    db.close();
  }
}

describe('whose profile a write key may write', () => {
  const identify = (userId: string, anonymousId: string) => ({
    writeKey: WRITE_KEY,
    userId,
    anonymousId,
    traits: { email: 'attacker@evil.example' },
  });

  it("keeps a browser source's identify of a user id to its own anonymous id, Origin header or none", async () => {
    await setServerSide(collector, false);
    // A script needs no browser to send a page's public write key, and sends no Origin.
    expect((await collector.post('/v1/identify', identify('victim-42', 'anon-attacker'))).status).toBe(200);
    const withOrigin = { origin: 'https://shop.example' };
    expect((await collector.post('/v1/identify', identify('victim-43', 'anon-attacker-2'), withOrigin)).status).toBe(200);
    const profiles = storedProfiles();
    expect(profiles.has('u:victim-42')).toBe(false);
    expect(profiles.has('u:victim-43')).toBe(false);
    expect(profiles.get('a:anon-attacker')).toMatchObject({ email: 'attacker@evil.example' });
  });

  it("writes a server-side source's identify into the user id's profile", async () => {
    await setServerSide(collector, true);
    expect((await collector.post('/v1/identify', identify('member-7', 'anon-member-7'))).status).toBe(200);
    expect(storedProfiles().get('u:member-7')).toMatchObject({ email: 'attacker@evil.example', userId: 'member-7' });
  });
});

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
  // A backend's identify calls, the only ones that may write a user id's profile.
  beforeAll(() => setServerSide(collector, true));

  it('keeps the profile of a user within 8 KB through 21 identify batches of about 470 KB, so later requests stay fast', async () => {
    for (let batch = 0; batch < 20; batch++) {
      const body = bigIdentifyBatch(batch);
      expect(body.length).toBeGreaterThan(470_000);
      expect((await collector.post('/v1/batch', body)).status).toBe(200);
    }
    expect((await collector.post('/v1/batch', bigIdentifyBatch(20))).status).toBe(200);
    // Unbounded, the profile had grown to about 9.6 MB, and every identify call rewrote it whole.
    // Capped at 8 KB of identity traits, it costs a later call as little as the first.
    const profile = storedProfiles().get('u:victim-user');
    expect(profile).toMatchObject({ email: 'jane@example.com' });
    expect(Buffer.byteLength(JSON.stringify(profile))).toBeLessThanOrEqual(8 * 1024);
  });
});
