/**
 * Limits that must hold across every collector sharing the database, counted in the database on
 * its clock: failed admin sign-ins, and the token buckets of sources with an ingest rate limit.
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
   * Takes one token from `key`'s bucket, which holds at most `burst` tokens (full at first) and
   * refills at `rate` tokens a second on the database's clock. With none left it takes nothing
   * and says how long until one will be there.
   */
  takeToken(key: string, rate: number, burst: number): Promise<TokenAnswer>;
}

export interface RecentFailures {
  /** The database's clock when they were read (epoch ms). */
  now: number;
  /** Oldest first. */
  times: number[];
}

export interface TokenAnswer {
  /** True when a token was taken: the request may go ahead. */
  taken: boolean;
  /** When none was: milliseconds until one will be (0 when one was taken). */
  waitMs: number;
}

/** How long until a bucket holding `tokens` (fewer than one), refilled at `rate` a second, has one: at least 1 ms. */
export function msUntilToken(tokens: number, rate: number): number {
  return Math.max(1, Math.ceil(((1 - tokens) / rate) * 1000));
}
