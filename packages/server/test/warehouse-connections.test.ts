import { rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlServer, postgresServer, uniqueName, type TestDatabaseServer } from '../../store/test/databases.js';
import { connectMysql } from '../src/syncs/mysql-connection.js';
import { connectPostgres } from '../src/syncs/postgres-connection.js';
import { connectSqlite } from '../src/syncs/sqlite-connection.js';
import { WarehouseError, type WarehouseConnection } from '../src/syncs/warehouse-connection.js';

// A sync's query is the admin's text, run on the owner's warehouse: whatever it says, it must not
// write. These are the ways round a read-only transaction that a query of several statements, or
// the URL's driver options, would open. And the times it reads do not depend on any machine's zone.

/** Reads every row the query gives, or throws what the connection threw. */
async function readAll(connection: WarehouseConnection, query: string): Promise<number> {
  let count = 0;
  for await (const batch of connection.rows(query, 100)) count += batch.rows.length;
  return count;
}

/** Starts reading a query that hangs, closes the connection 200 ms in, and expects the read to fail within 5 s of it. */
async function expectClosingEndsRead(connection: WarehouseConnection, query: string): Promise<void> {
  // Its outcome is taken at once: the query fails while close() is still cancelling it.
  const reading = readAll(connection, query).then(
    () => 'read to its end',
    (error: unknown) => error,
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  const started = Date.now();
  await connection.close();
  expect(await reading).toBeInstanceOf(Error);
  expect(Date.now() - started).toBeLessThan(5_000);
}

const withOption = (url: string, option: string) => `${url}${url.includes('?') ? '&' : '?'}${option}`;

/** The first batch of rows a query gives. */
async function firstRows(connection: WarehouseConnection, query: string) {
  for await (const batch of connection.rows(query, 10)) return batch.rows;
  return [];
}

describe('a PostgreSQL warehouse query', () => {
  let server: TestDatabaseServer;
  let admin: pg.Client;
  const schema = uniqueName('df_ro');
  beforeAll(async () => {
    server = await postgresServer();
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.victim (id int); INSERT INTO ${schema}.victim VALUES (1)`);
  }, 60_000);
  afterAll(async () => {
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
    await server?.stop();
  });

  it.each([
    [
      'ends the read-only transaction and starts a writing one',
      `select 1 as id; commit; begin read write; drop table ${schema}.victim; commit; select 1`,
    ],
    ['writes in a second statement', `select 1 as id; delete from ${schema}.victim`],
    ['writes through a CTE', `with gone as (delete from ${schema}.victim returning id) select * from gone`],
  ])('that %s is refused, and the table stays as it was', async (_how, query) => {
    const connection = await connectPostgres(server.url);
    try {
      await expect(readAll(connection, query)).rejects.toThrow(/the query failed/);
    } finally {
      await connection.close();
    }
    expect((await admin.query(`SELECT count(*)::int AS n FROM ${schema}.victim`)).rows[0].n).toBe(1);
  });

  it("reads a date column as that day's UTC midnight, whatever the collector's zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    const connection = await connectPostgres(server.url);
    try {
      const [row] = await firstRows(connection, `select '2026-12-07'::date as day`);
      expect((row!.day as Date).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    } finally {
      await connection.close();
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('ends a query that hangs when the connection is closed, as a shutdown closes it, and cancels it in the warehouse', async () => {
    await expectClosingEndsRead(await connectPostgres(server.url), 'select pg_sleep(30) as slept_for_the_cancel_test');
    const running = async () =>
      (
        await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%slept_for_the_cancel_test%' AND pid <> pg_backend_pid()`,
        )
      ).rows[0]!.n;
    await expect.poll(running, { timeout: 3_000 }).toBe(0);
  });

  it('names an error the query meets part-way, and a URL option the driver cannot use, as the warehouse’s', async () => {
    const connection = await connectPostgres(server.url);
    try {
      const failing = readAll(connection, 'select 1 / (x - 3) as n from generate_series(1, 5) x');
      await expect(failing).rejects.toThrow(new WarehouseError('the query failed: division by zero'));
    } finally {
      await connection.close();
    }
    await expect(connectPostgres(`${server.url}?sslmode=verify-full&sslrootcert=/nonexistent/root.crt`)).rejects.toBeInstanceOf(
      WarehouseError,
    );
  });

  it.each(['abc', '70000', '-1'])(
    'refuses a port %j in the URL query with a reason (pg once crashed the process on it)',
    async (port) => {
      await expect(connectPostgres(withOption(server.url, `port=${port}`))).rejects.toThrow(/is no port/);
    },
  );

  it('reads times in ISO, whatever DateStyle the URL or the warehouse sets', async () => {
    const connection = await connectPostgres(withOption(server.url, `options=${encodeURIComponent('-c DateStyle=SQL,DMY')}`));
    try {
      const [row] = await firstRows(connection, `select '2026-12-07 10:00:00+00'::timestamptz as at, '2026-12-07'::date as day`);
      expect((row!.at as Date).toISOString()).toBe('2026-12-07T10:00:00.000Z');
      expect((row!.day as Date).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    } finally {
      await connection.close();
    }
  });

  it('still reads a plain SELECT', async () => {
    const connection = await connectPostgres(server.url);
    try {
      expect(await readAll(connection, `select * from ${schema}.victim`)).toBe(1);
    } finally {
      await connection.close();
    }
  });
});

describe('a SQLite warehouse file', () => {
  it('that is no database is named as such', async () => {
    await expect(connectSqlite('file:/etc/passwd')).rejects.toThrow(
      new WarehouseError('cannot open the SQLite file /etc/passwd: file is not a database'),
    );
  });
});

describe('a MySQL warehouse query', () => {
  let server: TestDatabaseServer;
  let admin: mysql.Connection;
  const table = uniqueName('df_ro_victim');
  const outfile = `/tmp/${uniqueName('df_ro_outfile')}.txt`;
  beforeAll(async () => {
    server = await mysqlServer();
    admin = await mysql.createConnection({ uri: server.url });
    await admin.query(`CREATE TABLE ${table} (id int)`);
    await admin.query(`INSERT INTO ${table} VALUES (1)`);
  }, 120_000);
  afterAll(async () => {
    await admin?.query(`DROP TABLE IF EXISTS ${table}`);
    await admin?.end();
    await server?.stop();
    rmSync(outfile, { force: true });
  });

  it.each([
    ['multipleStatements=true', `select 1 as id; set session transaction read write; drop table ${table}`],
    ['flags=%2BMULTI_STATEMENTS', `select 1 as id; set session transaction read write; drop table ${table}`],
  ])('ignores the URL option %s: a query of several statements is refused, and the table stays', async (option, query) => {
    const connection = await connectMysql(withOption(server.url, option));
    try {
      await expect(readAll(connection, query)).rejects.toThrow(/the query failed/);
    } finally {
      await connection.close();
    }
    const [rows] = await admin.query(`SELECT count(*) AS n FROM ${table}`);
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(1);
  });

  it('reads TIMESTAMP columns in UTC, whatever the server’s zone', async () => {
    const connection = await connectMysql(server.url);
    try {
      const [row] = await firstRows(connection, 'select @@session.time_zone as zone');
      expect(row!.zone).toBe('+00:00');
    } finally {
      await connection.close();
    }
  });

  it('ends a query that hangs when the connection is closed, as a shutdown closes it', async () => {
    await expectClosingEndsRead(await connectMysql(server.url), 'select sleep(30) as slept');
  });

  it.each(['ssl=garbage', 'charset=NOPE'])('names the URL option %s as not valid', async (option) => {
    await expect(connectMysql(withOption(server.url, option))).rejects.toThrow(/the MySQL URL's options are not valid/);
  });

  it('refuses a compound statement that would switch to read-write, and the table stays', async () => {
    const connection = await connectMysql(server.url);
    try {
      const compound = `BEGIN NOT ATOMIC SET SESSION TRANSACTION READ WRITE; DELETE FROM ${table}; SELECT 1 AS id; END`;
      await expect(readAll(connection, compound)).rejects.toThrow(/must be a SELECT/);
    } finally {
      await connection.close();
    }
    const [rows] = await admin.query(`SELECT count(*) AS n FROM ${table}`);
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(1);
  });

  it('refuses a SELECT that writes a file on the database host', async () => {
    const connection = await connectMysql(server.url);
    try {
      await expect(readAll(connection, `select 1 as id into outfile '${outfile}'`)).rejects.toThrow(
        'the query may not write files (INTO OUTFILE, INTO DUMPFILE)',
      );
    } finally {
      await connection.close();
    }
  });

  it('still reads a plain SELECT', async () => {
    const connection = await connectMysql(server.url);
    try {
      expect(await readAll(connection, `select * from ${table}`)).toBe(1);
    } finally {
      await connection.close();
    }
  });
});
