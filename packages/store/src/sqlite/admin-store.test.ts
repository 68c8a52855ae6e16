import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EnrichedMessage } from '@datafirst/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';

const SECRET_KEY = 'test-secret-key-of-at-least-32-characters';

let dir: string;
let path: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'datafirst-admin-store-'));
  path = join(dir, 'test.db');
  store = openSqliteStore({ path });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const message = (messageId: string, extra: Partial<EnrichedMessage> = {}): EnrichedMessage => ({
  type: 'track',
  event: 'Order Completed',
  messageId,
  anonymousId: 'anon-1',
  timestamp: new Date().toISOString(),
  receivedAt: new Date().toISOString(),
  context: {},
  ...extra,
});

async function sourceWithIntegration(token = 'plain-access-token') {
  const source = await store.createSource({ name: 'Shop', writeKey: 'wk_original_key' });
  const integration = await store.createIntegration({
    sourceId: source.id,
    vendor: 'snapchat',
    name: 'Pixel',
    enabled: true,
    config: { pixel_id: 'p', access_token: token },
    consentCategories: ['advertising'],
  });
  return { source, integration };
}

/** Every text stored in the secret-bearing columns, read around the store. */
function rawSecrets(): string {
  const db = new Database(path, { readonly: true });
  const rows = [
    ...db.prepare('SELECT write_key, previous_write_key FROM sources').all(),
    ...db.prepare('SELECT config FROM integrations').all(),
  ];
  db.close();
  return JSON.stringify(rows);
}

async function reopen(secretKey?: string) {
  await store.close();
  store = openSqliteStore({ path, secretKey });
}

describe('write key rotation', () => {
  it('accepts the old key during the grace period and the new one from the start', async () => {
    const { source } = await sourceWithIntegration();
    const rotated = await store.admin.rotateWriteKey(source.id, 60_000);
    expect(rotated!.writeKey).toMatch(/^wk_[\w-]{24}$/);
    expect(rotated!.writeKey).not.toBe('wk_original_key');
    expect(Date.parse(rotated!.previousKeyExpiresAt!)).toBeGreaterThan(Date.now() + 50_000);
    expect((await store.findSourceByWriteKey('wk_original_key'))?.id).toBe(source.id);
    expect((await store.findSourceByWriteKey(rotated!.writeKey))?.id).toBe(source.id);
  });

  it('stops the old key once the grace period is over, or at once without one', async () => {
    const { source } = await sourceWithIntegration();
    await store.admin.rotateWriteKey(source.id, 30);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
    expect((await store.getSource(source.id))!.previousKeyExpiresAt).toBeUndefined();

    const second = await store.admin.rotateWriteKey(source.id, 0);
    expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
    expect((await store.findSourceByWriteKey(second!.writeKey))?.id).toBe(source.id);
  });

  it('gives a grace period only to the latest previous key', async () => {
    const { source } = await sourceWithIntegration();
    const first = await store.admin.rotateWriteKey(source.id, 60_000);
    await store.admin.rotateWriteKey(source.id, 60_000);
    expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
    expect((await store.findSourceByWriteKey(first!.writeKey))?.id).toBe(source.id);
  });

  it('answers undefined for an unknown source', async () => {
    expect(await store.admin.rotateWriteKey('src_nope', 0)).toBeUndefined();
    expect(await store.admin.renameSource('src_nope', 'x')).toBeUndefined();
    expect(await store.admin.deleteSource('src_nope')).toBe(false);
  });
});

describe('renaming and deleting sources', () => {
  it('renames a source and keeps its key', async () => {
    const { source } = await sourceWithIntegration();
    expect(await store.admin.renameSource(source.id, 'Main shop')).toEqual({ ...source, name: 'Main shop' });
  });

  it('deletes a source with its integrations and skips its waiting deliveries, keeping the events', async () => {
    const { source, integration } = await sourceWithIntegration();
    await store.appendEvents(source.id, [
      { message: message('d-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    expect(await store.admin.deleteSource(source.id)).toBe(true);
    expect(await store.getSource(source.id)).toBeUndefined();
    expect(await store.getIntegration(integration.id)).toBeUndefined();
    expect(await store.findSourceByWriteKey('wk_original_key')).toBeUndefined();
    const [event] = await store.listEvents({});
    expect(event!.deliveries[0]).toMatchObject({ status: 'skipped', reason: 'integration_deleted: its source was deleted' });
  });
});

describe('secrets at rest', () => {
  it('stores access tokens and write keys sealed with a secret key, and returns them opened', async () => {
    await reopen(SECRET_KEY);
    const { source, integration } = await sourceWithIntegration('secret-access-token');
    await store.admin.rotateWriteKey(source.id, 60_000);
    const raw = rawSecrets();
    expect(raw).not.toContain('secret-access-token');
    expect(raw).not.toContain('wk_original_key');
    expect(raw).toContain('enc:v1:');
    expect((await store.getIntegration(integration.id))!.config.access_token).toBe('secret-access-token');
    expect((await store.findSourceByWriteKey('wk_original_key'))?.id).toBe(source.id);

    await store.appendEvents(source.id, [
      { message: message('s-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000, now: Date.now() });
    expect(leased!.integration.config.access_token).toBe('secret-access-token');
  });

  it('seals secrets stored as they are once a secret key is set, and keeps them working', async () => {
    const { source, integration } = await sourceWithIntegration('old-plain-token');
    expect(rawSecrets()).toContain('old-plain-token');
    await reopen(SECRET_KEY);
    expect(rawSecrets()).not.toContain('old-plain-token');
    expect(rawSecrets()).not.toContain('wk_original_key');
    expect((await store.getIntegration(integration.id))!.config.access_token).toBe('old-plain-token');
    expect((await store.findSourceByWriteKey('wk_original_key'))?.id).toBe(source.id);
    const updated = await store.updateIntegration(integration.id, { config: { pixel_id: 'p', access_token: 'new-token' } });
    expect(updated!.config.access_token).toBe('new-token');
    expect(rawSecrets()).not.toContain('new-token');
  });

  it('refuses to open sealed secrets without the key or with another key', async () => {
    await reopen(SECRET_KEY);
    await sourceWithIntegration();
    await store.close();
    expect(() => openSqliteStore({ path })).toThrow(/encrypted at rest/);
    expect(() => openSqliteStore({ path, secretKey: 'another-key-of-at-least-32-characters' })).toThrow(
      /does not open with this secret key/,
    );
    store = openSqliteStore({ path, secretKey: SECRET_KEY });
    expect((await store.listSources())[0]!.writeKey).toBe('wk_original_key');
  });
});

describe('live updates', () => {
  it('lists events whose deliveries changed since a time', async () => {
    const { source, integration } = await sourceWithIntegration();
    await store.appendEvents(source.id, [
      { message: message('u-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
      { message: message('u-2'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const since = Date.now();
    expect(await store.listEvents({ updatedSince: since })).toEqual([]);
    const leased = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000, now: Date.now() });
    await store.completeDeliveries('w', [{ deliveryId: leased[0]!.delivery.id, status: 'delivered' }]);
    expect((await store.listEvents({ updatedSince: since })).map((e) => e.message.messageId)).toEqual(['u-1']);
  });
});

describe('delivery health', () => {
  it('counts tries per minute, the backlog and the last error', async () => {
    const { source, integration } = await sourceWithIntegration();
    await store.appendEvents(
      source.id,
      ['h-1', 'h-2', 'h-3', 'h-4'].map((id) => ({
        message: message(id),
        deliveries: [{ integrationId: integration.id, status: 'pending' as const }],
      })),
    );
    const now = Date.now();
    const leased = await store.leaseDeliveries({ owner: 'w', limit: 3, leaseMs: 1000, now });
    await store.completeDeliveries('w', [
      { deliveryId: leased[0]!.delivery.id, status: 'delivered', httpStatus: 200 },
      {
        deliveryId: leased[1]!.delivery.id,
        status: 'pending',
        reason: 'retrying: HTTP 503',
        httpStatus: 503,
        nextAttemptAt: now + 60_000,
      },
      { deliveryId: leased[2]!.delivery.id, status: 'failed', reason: 'invalid event', httpStatus: 400 },
    ]);
    const health = await store.admin.deliveryHealth({ since: now - 3_600_000, now: Date.now() });
    expect(health.perMinute).toHaveLength(1);
    expect(health.perMinute[0]).toMatchObject({ delivered: 1, retried: 1, failed: 1 });
    expect(health.backlog).toMatchObject({ pending: 2, due: 1, blocked: 0, dead: 0 });
    expect(health.backlog.oldestPendingAt).not.toBeNull();
    expect(health.lastError).toMatchObject({
      integrationId: integration.id,
      integrationName: 'Pixel',
      status: 'failed',
      httpStatus: 400,
      reason: 'invalid event',
    });
    const other = await store.admin.deliveryHealth({ since: now - 3_600_000, now: Date.now(), integrationId: 'int_other' });
    expect(other).toEqual({
      perMinute: [],
      backlog: { pending: 0, due: 0, oldestPendingAt: null, blocked: 0, dead: 0 },
      lastError: null,
    });
  });
});

describe('match quality', () => {
  it('counts, per integration, the events of the last hour and day that carried each identifier', async () => {
    const { source, integration } = await sourceWithIntegration();
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const pending = [{ integrationId: integration.id, status: 'pending' as const }];
    await store.appendEvents(source.id, [
      {
        message: message('m-1', { context: { snapchat: { clickId: 'c', cookie1: 's' }, ip: '1.2.3.4', userAgent: 'UA' } }),
        deliveries: pending,
      },
      { message: message('m-2', { context: { traits: { email: 'a@b.co' } } }), deliveries: pending },
      {
        message: message('m-3', { receivedAt: hoursAgo(3), context: { traits: { phone: '+447700900123' } } }),
        deliveries: pending,
      },
      {
        message: message('m-4', { receivedAt: hoursAgo(30), context: { traits: { phone: '+447700900123' } } }),
        deliveries: pending,
      },
    ]);
    // The email of an earlier identify call shows only in the payload the worker sent.
    const [first] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 1000, now: Date.now() });
    await store.completeDeliveries('w', [
      { deliveryId: first!.delivery.id, status: 'delivered', payload: { url: 'u', event: { user_data: { em: ['hash'] } } } },
    ]);
    expect(await store.admin.matchQuality({ now: Date.now() })).toEqual([
      {
        integrationId: integration.id,
        integrationName: 'Pixel',
        lastHour: { events: 2, carrying: { click_id: 1, scid: 1, email: 2, phone: 0, ip_user_agent: 1 } },
        lastDay: { events: 3, carrying: { click_id: 1, scid: 1, email: 2, phone: 1, ip_user_agent: 1 } },
      },
    ]);
    expect(await store.admin.matchQuality({ now: Date.now(), sourceId: 'src_other' })).toEqual([]);
  });
});
