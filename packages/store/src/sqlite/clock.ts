import type Database from 'better-sqlite3';

/** The database's clock in epoch ms, as SQL (SQLite 3.42+ gives `unixepoch` sub-second precision). */
export const NOW_MS_SQL = `CAST(unixepoch('subsec') * 1000 AS INTEGER)`;

/** Reads the database's clock (epoch ms). */
export type DatabaseClock = () => number;

/**
 * A clock read from the database, so that due times and leases mean the same to every process
 * sharing it. (SQLite's clock is the host's; a server database's may differ from the workers'.)
 */
export function databaseClock(db: Database.Database): DatabaseClock {
  const statement = db.prepare<[], { now: number }>(`SELECT ${NOW_MS_SQL} AS now`);
  return () => statement.get()!.now;
}
