import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Row } from './mapping.js';
import { WarehouseError, type RowBatch, type WarehouseConnection } from './warehouse-connection.js';

/** The file a `file:` URL names. */
function sqlitePath(url: string): string {
  try {
    return fileURLToPath(url.startsWith('file:///') || !url.startsWith('file:/') ? url : `file://${url.slice('file:'.length)}`);
  } catch {
    throw new WarehouseError(`not a SQLite file URL: use file:/path/to/database.sqlite`);
  }
}

/** Opens a SQLite file read-only (it must exist); queries may not write (`query_only`). */
export async function connectSqlite(url: string): Promise<WarehouseConnection> {
  const path = sqlitePath(url);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    db.pragma('busy_timeout = 5000');
    // The first read: a file that is no database (`/etc/passwd`) is found out here.
    if (isDatafirstDatabase(db)) {
      db.close();
      throw new WarehouseError(`${path} is a Datafirst database: its write keys and credentials are not a warehouse to read`);
    }
  } catch (error) {
    if (error instanceof WarehouseError) throw error;
    throw new WarehouseError(`cannot open the SQLite file ${path}: ${(error as Error).message}`);
  }
  return {
    async tables() {
      return db
        .prepare<[], { name: string }>(
          `SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`,
        )
        .all()
        .map((row) => row.name);
    },
    rows: (query, batchSize) => sqliteRows(db, query, batchSize),
    async close() {
      db.close();
    },
  };
}

/**
 * Whether the file is Datafirst's own (this collector's, or another's): a query on it would read
 * the write keys and access tokens the admin API only ever shows masked. Known by two tables no
 * warehouse would hold under these names.
 */
function isDatafirstDatabase(db: Database.Database): boolean {
  const found = db
    .prepare<[], { n: number }>(
      `SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name IN ('delivery_status_counts', 'suppressed_identities')`,
    )
    .get();
  return found?.n === 2;
}

async function* sqliteRows(db: Database.Database, query: string, batchSize: number): AsyncGenerator<RowBatch> {
  let statement: Database.Statement<[], Row>;
  try {
    statement = db.prepare<[], Row>(query);
  } catch (error) {
    throw new WarehouseError(`the query failed: ${(error as Error).message}`);
  }
  if (!statement.reader) throw new WarehouseError('the query returns no rows: give a SELECT');
  // `DELETE … RETURNING *` returns rows too; the file is open read-only, so it would fail as it ran.
  if (!statement.readonly) throw new WarehouseError('the query writes: give a SELECT (a warehouse is only read)');
  const columns = statement.columns().map((column) => column.name);
  let rows: Row[] = [];
  let yielded = false;
  // Safe integers: a 64-bit key must not lose digits (it is the row's identity).
  try {
    for (const row of statement.safeIntegers(false).iterate()) {
      rows.push(row);
      if (rows.length >= batchSize) {
        yielded = true;
        yield { columns, rows };
        rows = [];
      }
    }
  } catch (error) {
    // What the query meets as it runs (a division by zero, a busy file) is the query's failure.
    if (error instanceof Database.SqliteError) throw new WarehouseError(`the query failed: ${error.message}`);
    throw error;
  }
  if (rows.length > 0 || !yielded) yield { columns, rows };
}
