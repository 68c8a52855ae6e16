import { openSqliteStore, type Store } from '@datafirst/store';
import { afterEach, describe, expect, it } from 'vitest';
import { FailedLoginLimiter } from './login-limiter.js';

// A real store on a clock the test moves: the failures are counted where every collector sees them.
let now = 0;
let store: Store | undefined;
const storeAt = (start: number) => {
  now = start;
  store = openSqliteStore({ path: ':memory:', clock: () => now });
  return store.limits;
};
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('FailedLoginLimiter', () => {
  it('lets an address try until its tenth failure in a minute, then says how long to wait', async () => {
    const limiter = new FailedLoginLimiter(storeAt(1_000_000), 10, 60_000);
    for (let i = 0; i < 10; i++) {
      expect(await limiter.retryAfterSeconds('198.51.100.1')).toBeUndefined();
      await limiter.fail('198.51.100.1');
      now += 1000;
    }
    expect(await limiter.retryAfterSeconds('198.51.100.1')).toBe(50);
    expect(await limiter.retryAfterSeconds('198.51.100.2')).toBeUndefined();
  });

  it('forgets failures older than the window', async () => {
    const limiter = new FailedLoginLimiter(storeAt(1_000_000), 2, 60_000);
    await limiter.fail('a');
    await limiter.fail('a');
    expect(await limiter.retryAfterSeconds('a')).toBe(60);
    now += 60_001;
    expect(await limiter.retryAfterSeconds('a')).toBeUndefined();
  });

  it('limits failures from all addresses together, so rotating addresses does not help', async () => {
    const limiter = new FailedLoginLimiter(storeAt(1_000_000), 10, 60_000, 100);
    for (let i = 0; i < 100; i++) {
      expect(await limiter.retryAfterSeconds(`203.0.113.${i}`)).toBeUndefined();
      await limiter.fail(`203.0.113.${i}`);
    }
    now += 30_000;
    expect(await limiter.retryAfterSeconds('203.0.113.250')).toBe(30);
    now += 30_001;
    expect(await limiter.retryAfterSeconds('203.0.113.250')).toBeUndefined();
  });

  it('counts the failures another collector on the same database recorded', async () => {
    const limits = storeAt(1_000_000);
    const one = new FailedLoginLimiter(limits, 2, 60_000);
    const other = new FailedLoginLimiter(limits, 2, 60_000);
    await one.fail('198.51.100.1');
    await other.fail('198.51.100.1');
    expect(await one.retryAfterSeconds('198.51.100.1')).toBe(60);
    expect(await other.retryAfterSeconds('198.51.100.1')).toBe(60);
  });
});
