import mysql from 'mysql2';
import type { Row } from './mapping.js';
import {
  assertWarehouseUrl,
  describeTarget,
  WarehouseError,
  type RowBatch,
  type WarehouseConnection,
} from './warehouse-connection.js';

const CONNECT_TIMEOUT_MS = 10_000;

function explain(error: unknown, target: string): WarehouseError {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ER_ACCESS_DENIED_ERROR') return new WarehouseError(`MySQL at ${target} refused the login: ${message}`);
  if (code === 'ER_BAD_DB_ERROR') return new WarehouseError(`MySQL at ${target}: ${message}`);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return new WarehouseError(`cannot reach MySQL at ${target}: ${code}`);
  }
  return new WarehouseError(`cannot connect to MySQL at ${target}: ${message ?? String(error)}`);
}

/**
 * Driver options a warehouse URL may not set (mysql2 reads any option from the query): several
 * statements in one query would let `SET SESSION TRANSACTION READ WRITE; DROP …` through, and
 * `LOAD DATA LOCAL` would read the collector's files.
 */
const UNSAFE_URL_OPTIONS = ['multipleStatements', 'flags', 'localInfile', 'infileStreamFactory'];

/** The URL without the options the driver must never take from it. */
function withoutUnsafeOptions(url: string): string {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  for (const name of [...parsed.searchParams.keys()]) {
    if (UNSAFE_URL_OPTIONS.some((unsafe) => unsafe.toLowerCase() === name.toLowerCase())) parsed.searchParams.delete(name);
  }
  return parsed.href;
}

/**
 * The query's text as MySQL reads it, for the checks below: comments become blanks, except the
 * executable ones (opened by a slash, a star and a bang), whose text MySQL runs, so it stays.
 */
function asRead(query: string): string {
  return query
    .replace(/\/\*(?!!)[\s\S]*?\*\//g, ' ')
    .replace(/\/\*!\d*|\*\//g, ' ')
    .replace(/(?:--\s|#)[^\n]*/g, ' ');
}

/**
 * Why a query may not run, or undefined. Only a query may: MySQL runs any one statement, and
 * READ ONLY does not stop a compound statement (`BEGIN NOT ATOMIC SET SESSION TRANSACTION READ
 * WRITE; …`) or a procedure that switches first. A SELECT may still write files on the database's
 * host (INTO OUTFILE) or read them (LOAD_FILE), which READ ONLY does not stop either, since no
 * table changes.
 */
export function mysqlQueryProblem(query: string): string | undefined {
  const text = asRead(query).trim();
  if (!/^(?:select|with|values|table|\()/i.test(text))
    return 'the query must be a SELECT (or WITH, VALUES, TABLE): a warehouse is only read';
  if (/\binto\s+(?:outfile|dumpfile)\b/i.test(text)) return 'the query may not write files (INTO OUTFILE, INTO DUMPFILE)';
  if (/\bload_file\s*\(/i.test(text)) return "the query may not read the database host's files (LOAD_FILE)";
  return undefined;
}

/** The driver's connection (not connected yet), with the options a warehouse always has. */
function createConnection(url: string): mysql.Connection {
  return mysql.createConnection({
    uri: withoutUnsafeOptions(url),
    multipleStatements: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // DATETIME has no zone: read it as UTC. Big numbers as text, so no key loses digits.
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
}

/** Connects to MySQL or MariaDB; the session's transactions are READ ONLY. */
export async function connectMysql(url: string): Promise<WarehouseConnection> {
  const target = describeTarget(url);
  assertWarehouseUrl('mysql', url);
  let connection: mysql.Connection;
  try {
    connection = createConnection(url);
  } catch (error) {
    // The driver checks its options as it is made (`?ssl=garbage`, `?charset=NOPE`).
    throw new WarehouseError(`the MySQL URL's options are not valid: ${(error as Error).message}`);
  }
  connection.on('error', () => undefined);
  const promised = connection.promise();
  try {
    await promised.connect();
    await promised.query('SET SESSION TRANSACTION READ ONLY');
    // TIMESTAMP columns come in the session's zone: UTC, as the driver reads them (timezone 'Z').
    await promised.query("SET time_zone = '+00:00'");
  } catch (error) {
    connection.destroy();
    throw explain(error, target);
  }
  return {
    async tables() {
      const [rows] = await promised.query(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY 1`,
      );
      return (rows as { name: string }[]).map((row) => row.name);
    },
    rows: (query, batchSize) => mysqlRows(connection, query, batchSize),
    async close() {
      // A query in flight would hold a polite quit until it ends: a shutdown cuts it instead.
      const cut = reading.get(connection);
      if (cut) {
        cut();
        connection.destroy();
      } else await promised.end().catch(() => connection.destroy());
    },
  };
}

/** The connections whose query is being read, with how to end that read at once. */
const reading = new WeakMap<mysql.Connection, () => void>();

/** Streams the result row by row (the driver pauses the socket while a batch is handled). */
async function* mysqlRows(connection: mysql.Connection, query: string, batchSize: number): AsyncGenerator<RowBatch> {
  const problem = mysqlQueryProblem(query);
  if (problem !== undefined) throw new WarehouseError(problem);
  let columns: string[] = [];
  const running = connection.query(query);
  running.on('fields', (fields: { name: string }[] | undefined) => (columns = (fields ?? []).map((field) => field.name)));
  const stream = running.stream({ highWaterMark: batchSize });
  reading.set(connection, () => stream.destroy(new Error('the connection was closed')));
  let rows: Row[] = [];
  let yielded = false;
  let finished = false;
  try {
    for await (const row of stream as AsyncIterable<Row>) {
      rows.push(row);
      if (rows.length >= batchSize) {
        yielded = true;
        yield { columns, rows };
        rows = [];
      }
    }
    finished = true;
  } catch (error) {
    throw new WarehouseError(`the query failed: ${(error as Error).message}`);
  } finally {
    reading.delete(connection);
    // A reader that stopped early leaves the rest of the result on the wire: drop the connection.
    if (!finished) connection.destroy();
  }
  if (rows.length > 0 || !yielded) yield { columns, rows };
}
