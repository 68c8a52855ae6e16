import { describe, expect, it } from 'vitest';
import { sleep, useStore, type CreateTestDatabase } from './harness.js';

const MINUTE = 60_000;

/** Limits every collector on one database shares: failed sign-ins and token buckets. */
export function describeLimits(createDatabase: CreateTestDatabase): void {
  describe('shared limits', () => {
    const under = useStore(createDatabase);

    it('gives the last failed sign-ins of a key within the window, oldest first, on the database clock', async () => {
      const { limits } = under.store;
      for (let i = 0; i < 3; i++) {
        await limits.recordFailedSignIn(['203.0.113.7', '*'], MINUTE);
        await sleep(5);
      }
      await limits.recordFailedSignIn(['198.51.100.2', '*'], MINUTE);
      const one = await limits.recentFailedSignIns('203.0.113.7', MINUTE, 10);
      expect(one.times).toHaveLength(3);
      expect([...one.times].sort((a, b) => a - b)).toEqual(one.times);
      expect(one.times[0]).toBeLessThan(one.times[2]!);
      expect(one.times[2]).toBeLessThanOrEqual(one.now);
      const all = await limits.recentFailedSignIns('*', MINUTE, 2);
      expect(all.times).toHaveLength(2);
      expect(all.times[1]).toBe((await limits.recentFailedSignIns('198.51.100.2', MINUTE, 10)).times[0]);
      expect((await limits.recentFailedSignIns('192.0.2.1', MINUTE, 10)).times).toEqual([]);
    });

    it('forgets failed sign-ins once they are older than the window', async () => {
      const { limits } = under.store;
      await limits.recordFailedSignIn(['203.0.113.7'], 100);
      expect((await limits.recentFailedSignIns('203.0.113.7', 100, 10)).times).toHaveLength(1);
      await sleep(150);
      expect((await limits.recentFailedSignIns('203.0.113.7', 100, 10)).times).toEqual([]);
    });

    it('keeps failed sign-ins across reopening the database, for every collector on it', async () => {
      await under.store.limits.recordFailedSignIn(['203.0.113.7'], MINUTE);
      const reopened = await under.reopen();
      expect((await reopened.limits.recentFailedSignIns('203.0.113.7', MINUTE, 10)).times).toHaveLength(1);
    });

    it("takes a bucket's burst at once, then refuses and says how long until the next token, for each key apart", async () => {
      const { limits } = under.store;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await limits.takeToken('ingest:src_a', 0.5, 3));
      expect(answers.map((a) => a.taken)).toEqual([true, true, true, false]);
      expect(answers.slice(0, 3).map((a) => a.waitMs)).toEqual([0, 0, 0]);
      // One token every 2 s: the next is at most 2 s away, and a few ms have passed since the burst.
      expect(answers[3]!.waitMs).toBeGreaterThan(1500);
      expect(answers[3]!.waitMs).toBeLessThanOrEqual(2000);
      expect((await limits.takeToken('ingest:src_b', 0.5, 3)).taken).toBe(true);
      // The bucket is in the database: a store opened on it again (another collector) sees it empty.
      const reopened = await under.reopen();
      expect((await reopened.limits.takeToken('ingest:src_a', 0.5, 3)).taken).toBe(false);
      expect((await reopened.limits.takeToken('ingest:src_b', 0.5, 3)).taken).toBe(true);
    });

    it('refills a bucket at its rate on the database clock, never beyond its burst', async () => {
      const { limits } = under.store;
      expect((await limits.takeToken('ingest:src_a', 20, 1)).taken).toBe(true);
      const refused = await limits.takeToken('ingest:src_a', 20, 1);
      expect(refused.taken).toBe(false);
      expect(refused.waitMs).toBeLessThanOrEqual(50);
      await sleep(refused.waitMs + 10);
      expect((await limits.takeToken('ingest:src_a', 20, 1)).taken).toBe(true);
      await sleep(200);
      // Four tokens' time passed, but the bucket holds one.
      expect((await limits.takeToken('ingest:src_a', 20, 1)).taken).toBe(true);
      expect((await limits.takeToken('ingest:src_a', 20, 1)).taken).toBe(false);
    });
  });
}
