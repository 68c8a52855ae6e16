import { openSqliteStore, type Store } from '@datafirst/store';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retentionCutoff, RetentionSweeper } from './retention-sweeper.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('retentionCutoff', () => {
  it('keeps exactly the given number of days', () => {
    expect(retentionCutoff(Date.UTC(2026, 0, 31), 30)).toBe(Date.UTC(2026, 0, 1));
  });
});

describe('RetentionSweeper', () => {
  let store: Store;
  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  it('deletes the events received before the retention period, and only those', async () => {
    const source = await store.createSource({ name: 'Shop' });
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString();
    const event = (id: string, daysAgo: number) => ({
      message: {
        type: 'track' as const,
        event: 'Viewed',
        messageId: id,
        timestamp: at(daysAgo),
        receivedAt: at(daysAgo),
        context: {},
      },
      deliveries: [],
    });
    await store.appendEvents(source.id, [event('old', 31), event('recent', 29)]);
    const sweeper = new RetentionSweeper({ store, retentionDays: 30, logger: pino({ level: 'silent' }) });
    expect(await sweeper.sweepOnce()).toEqual({ events: 1, profiles: 0, clicks: 0, syncRuns: 0 });
    expect((await store.listEvents({})).map((stored) => stored.message.messageId)).toEqual(['recent']);
  });
});
