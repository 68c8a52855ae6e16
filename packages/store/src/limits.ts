/**
 * Limits that must hold across every collector sharing the database, counted in the database on
 * its clock: failed admin sign-ins, and requests a second for sources with an ingest rate limit.
 */
export interface LimitStore {
  /**
   * Records one failed admin sign-in under each key (a client address, and one key for every
   * address together), at the database's now; failures older than `windowMs` are forgotten.
   */
  recordFailedSignIn(keys: readonly string[], windowMs: number): Promise<void>;

  /**
   * The times (epoch ms, the database's clock) of the last `limit` failed sign-ins under `key`
   * within the last `windowMs`, oldest first, with the database's now to measure them against.
   */
  recentFailedSignIns(key: string, windowMs: number, limit: number): Promise<RecentFailures>;

  /**
   * Counts one request under `key` in the current fixed window of `windowMs` (windows start at
   * multiples of `windowMs` on the database's clock), unless `limit` requests were counted there
   * already: then nothing is counted and the answer says how long until the window ends.
   */
  countRequest(key: string, limit: number, windowMs: number): Promise<WindowAnswer>;
}

export interface RecentFailures {
  /** The database's clock when they were read (epoch ms). */
  now: number;
  /** Oldest first. */
  times: number[];
}

export interface WindowAnswer {
  /** True when the request was counted (it is within the limit). */
  allowed: boolean;
  /** Milliseconds until the current window ends, on the database's clock. */
  windowEndsInMs: number;
}
