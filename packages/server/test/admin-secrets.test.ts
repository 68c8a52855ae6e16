import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startDatafirst } from '../src/server.js';
import { ACCESS_TOKEN, call, createIntegration, createSource } from './admin-helpers.js';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

const SECRET_KEY = 'a-secret-key-for-tests-of-32-chars-or-more';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector([], { DATAFIRST_SECRET_KEY: SECRET_KEY });
});
afterAll(() => collector.stopAndClean());

/** Everything the database file holds in the secret-bearing columns. */
function storedSecrets(): string {
  const db = new Database(collector.dbPath, { readonly: true });
  try {
    return JSON.stringify([db.prepare('SELECT * FROM sources').all(), db.prepare('SELECT * FROM integrations').all()]);
  } finally {
    db.close();
  }
}

describe('DATAFIRST_SECRET_KEY', () => {
  it('keeps access tokens and write keys encrypted in the database, and everything still works', async () => {
    const source = await createSource(collector, 'Sealed');
    const integration = await createIntegration(collector, source.id);
    const rotated = await call(collector, 'POST', `/v1/admin/sources/${source.id}/rotate-key`, {});
    const stored = storedSecrets();
    for (const secret of [ACCESS_TOKEN, source.writeKey, rotated.body.write_key, WRITE_KEY, 'demo-token']) {
      expect(stored).not.toContain(secret);
    }
    expect(stored).toContain('enc:v1:');

    // The collector finds sources by their keys, old (in its grace period) and new.
    for (const writeKey of [source.writeKey, rotated.body.write_key]) {
      const res = await collector.post('/v1/batch', {
        writeKey,
        batch: [
          {
            type: 'page',
            anonymousId: 'a',
            messageId: `sealed-${writeKey}`,
            context: { page: { url: 'https://x.example/' }, ip: '198.51.100.1', userAgent: 'UA' },
          },
        ],
      });
      expect(res.status).toBe(200);
    }
    // The worker and the test event get the token in plaintext: the mock accepts them.
    await expect
      .poll(async () => {
        const { body } = await call(collector, 'GET', `/v1/admin/events?source_id=${source.id}`);
        return body.events.map((e: { deliveries: { status: string }[] }) => e.deliveries[0]!.status);
      })
      .toEqual(['delivered', 'delivered']);
    const test = await call(collector, 'POST', `/v1/admin/integrations/${integration.id}/test`, {});
    expect(test.body.response.status).toBe(200);
    expect((await call(collector, 'GET', `/v1/admin/integrations/${integration.id}`)).body.config.access_token).toBe('****CRET');
  });

  it('refuses to start without the key once secrets are encrypted, saying which setting is missing', async () => {
    const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--db', collector.dbPath], { LOG_LEVEL: 'silent' });
    await expect(startDatafirst(config)).rejects.toThrow(/encrypted at rest.*DATAFIRST_SECRET_KEY/);
  });

  it('refuses a key shorter than 32 characters at start', () => {
    expect(() => loadConfig([], { DATAFIRST_SECRET_KEY: 'short' })).toThrow(
      'DATAFIRST_SECRET_KEY must be at least 32 characters (try: openssl rand -base64 32)',
    );
  });
});
