import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnrichedMessage } from '@datafirst/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { openSqliteStore } from './sqlite-store.js';

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'datafirst-store-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
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
  timestamp: '2025-06-02T10:00:00.000Z',
  receivedAt: '2025-06-02T10:00:01.000Z',
  context: {},
  ...extra,
});

async function sourceWithIntegration() {
  const source = await store.createSource({ name: 'Shop' });
  const integration = await store.createIntegration({
    sourceId: source.id,
    vendor: 'snapchat',
    name: 'Pixel',
    enabled: true,
    config: { pixel_id: 'p', access_token: 't' },
    consentCategories: ['advertising'],
  });
  return { source, integration };
}

describe('SqliteStore', () => {
  it('keeps data across reopening the file, and applies migrations once', async () => {
    const source = await store.createSource({ name: 'Shop', writeKey: 'wk_fixed' });
    await store.close();
    store = openSqliteStore({ path: join(dir, 'test.db') });
    expect(await store.findSourceByWriteKey('wk_fixed')).toEqual(source);
  });

  it('stores a messageId once per source and counts the repeat as a duplicate', async () => {
    const { source, integration } = await sourceWithIntegration();
    const event = { message: message('m-1'), deliveries: [{ integrationId: integration.id, status: 'pending' as const }] };
    expect(await store.appendEvents(source.id, [event])).toEqual({ stored: 1, duplicates: 0 });
    expect(await store.appendEvents(source.id, [event, event])).toEqual({ stored: 0, duplicates: 2 });
    expect(await store.listEvents({})).toHaveLength(1);
    expect((await store.countDeliveries()).pending).toBe(1);
  });

  it('merges identify traits into profiles found by userId or anonymousId', async () => {
    const { source } = await sourceWithIntegration();
    await store.appendEvents(source.id, [
      {
        message: message('i-1', { type: 'identify', event: undefined, traits: { email: 'a@b.co', firstName: 'Ann' } }),
        deliveries: [],
      },
      {
        message: message('i-2', { type: 'identify', event: undefined, userId: 'u-1', traits: { firstName: 'Anna' } }),
        deliveries: [],
      },
    ]);
    expect(await store.getProfileTraits(source.id, undefined, 'anon-1')).toEqual({
      email: 'a@b.co',
      firstName: 'Anna',
      userId: 'u-1',
    });
    expect(await store.getProfileTraits(source.id, 'u-1', 'anon-1')).toEqual({
      email: 'a@b.co',
      firstName: 'Anna',
      userId: 'u-1',
    });
    expect(await store.getProfileTraits(source.id, 'u-2', 'anon-2')).toBeUndefined();
  });

  it('never leases a delivery to two workers while the lease lasts, and leases it again once it expires', async () => {
    const { source, integration } = await sourceWithIntegration();
    await store.appendEvents(source.id, [
      { message: message('l-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    const now = Date.now();
    const first = await store.leaseDeliveries({ owner: 'a', limit: 10, leaseMs: 1000, now });
    const second = await store.leaseDeliveries({ owner: 'b', limit: 10, leaseMs: 1000, now });
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(0);
    expect(first[0]!.event.message.messageId).toBe('l-1');
    expect(first[0]!.integration.id).toBe(integration.id);
    const afterExpiry = await store.leaseDeliveries({ owner: 'b', limit: 10, leaseMs: 1000, now: now + 1001 });
    expect(afterExpiry).toHaveLength(1);
  });

  it('ignores an outcome from a worker whose lease was taken over', async () => {
    const { source, integration } = await sourceWithIntegration();
    await store.appendEvents(source.id, [
      { message: message('o-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    const now = Date.now();
    const [stale] = await store.leaseDeliveries({ owner: 'slow', limit: 1, leaseMs: 10, now });
    await store.leaseDeliveries({ owner: 'fresh', limit: 1, leaseMs: 60_000, now: now + 20 });
    await store.completeDeliveries('slow', [{ deliveryId: stale!.delivery.id, status: 'failed', reason: 'late' }]);
    await store.completeDeliveries('fresh', [{ deliveryId: stale!.delivery.id, status: 'delivered', payload: { a: 1 } }]);
    const [record] = await store.listEvents({});
    expect(record!.deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, payload: { a: 1 }, reason: null });
    expect(record!.deliveries[0]!.history.map((h) => h.status)).toEqual(['delivered']);
  });

  it('keeps a retried delivery pending until its next attempt time', async () => {
    const { source, integration } = await sourceWithIntegration();
    await store.appendEvents(source.id, [
      { message: message('r-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
    ]);
    const now = Date.now();
    const [leased] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000, now });
    await store.completeDeliveries('w', [
      { deliveryId: leased!.delivery.id, status: 'pending', reason: 'retrying: 503', nextAttemptAt: now + 5000, httpStatus: 503 },
    ]);
    expect(await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000, now: now + 4999 })).toHaveLength(0);
    const [again] = await store.leaseDeliveries({ owner: 'w', limit: 1, leaseMs: 60_000, now: now + 5000 });
    expect(again!.delivery).toMatchObject({ attempts: 1, reason: 'retrying: 503' });
  });

  it('filters events by source, integration, status and name, newest first', async () => {
    const { source, integration } = await sourceWithIntegration();
    await store.appendEvents(source.id, [
      { message: message('f-1'), deliveries: [{ integrationId: integration.id, status: 'pending' }] },
      {
        message: message('f-2', { event: 'Signed Up' }),
        deliveries: [{ integrationId: integration.id, status: 'skipped', reason: 'no_consent: advertising' }],
      },
    ]);
    expect((await store.listEvents({ sourceId: source.id })).map((e) => e.message.messageId)).toEqual(['f-2', 'f-1']);
    expect((await store.listEvents({ status: 'skipped' })).map((e) => e.message.messageId)).toEqual(['f-2']);
    expect((await store.listEvents({ name: 'Order Completed' })).map((e) => e.message.messageId)).toEqual(['f-1']);
    expect(await store.listEvents({ integrationId: 'int_other' })).toEqual([]);
    expect((await store.listEvents({ afterId: 1 })).map((e) => e.message.messageId)).toEqual(['f-2']);
  });
});
