import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { mysqlServer, postgresServer, uniqueName } from '../../store/test/databases.js';

/** One sale as the tests' `sales` tables hold it. `amount` is text, so a row can hold a bad one. */
export interface Sale {
  sale_id: string;
  sold_at: Date;
  customer_email: string;
  amount: string;
  currency: string;
  sccid: string;
}

/** A sales table in one engine (or a CSV file), that a test adds rows to and changes. */
export interface SalesTable {
  engine: 'postgres' | 'mysql' | 'sqlite' | 'csv';
  /** The warehouse to create, or undefined for a CSV sync. */
  warehouse?: { kind: 'postgres' | 'mysql' | 'sqlite'; url: string };
  query?: string;
  insert(rows: readonly Sale[]): Promise<void>;
  setAmount(saleId: string, amount: string): Promise<void>;
  /** The whole table as a CSV file, header first. */
  csv(): string;
  close(): Promise<void>;
}

/** The table in memory too, for the CSV file and for checks. */
class Rows {
  readonly sales = new Map<string, Sale>();
  csv(): string {
    const lines = [...this.sales.values()].map((s) =>
      [s.sale_id, s.sold_at.toISOString(), s.customer_email, s.amount, s.currency, s.sccid].join(','),
    );
    return ['sale_id,sold_at,customer_email,amount,currency,sccid', ...lines].join('\n') + '\n';
  }
}

/** A PostgreSQL table in a schema of its own (timestamptz times). */
export async function postgresSales(): Promise<SalesTable> {
  const server = await postgresServer();
  const schema = uniqueName('df_sync');
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(
    `CREATE TABLE ${schema}.sales (sale_id text PRIMARY KEY, sold_at timestamptz, customer_email text, amount text, currency text, sccid text)`,
  );
  const rows = new Rows();
  return {
    engine: 'postgres',
    warehouse: { kind: 'postgres', url: server.url },
    query: `select * from ${schema}.sales order by sale_id`,
    async insert(sales) {
      for (const s of sales) {
        rows.sales.set(s.sale_id, s);
        await client.query(`INSERT INTO ${schema}.sales VALUES ($1, $2, $3, $4, $5, $6)`, [
          s.sale_id,
          s.sold_at,
          s.customer_email,
          s.amount,
          s.currency,
          s.sccid,
        ]);
      }
    },
    async setAmount(saleId, amount) {
      rows.sales.get(saleId)!.amount = amount;
      await client.query(`UPDATE ${schema}.sales SET amount = $1 WHERE sale_id = $2`, [amount, saleId]);
    },
    csv: () => rows.csv(),
    async close() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
      await server.stop();
    },
  };
}

/** A MySQL/MariaDB table of its own (DATETIME times, UTC). */
export async function mysqlSales(): Promise<SalesTable> {
  const server = await mysqlServer();
  const table = uniqueName('df_sales');
  const connection = await mysql.createConnection({ uri: server.url, timezone: 'Z' });
  await connection.query(
    `CREATE TABLE ${table} (sale_id VARCHAR(64) PRIMARY KEY, sold_at DATETIME(3), customer_email TEXT, amount TEXT, currency TEXT, sccid TEXT)`,
  );
  const rows = new Rows();
  return {
    engine: 'mysql',
    warehouse: { kind: 'mysql', url: server.url },
    query: `select * from ${table} order by sale_id`,
    async insert(sales) {
      for (const s of sales) {
        rows.sales.set(s.sale_id, s);
        await connection.query(`INSERT INTO ${table} VALUES (?, ?, ?, ?, ?, ?)`, [
          s.sale_id,
          s.sold_at,
          s.customer_email,
          s.amount,
          s.currency,
          s.sccid,
        ]);
      }
    },
    async setAmount(saleId, amount) {
      rows.sales.get(saleId)!.amount = amount;
      await connection.query(`UPDATE ${table} SET amount = ? WHERE sale_id = ?`, [amount, saleId]);
    },
    csv: () => rows.csv(),
    async close() {
      await connection.query(`DROP TABLE ${table}`);
      await connection.end();
      await server.stop();
    },
  };
}

/** A SQLite file (ISO 8601 text times). */
export async function sqliteSales(): Promise<SalesTable> {
  const dir = mkdtempSync(join(tmpdir(), 'datafirst-warehouse-'));
  const path = join(dir, 'sales.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE sales (sale_id TEXT PRIMARY KEY, sold_at TEXT, customer_email TEXT, amount TEXT, currency TEXT, sccid TEXT)',
  );
  const rows = new Rows();
  const insert = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)');
  return {
    engine: 'sqlite',
    warehouse: { kind: 'sqlite', url: `file:${path}` },
    query: 'select * from sales order by sale_id',
    async insert(sales) {
      db.transaction(() => {
        for (const s of sales) {
          rows.sales.set(s.sale_id, s);
          insert.run(s.sale_id, s.sold_at.toISOString(), s.customer_email, s.amount, s.currency, s.sccid);
        }
      })();
    },
    async setAmount(saleId, amount) {
      rows.sales.get(saleId)!.amount = amount;
      db.prepare('UPDATE sales SET amount = ? WHERE sale_id = ?').run(amount, saleId);
    },
    csv: () => rows.csv(),
    async close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A CSV file, uploaded whole on each run. */
export async function csvSales(): Promise<SalesTable> {
  const rows = new Rows();
  return {
    engine: 'csv',
    async insert(sales) {
      for (const s of sales) rows.sales.set(s.sale_id, s);
    },
    async setAmount(saleId, amount) {
      rows.sales.get(saleId)!.amount = amount;
    },
    csv: () => rows.csv(),
    close: async () => undefined,
  };
}

/** A large sales table (sale_id 1…n, sold an hour ago, in epoch seconds), for runs long enough to be killed midway. */
export interface LargeSales {
  engine: 'postgres' | 'mysql' | 'sqlite' | 'csv';
  /** The warehouse to create, or undefined for a CSV sync. */
  warehouse?: { kind: 'postgres' | 'mysql' | 'sqlite'; url: string };
  query?: string;
  /** The whole table as a CSV file, header first. */
  csv(): string;
  close(): Promise<void>;
}

const soldAnHourAgo = () => Math.floor(Date.now() / 1000) - 3600;
const largeSale = (i: number, soldAt: number) => [i, `buyer${i}@example.com`, 10 + (i % 90), soldAt] as const;

function largeCsv(rows: number, soldAt: number): string {
  const lines = Array.from({ length: rows }, (_, i) => largeSale(i + 1, soldAt).join(','));
  return ['sale_id,email,amount,sold_at', ...lines].join('\n') + '\n';
}

/** A large SQLite file. */
export async function largeSqliteSales(rows: number): Promise<LargeSales> {
  const dir = mkdtempSync(join(tmpdir(), 'datafirst-warehouse-'));
  const path = join(dir, 'sales.sqlite');
  const soldAt = soldAnHourAgo();
  const db = new Database(path);
  db.exec('CREATE TABLE sales (sale_id INTEGER PRIMARY KEY, email TEXT, amount REAL, sold_at INTEGER)');
  const insert = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) insert.run(...largeSale(i, soldAt));
  })();
  db.close();
  return {
    engine: 'sqlite',
    warehouse: { kind: 'sqlite', url: `file:${path}` },
    query: 'select * from sales order by sale_id',
    csv: () => largeCsv(rows, soldAt),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A large PostgreSQL table in a schema of its own, filled by one INSERT … SELECT. */
export async function largePostgresSales(rows: number): Promise<LargeSales> {
  const server = await postgresServer();
  const schema = uniqueName('df_large');
  const soldAt = soldAnHourAgo();
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`CREATE TABLE ${schema}.sales (sale_id bigint PRIMARY KEY, email text, amount numeric, sold_at bigint)`);
  await client.query(
    `INSERT INTO ${schema}.sales SELECT i, 'buyer' || i || '@example.com', 10 + i % 90, $2 FROM generate_series(1, $1::int) AS i`,
    [rows, soldAt],
  );
  return {
    engine: 'postgres',
    warehouse: { kind: 'postgres', url: server.url },
    query: `select * from ${schema}.sales order by sale_id`,
    csv: () => largeCsv(rows, soldAt),
    async close() {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
      await server.stop();
    },
  };
}

/** A large MySQL/MariaDB table of its own, filled a thousand rows a statement. */
export async function largeMysqlSales(rows: number): Promise<LargeSales> {
  const server = await mysqlServer();
  const table = uniqueName('df_large');
  const soldAt = soldAnHourAgo();
  const connection = await mysql.createConnection({ uri: server.url });
  await connection.query(`CREATE TABLE ${table} (sale_id BIGINT PRIMARY KEY, email TEXT, amount DECIMAL(10, 2), sold_at BIGINT)`);
  for (let first = 1; first <= rows; first += 1000) {
    const chunk = Array.from({ length: Math.min(1000, rows - first + 1) }, (_, i) => largeSale(first + i, soldAt));
    await connection.query(`INSERT INTO ${table} VALUES ?`, [chunk]);
  }
  return {
    engine: 'mysql',
    warehouse: { kind: 'mysql', url: server.url },
    query: `select * from ${table} order by sale_id`,
    csv: () => largeCsv(rows, soldAt),
    async close() {
      await connection.query(`DROP TABLE ${table}`);
      await connection.end();
      await server.stop();
    },
  };
}

/** A large CSV file, uploaded whole. */
export async function largeCsvSales(rows: number): Promise<LargeSales> {
  const soldAt = soldAnHourAgo();
  return { engine: 'csv', csv: () => largeCsv(rows, soldAt), close: async () => undefined };
}
