import type { WarehouseKind } from '@datafirst/store';
import type { Row } from './mapping.js';

/** A batch of a query's rows, with the query's column names (also for a result without rows). */
export interface RowBatch {
  columns: readonly string[];
  rows: Row[];
}

/** An open, read-only (where the engine allows) connection to one warehouse. */
export interface WarehouseConnection {
  /** The tables and views the connection can read (`schema.table` where the engine has schemas). */
  tables(): Promise<string[]>;
  /**
   * The query's rows in batches of at most `batchSize`, through a cursor or stream: the result is
   * never held whole. Yields at least one (maybe empty) batch, so the columns are always known.
   */
  rows(query: string, batchSize: number): AsyncIterable<RowBatch>;
  close(): Promise<void>;
}

/** Opens a connection to a warehouse of one engine. */
export type WarehouseConnector = (url: string) => Promise<WarehouseConnection>;

/**
 * Why a warehouse could not be read, in words that name the problem (unreachable host, wrong
 * password, bad query): shown to the admin, never holding the URL's password.
 */
export class WarehouseError extends Error {}

/** Where a URL points, without its credentials: `host:port/database` (or the file path). */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return parsed.pathname;
    return `${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return 'the configured address';
  }
}

/** The URL schemes each engine takes. */
export const URL_SCHEMES: Readonly<Record<WarehouseKind, readonly string[]>> = {
  postgres: ['postgres:', 'postgresql:'],
  mysql: ['mysql:', 'mariadb:'],
  sqlite: ['file:'],
};

/** Checks a warehouse URL's form (not whether it connects); errors are named `config.url`. */
export function checkWarehouseUrl(kind: WarehouseKind, url: unknown, errors: string[]): string {
  const schemes = URL_SCHEMES[kind];
  if (typeof url !== 'string' || url.trim() === '') {
    errors.push(`config.url: a ${schemes.map((s) => `${s}…`).join(' or ')} URL`);
    return '';
  }
  try {
    const parsed = new URL(url.trim());
    if (!schemes.includes(parsed.protocol)) {
      errors.push(`config.url: a ${kind} warehouse needs a ${schemes.map((s) => `${s}…`).join(' or ')} URL`);
    }
    // A port in the query overrides the address's, and the drivers take any text there: pg then
    // fails on a socket nobody listens to for errors, which took the whole process down.
    const port = parsed.searchParams.get('port');
    if (port !== null && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
      errors.push(`config.url: port ${JSON.stringify(port)} is no port: a whole number from 1 to 65535`);
    }
  } catch {
    errors.push(
      `config.url: not a URL (for example ${kind === 'sqlite' ? 'file:/var/data/sales.sqlite' : `${kind}://user:password@host/db`})`,
    );
  }
  return url.trim();
}

/**
 * Throws a WarehouseError when a URL fails checkWarehouseUrl: a connector checks again the URL it
 * is given, which may have been saved before its checks were what they are.
 */
export function assertWarehouseUrl(kind: WarehouseKind, url: string): void {
  const errors: string[] = [];
  checkWarehouseUrl(kind, url, errors);
  if (errors.length > 0) throw new WarehouseError(errors.join('; '));
}

/** The columns of a query, read from its first row (or its empty result): a check before saving a sync. */
export async function queryColumns(connection: WarehouseConnection, query: string): Promise<readonly string[]> {
  for await (const batch of connection.rows(query, 1)) return batch.columns;
  return [];
}
