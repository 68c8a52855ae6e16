import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '@datafirst/store';
import { readiness } from './readiness.js';

describe('readiness', () => {
  it('is ready while the database answers', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    expect(await readiness(store)).toEqual({ status: 200, body: { ok: true } });
    await store.close();
  });

  it('is not ready once the database does not answer, and says so', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.close();
    expect(await readiness(store)).toEqual({ status: 503, body: { ok: false, error: 'the database answered with an error' } });
  });
});
