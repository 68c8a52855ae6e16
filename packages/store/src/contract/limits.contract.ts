import { describe, expect, it } from 'vitest';
import { sleep, useStore, type CreateTestDatabase } from './harness.js';

const MINUTE = 60_000;
// Windows this long are not crossed during a test (one starts at each whole hour).
const HOUR = 3_600_000;

/** Limits every collector on one database shares: failed sign-ins and request windows. */
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

    it('counts requests up to the limit in a window, refuses the rest, and keeps each key apart', async () => {
      const { limits } = under.store;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await limits.countRequest('ingest:src_a', 3, HOUR));
      expect(answers.map((a) => a.allowed)).toEqual([true, true, true, false]);
      expect(answers[3]!.windowEndsInMs).toBeGreaterThan(0);
      expect(answers[3]!.windowEndsInMs).toBeLessThanOrEqual(HOUR);
      expect((await limits.countRequest('ingest:src_b', 3, HOUR)).allowed).toBe(true);
      // The count is in the database: a store opened on it again (another collector) sees it.
      const reopened = await under.reopen();
      expect((await reopened.limits.countRequest('ingest:src_a', 3, HOUR)).allowed).toBe(false);
      expect((await reopened.limits.countRequest('ingest:src_b', 3, HOUR)).allowed).toBe(true);
    });

    it('starts every window with a fresh count', async () => {
      const { limits } = under.store;
      // Start just inside a fresh 200 ms window, so the two first requests share one.
      await sleep((await limits.countRequest('warm-up', 1, 200)).windowEndsInMs + 5);
      expect((await limits.countRequest('ingest:src_a', 1, 200)).allowed).toBe(true);
      const refused = await limits.countRequest('ingest:src_a', 1, 200);
      expect(refused.allowed).toBe(false);
      await sleep(refused.windowEndsInMs + 5);
      expect((await limits.countRequest('ingest:src_a', 1, 200)).allowed).toBe(true);
    });
  });
}
