import { setTimeout as sleep, setImmediate as turn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { postgresServer, type TestDatabaseServer } from '../../test/databases.js';
import { startTcpProxy, type TcpProxy } from '../../test/tcp-proxy.js';
import { createPool, queryLarge, transaction } from './pool.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

let server: Promise<TestDatabaseServer> | undefined;
const serverUrl = async () => (await (server ??= postgresServer())).url;
afterAll(async () => {
  await (await server)?.stop();
});

const pools: pg.Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});

/** A pool with no connection open yet: its first query opens one. */
async function freshPool(): Promise<pg.Pool> {
  const pool = createPool({ url: await serverUrl(), poolSize: 1 });
  pools.push(pool);
  return pool;
}

/** A pool of one connection that reaches the database through a proxy the test can cut or freeze. */
async function poolViaProxy(): Promise<{ proxy: TcpProxy; pool: pg.Pool }> {
  const target = new URL(await serverUrl());
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const viaProxy = new URL(target);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  const pool = createPool({ url: viaProxy.toString(), poolSize: 1 });
  pools.push(pool);
  return { proxy, pool };
}

/** Whether the answer `query` gives is still in memory once nothing of ours refers to it. */
async function answerOutlivesItsUse(query: () => Promise<pg.QueryResult>): Promise<boolean> {
  const answer = new WeakRef(await query());
  // A WeakRef keeps its target for the rest of the turn that made it.
  await turn();
  collectGarbage();
  return answer.deref() !== undefined;
}

const SQL = 'SELECT repeat($1, 1000) AS text';

describe('queryLarge', () => {
  it("lets the answer of a connection's first query go, which pool.query keeps as long as the connection lives", async () => {
    const pool = await freshPool();
    // The reason queryLarge exists: if pg-pool stops keeping it, queryLarge can go.
    expect(await answerOutlivesItsUse(() => pool.query(SQL, ['x']))).toBe(true);

    const other = await freshPool();
    expect(await answerOutlivesItsUse(() => queryLarge(other, SQL, ['x']))).toBe(false);
  });

  it('gives the rows, and closes a connection whose query failed rather than reusing it', async () => {
    const pool = await freshPool();
    expect((await queryLarge<{ text: string }>(pool, SQL, ['ab'])).rows[0]!.text).toHaveLength(2000);
    await expect(queryLarge(pool, 'SELECT nothing_here', [])).rejects.toThrow(/nothing_here/);
    expect(pool.totalCount).toBe(0);
    expect((await queryLarge<{ n: number }>(pool, 'SELECT 1 AS n', [])).rows).toEqual([{ n: 1 }]);
  });

  it('fails the query, and not the process, when the connection is lost mid-query', async () => {
    const { proxy, pool } = await poolViaProxy();
    try {
      const sleeping = queryLarge(pool, 'SELECT pg_sleep(10)', []);
      await expect.poll(() => pool.totalCount - pool.idleCount).toBe(1);
      await sleep(100);
      // The connection reset with no word from the server, as when it stops or the network fails.
      // Unheard, the client's 'error' would be thrown out of the test as uncaught.
      await proxy.cut();
      await expect(sleeping).rejects.toThrow(/ECONNRESET|terminated/);
      expect(pool.totalCount).toBe(0);
    } finally {
      await proxy.close();
    }
  });
});

describe('transaction', () => {
  it('gives up, with queryTimeoutMs, on a database that went silent, and works again once it speaks', async () => {
    const { proxy, pool } = await poolViaProxy();
    try {
      const select = (client: Pick<pg.PoolClient, 'query'>) => client.query<{ n: number }>('SELECT 1 AS n');
      expect((await transaction(pool, select, { queryTimeoutMs: 500 })).rows).toEqual([{ n: 1 }]);
      // No reset, no answer: without the timeout this transaction waits for as long as the silence lasts.
      proxy.freeze();
      await expect(transaction(pool, select, { queryTimeoutMs: 500 })).rejects.toThrow('Query read timeout');
      // Its connection is closed, not handed to the next caller.
      expect(pool.totalCount).toBe(0);
      proxy.thaw();
      expect((await transaction(pool, select, { queryTimeoutMs: 500 })).rows).toEqual([{ n: 1 }]);
    } finally {
      await proxy.close();
    }
  });
});

describe('createPool', () => {
  it('names its connections, so that pg_stat_activity tells which process holds which', async () => {
    const pool = createPool({ url: await serverUrl(), poolSize: 1, applicationName: 'datafirst worker host-42' });
    pools.push(pool);
    const { rows } = await pool.query<{ name: string }>(
      'SELECT application_name AS name FROM pg_stat_activity WHERE pid = pg_backend_pid()',
    );
    expect(rows).toEqual([{ name: 'datafirst worker host-42' }]);
  });
});
