import pg from 'pg';

/** The database's clock in epoch ms, as SQL: the wall clock now, not the transaction's start. */
export const NOW_MS_SQL = `floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint`;

// bigint (int8) and numeric (what sum() of a bigint gives) come back as numbers: every count, id
// and epoch-ms time the store keeps is far below 2^53.
const NUMERIC_OIDS = new Set([20, 1700]);
const parseText = (oid: number): ((text: string) => unknown) =>
  NUMERIC_OIDS.has(oid) ? Number : (pg.types.getTypeParser(oid, 'text') as (text: string) => unknown);
const types = { getTypeParser: parseText };

/** The database clock (epoch ms). */
export async function databaseNow(db: Queryable): Promise<number> {
  return (await db.query<{ now: number }>(`SELECT ${NOW_MS_SQL} AS now`)).rows[0]!.now;
}

/** How the store reaches PostgreSQL. */
export interface PoolOptions {
  url: string;
  /** Most connections this process opens; default 10. */
  poolSize?: number;
  /** `normal` commits without waiting for the WAL flush (synchronous_commit=off); `full` (default) waits. */
  durability?: 'normal' | 'full';
  /** Told about errors of idle connections (the server went away); they never crash the process. */
  onError?: (error: Error) => void;
  /** What the connections are called in `pg_stat_activity.application_name`. */
  applicationName?: string;
}

/** A pool of connections, with the store's type parsing. */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    application_name: options.applicationName,
    // A database that cannot be reached fails a request in seconds (ingest answers 503) rather than hanging it.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    ...(options.durability === 'normal' ? { options: '-c synchronous_commit=off' } : {}),
  });
  // An idle client losing its connection emits 'error' on the pool: unhandled, it would end the process.
  pool.on('error', (error) => options.onError?.(error));
  return pool;
}

/**
 * `pool.query` for a statement with a large answer (a lease, the events list). pg-pool keeps
 * alive the answer of the query that made a pool open a connection, for as long as that
 * connection lives: the connection's listeners hold the connect callback, which holds that
 * query's promise. A worker's first leases would so stay in memory for good, one per connection
 * (13,000 leased messages, 18 MB, in a heap snapshot of a draining worker). A connection checked
 * out first holds only itself.
 */
export function queryLarge<R extends pg.QueryResultRow>(
  pool: pg.Pool,
  sql: string,
  params: unknown[],
): Promise<pg.QueryResult<R>> {
  return onConnection(pool, async (client, spoil) => {
    try {
      return await client.query<R>(sql, params);
    } catch (error) {
      // As pool.query does: a connection that failed a query is closed, not reused.
      spoil();
      throw error;
    }
  });
}

/** A SQL client: the pool, or one connection inside a transaction. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** PostgreSQL error codes a transaction is retried on: it lost a deadlock, or a serialisation race. */
const RETRIED_CODES = new Set(['40P01', '40001']);

/**
 * Runs `work` in a transaction on one connection; commits, or rolls back and rethrows. Retries a
 * lost deadlock. With `queryTimeoutMs`, each statement (BEGIN, COMMIT and ROLLBACK too) gives up
 * after that long, and its connection is closed: a database that went silent (no reset, no
 * answer) then fails the transaction instead of holding it for as long as the silence lasts.
 */
export async function transaction<T>(
  pool: pg.Pool,
  work: (client: Queryable) => Promise<T>,
  options: { queryTimeoutMs?: number } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await onConnection(pool, async (connection, spoil) => {
        const client = options.queryTimeoutMs === undefined ? connection : withQueryTimeout(connection, options.queryTimeoutMs);
        try {
          await client.query('BEGIN');
          const result = await work(client);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // A connection whose rollback failed (or timed out) is not given to anyone else.
          if (isQueryTimeout(error)) spoil();
          else await client.query('ROLLBACK').catch(spoil);
          throw error;
        }
      });
    } catch (error) {
      if (attempt < 3 && RETRIED_CODES.has((error as { code?: string }).code ?? '')) continue;
      throw error;
    }
  }
}

/** pg's error for a statement that outlived its `query_timeout`. */
const isQueryTimeout = (error: unknown): boolean => error instanceof Error && error.message === 'Query read timeout';

/** A connection whose every statement carries pg's client-side `query_timeout`. */
function withQueryTimeout(client: pg.PoolClient, queryTimeoutMs: number): Queryable {
  // pg reads `query_timeout` from a query's config (client.js), though its types do not list it.
  const query = (config: string | pg.QueryConfig, values?: unknown[]) =>
    client.query({
      ...(typeof config === 'string' ? { text: config, values } : config),
      query_timeout: queryTimeoutMs,
    } as pg.QueryConfig);
  return { query } as Queryable;
}

/**
 * Runs `work` on a connection checked out of the pool, and gives it back: closed instead when it
 * was lost meanwhile or `work` called `spoil`. A connection lost while checked out emits 'error'
 * on its client: unheard, that would end the process.
 */
async function onConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient, spoil: () => void) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const spoil = () => {
    broken = true;
  };
  client.on('error', spoil);
  try {
    return await work(client, spoil);
  } finally {
    client.off('error', spoil);
    client.release(broken);
  }
}

/** The number of rows a statement changed. */
export const changed = (result: pg.QueryResult): number => result.rowCount ?? 0;
