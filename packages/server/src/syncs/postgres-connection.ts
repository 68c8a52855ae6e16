import pg from 'pg';
import type { Row } from './mapping.js';
import {
  assertWarehouseUrl,
  describeTarget,
  WarehouseError,
  type RowBatch,
  type WarehouseConnection,
} from './warehouse-connection.js';

const CONNECT_TIMEOUT_MS = 10_000;
const DATE = 1082;
const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

// `timestamp` and `date` columns have no zone: read them as UTC, not as this machine's local time.
const UTC_PARSERS: Readonly<Record<number, (text: string) => Date>> = {
  [DATE]: (text) => new Date(`${text}T00:00:00Z`),
  [TIMESTAMP_WITHOUT_TIME_ZONE]: (text) => new Date(`${text.replace(' ', 'T')}Z`),
};
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    (format !== 'binary' ? UTC_PARSERS[oid] : undefined) ??
    (pg.types.getTypeParser(oid, format ?? 'text') as unknown)) as typeof pg.types.getTypeParser,
};

/** What the server's error says, with its code where it names a common mistake. */
function explain(error: unknown, target: string): WarehouseError {
  const { code, message } = error as { code?: string; message?: string };
  if (code === '28P01' || code === '28000') return new WarehouseError(`PostgreSQL at ${target} refused the login: ${message}`);
  if (code === '3D000') return new WarehouseError(`PostgreSQL at ${target}: ${message}`);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') {
    return new WarehouseError(`cannot reach PostgreSQL at ${target}: ${code}`);
  }
  return new WarehouseError(`cannot connect to PostgreSQL at ${target}: ${message ?? String(error)}`);
}

/** Connects to PostgreSQL; every query runs in a READ ONLY transaction. */
export async function connectPostgres(url: string): Promise<WarehouseConnection> {
  const target = describeTarget(url);
  assertWarehouseUrl('postgres', url);
  let client: pg.Client;
  try {
    client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      types,
      application_name: 'datafirst',
    });
  } catch (error) {
    // The driver reads the URL's options as it is made (`?sslrootcert=` a file that is not there).
    throw explain(error, target);
  }
  // A dropped connection emits 'error' on the client; the query in flight rejects with it too.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY');
    // Times come as text the parsers read: ISO, whatever DateStyle the warehouse or the URL sets.
    await client.query('SET DateStyle = ISO, YMD');
  } catch (error) {
    await client.end().catch(() => undefined);
    throw explain(error, target);
  }
  return {
    async tables() {
      const result = await client.query<{ name: string }>(
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
         WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
           AND has_table_privilege(quote_ident(table_schema) || '.' || quote_ident(table_name), 'SELECT')
         ORDER BY 1`,
      );
      return result.rows.map((row) => row.name);
    },
    rows: (query, batchSize) => postgresRows(client, query, batchSize),
    async close() {
      // A query still running would run on in the warehouse once this side has gone: cancel it.
      if (reading.has(client)) await cancelQueryOf(client, url);
      await client.end().catch(() => undefined);
    },
  };
}

/** The clients whose query is being read. */
const reading = new WeakSet<pg.Client>();

/**
 * Asks the server to cancel the query `client` runs, over a connection of its own, within a few
 * seconds; a warehouse that does not answer is left to end the query itself.
 */
async function cancelQueryOf(client: pg.Client, url: string): Promise<void> {
  const pid = (client as unknown as { processID: number | null }).processID;
  if (pid === null) return;
  const canceller = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000, application_name: 'datafirst' });
  canceller.on('error', () => undefined);
  try {
    await canceller.connect();
    await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // Cancelling is a courtesy to the warehouse: the run has stopped either way.
  } finally {
    await canceller.end().catch(() => undefined);
  }
}

/** Reads through a server-side cursor, `batchSize` rows per FETCH. */
async function* postgresRows(client: pg.Client, query: string, batchSize: number): AsyncGenerator<RowBatch> {
  const sql = query.trim().replace(/;\s*$/, '');
  await client.query('BEGIN TRANSACTION READ ONLY');
  reading.add(client);
  try {
    try {
      // The extended protocol (`queryMode`) takes one statement only: sent as a simple query,
      // `…; COMMIT; BEGIN READ WRITE; DROP TABLE …` would end the read-only transaction and write.
      // (pg's own option, which its type declarations do not list yet.)
      const declare: pg.QueryConfig & { queryMode: 'extended' } = {
        text: `DECLARE datafirst_rows NO SCROLL CURSOR FOR ${sql}`,
        queryMode: 'extended',
      };
      await client.query(declare);
    } catch (error) {
      throw new WarehouseError(`the query failed: ${(error as Error).message}`);
    }
    for (;;) {
      // The query runs as it is fetched: its errors (a division by zero on row 6,000) come here.
      const result = await client
        .query<Row>(`FETCH ${Math.max(1, Math.floor(batchSize))} FROM datafirst_rows`)
        .catch((error: unknown) => {
          throw new WarehouseError(`the query failed: ${(error as Error).message}`);
        });
      const columns = result.fields.map((field) => field.name);
      yield { columns, rows: result.rows };
      if (result.rows.length < batchSize) break;
    }
  } finally {
    reading.delete(client);
    // Also when the reader stops early (a preview): the cursor ends with the transaction.
    await client.query('ROLLBACK').catch(() => undefined);
  }
}
