import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createIntegration, createSource } from './admin-helpers.js';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector(['--no-worker']);
});
afterAll(() => collector.stopAndClean());

const WRITE_KEY_SHAPE = /^wk_[\w-]{24}$/;
const MASKED = /^\*\*\*\*[\w-]{4}$/;

/** Sends one track call with a write key; returns the HTTP status. */
async function ingest(writeKey: string): Promise<number> {
  const res = await collector.post('/v1/track', { writeKey, event: 'Signed Up', anonymousId: 'a-1' });
  return res.status;
}

describe('POST /v1/admin/sources', () => {
  it('creates a source and shows its write key this once, with the snippet to paste', async () => {
    const { status, body } = await call(collector, 'POST', '/v1/admin/sources', { name: '  Blog  ' });
    expect(status).toBe(201);
    expect(body).toEqual({
      id: expect.stringMatching(/^src_/),
      name: 'Blog',
      write_key: expect.stringMatching(WRITE_KEY_SHAPE),
      previous_key_expires_at: null,
      allowed_origins: [],
      rate_limit_rps: null,
      server_side: false,
      integrations: 0,
      created_at: expect.any(String),
      snippet: expect.stringContaining(body.write_key),
    });
    expect(body.snippet).toContain(`src="${collector.url}/_df.js"`);
    expect(await ingest(body.write_key)).toBe(200);
  });

  it('refuses an empty name, a name over 200 characters and unknown fields with 400', async () => {
    expect(await call(collector, 'POST', '/v1/admin/sources', { name: ' ' })).toEqual({
      status: 400,
      body: {
        error: 'name: a non-empty string of at most 200 characters',
        errors: ['name: a non-empty string of at most 200 characters'],
      },
    });
    expect((await call(collector, 'POST', '/v1/admin/sources', { name: 'x'.repeat(201) })).status).toBe(400);
    expect(await call(collector, 'POST', '/v1/admin/sources', { name: 'Shop', write_key: 'mine' })).toEqual({
      status: 400,
      body: { error: 'write_key: unknown field (known: name)', errors: ['write_key: unknown field (known: name)'] },
    });
    expect(await call(collector, 'POST', '/v1/admin/sources', [])).toEqual({
      status: 400,
      body: { error: 'body: must be a JSON object', errors: ['body: must be a JSON object'] },
    });
  });
});

describe('admin bodies are JSON', () => {
  it('refuses a body sent without Content-Type: application/json with 415 and does nothing', async () => {
    const before = (await call(collector, 'GET', '/v1/admin/sources')).body.sources.length;
    const res = await collector.admin('/v1/admin/sources', {
      method: 'POST',
      body: 'name=Form',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      error: 'send the body as JSON with Content-Type: application/json (got "application/x-www-form-urlencoded")',
    });
    expect((await call(collector, 'GET', '/v1/admin/sources')).body.sources).toHaveLength(before);
  });

  it('allows calls without a body, and two sources with the same name (names are labels; ids identify)', async () => {
    const first = await call(collector, 'POST', '/v1/admin/sources', { name: 'Twin' });
    const second = await call(collector, 'POST', '/v1/admin/sources', { name: 'Twin' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.id).not.toBe(second.body.id);
    const rotated = await collector.admin(`/v1/admin/sources/${first.body.id}/rotate-key`, { method: 'POST' });
    expect(rotated.status).toBe(200);
  });
});

describe('GET /v1/admin/sources', () => {
  it('lists sources with masked write keys and their number of integrations', async () => {
    const source = await createSource(collector, 'Listed');
    await createIntegration(collector, source.id);
    const { status, body } = await call(collector, 'GET', '/v1/admin/sources');
    expect(status).toBe(200);
    const listed = body.sources.find((s: { id: string }) => s.id === source.id);
    expect(listed).toEqual({
      id: source.id,
      name: 'Listed',
      write_key: expect.stringMatching(MASKED),
      previous_key_expires_at: null,
      allowed_origins: [],
      rate_limit_rps: null,
      server_side: false,
      integrations: 1,
      created_at: expect.any(String),
    });
    expect(listed.write_key).toBe(`****${source.writeKey.slice(-4)}`);
    expect(body.sources.map((s: { name: string }) => s.name)).toContain('Demo shop');
  });

  it('reads one source, and answers 404 for an unknown one', async () => {
    const source = await createSource(collector, 'One');
    const { status, body } = await call(collector, 'GET', `/v1/admin/sources/${source.id}`);
    expect(status).toBe(200);
    expect(body.name).toBe('One');
    expect(body.write_key).toMatch(MASKED);
    expect(await call(collector, 'GET', '/v1/admin/sources/src_nope')).toEqual({
      status: 404,
      body: { error: 'no such source' },
    });
  });
});

describe('PATCH /v1/admin/sources/:id', () => {
  it('renames a source', async () => {
    const source = await createSource(collector, 'Old name');
    const { status, body } = await call(collector, 'PATCH', `/v1/admin/sources/${source.id}`, { name: 'New name' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: source.id, name: 'New name', write_key: `****${source.writeKey.slice(-4)}` });
    expect(await ingest(source.writeKey)).toBe(200);
  });

  it('refuses a missing or empty name and read-only fields with 400, and an unknown source with 404', async () => {
    const source = await createSource(collector, 'Rename me');
    expect(await call(collector, 'PATCH', `/v1/admin/sources/${source.id}`, {})).toEqual({
      status: 400,
      body: {
        error: 'name, allowed_origins, rate_limit_rps or server_side: give at least one to change',
        errors: ['name, allowed_origins, rate_limit_rps or server_side: give at least one to change'],
      },
    });
    expect((await call(collector, 'PATCH', `/v1/admin/sources/${source.id}`, { name: '' })).status).toBe(400);
    expect(await call(collector, 'PATCH', `/v1/admin/sources/${source.id}`, { write_key: 'x' })).toEqual({
      status: 400,
      body: { error: 'write_key: cannot be changed', errors: ['write_key: cannot be changed'] },
    });
    expect(await call(collector, 'PATCH', '/v1/admin/sources/src_nope', { name: 'x' })).toEqual({
      status: 404,
      body: { error: 'no such source' },
    });
  });
});

describe('source settings: allowed_origins and rate_limit_rps', () => {
  it('sets and clears them, and refuses what is not an origin or a rate', async () => {
    const source = await createSource(collector, 'Settings');
    const path = `/v1/admin/sources/${source.id}`;
    const set = await call(collector, 'PATCH', path, { allowed_origins: ['https://partner.example'], rate_limit_rps: 20 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: 'Settings', allowed_origins: ['https://partner.example'], rate_limit_rps: 20 });
    expect((await call(collector, 'PATCH', path, { rate_limit_rps: null })).body).toMatchObject({
      allowed_origins: ['https://partner.example'],
      rate_limit_rps: null,
    });
    expect(await call(collector, 'PATCH', path, { allowed_origins: ['https://partner.example/page'] })).toEqual({
      status: 400,
      body: {
        error:
          'allowed_origins: a list of origins such as "https://shop.example" (scheme, host and port only); "https://partner.example/page" is not one',
        errors: [
          'allowed_origins: a list of origins such as "https://shop.example" (scheme, host and port only); "https://partner.example/page" is not one',
        ],
      },
    });
    expect((await call(collector, 'PATCH', path, { rate_limit_rps: 0 })).status).toBe(400);
    expect((await call(collector, 'PATCH', path, { rate_limit_rps: '5' })).status).toBe(400);
  });

  it('marks a source server-side, whose write key is secret, and refuses what is not true or false', async () => {
    const source = await createSource(collector, 'Backend');
    const path = `/v1/admin/sources/${source.id}`;
    expect((await call(collector, 'PATCH', path, { server_side: true })).body).toMatchObject({ server_side: true });
    expect((await call(collector, 'GET', path)).body).toMatchObject({ server_side: true });
    expect(await call(collector, 'PATCH', path, { server_side: 'yes' })).toEqual({
      status: 400,
      body: {
        error: 'server_side: true for a source whose write key stays on servers, false for a browser source',
        errors: ['server_side: true for a source whose write key stays on servers, false for a browser source'],
      },
    });
  });
});

describe('POST /v1/admin/sources/:id/rotate-key', () => {
  it('gives a new key at once and keeps the old one working for the grace period (a day by default)', async () => {
    const source = await createSource(collector, 'Rotating');
    const { status, body } = await call(collector, 'POST', `/v1/admin/sources/${source.id}/rotate-key`, {});
    expect(status).toBe(200);
    expect(body.write_key).toMatch(WRITE_KEY_SHAPE);
    expect(body.write_key).not.toBe(source.writeKey);
    expect(body.snippet).toContain(body.write_key);
    const grace = Date.parse(body.previous_key_expires_at) - Date.now();
    expect(grace).toBeGreaterThan(23.9 * 3600_000);
    expect(grace).toBeLessThanOrEqual(24 * 3600_000);
    expect(await ingest(body.write_key)).toBe(200);
    expect(await ingest(source.writeKey)).toBe(200);
    const listed = await call(collector, 'GET', `/v1/admin/sources/${source.id}`);
    expect(listed.body.write_key).toBe(`****${body.write_key.slice(-4)}`);
    expect(listed.body.previous_key_expires_at).toBe(body.previous_key_expires_at);
  });

  it('stops the old key at once with a grace period of 0', async () => {
    const source = await createSource(collector, 'Leaked key');
    const { body } = await call(collector, 'POST', `/v1/admin/sources/${source.id}/rotate-key`, { grace_seconds: 0 });
    expect(body.previous_key_expires_at).toBeNull();
    expect(await ingest(source.writeKey)).toBe(401);
    expect(await ingest(body.write_key)).toBe(200);
  });

  it('refuses a grace period that is not an integer from 0 to 30 days with 400, and an unknown source with 404', async () => {
    const source = await createSource(collector, 'Bad grace');
    const error = 'grace_seconds: an integer from 0 (the old key stops at once) to 2592000 (30 days)';
    for (const grace of [-1, 1.5, '60', 2_592_001]) {
      expect(await call(collector, 'POST', `/v1/admin/sources/${source.id}/rotate-key`, { grace_seconds: grace })).toEqual({
        status: 400,
        body: { error, errors: [error] },
      });
    }
    expect(await call(collector, 'POST', '/v1/admin/sources/src_nope/rotate-key', {})).toEqual({
      status: 404,
      body: { error: 'no such source' },
    });
  });
});

describe('DELETE /v1/admin/sources/:id', () => {
  it('deletes a source and its integrations; its write key stops working', async () => {
    const source = await createSource(collector, 'Doomed');
    const integration = await createIntegration(collector, source.id);
    expect(await call(collector, 'DELETE', `/v1/admin/sources/${source.id}`)).toEqual({ status: 204, body: undefined });
    expect((await call(collector, 'GET', `/v1/admin/sources/${source.id}`)).status).toBe(404);
    expect((await call(collector, 'GET', `/v1/admin/integrations/${integration.id}`)).status).toBe(404);
    expect(await ingest(source.writeKey)).toBe(401);
    expect(await call(collector, 'DELETE', `/v1/admin/sources/${source.id}`)).toEqual({
      status: 404,
      body: { error: 'no such source' },
    });
  });

  it('leaves the other sources alone', async () => {
    expect(await ingest(WRITE_KEY)).toBe(200);
  });
});
