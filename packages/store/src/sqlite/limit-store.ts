import type Database from 'better-sqlite3';
import { msUntilToken, type LimitStore, type RecentFailures, type TokenAnswer } from '../limits.js';
import type { DatabaseClock } from './clock.js';

/** The tokens a bucket holds at @now: what it had, refilled since, at most its burst. */
const REFILLED = 'min(@burst, tokens + max(0, @now - updated_at) * @rate / 1000.0)';

type BucketParams = { key: string; rate: number; burst: number; now: number };

/** Shared limits in SQLite: a row per failed sign-in, a row per token bucket. */
export class SqliteLimitStore implements LimitStore {
  private readonly statements;
  private readonly takeTransaction;

  constructor(
    private readonly db: Database.Database,
    private readonly now: DatabaseClock,
  ) {
    this.statements = {
      take: db.prepare<BucketParams, { tokens: number }>(
        `INSERT INTO rate_buckets (key, tokens, updated_at) VALUES (@key, @burst - 1, @now)
         ON CONFLICT (key) DO UPDATE SET tokens = ${REFILLED} - 1, updated_at = @now WHERE ${REFILLED} >= 1
         RETURNING tokens`,
      ),
      tokens: db.prepare<BucketParams, { tokens: number }>(`SELECT ${REFILLED} AS tokens FROM rate_buckets WHERE key = @key`),
    };
    this.takeTransaction = db.transaction((params: BucketParams): TokenAnswer => {
      if (this.statements.take.get(params)) return { taken: true, waitMs: 0 };
      const tokens = this.statements.tokens.get(params)?.tokens ?? 0;
      return { taken: false, waitMs: msUntilToken(tokens, params.rate) };
    });
  }

  async recordFailedSignIn(keys: readonly string[], windowMs: number): Promise<void> {
    this.db
      .transaction(() => {
        const now = this.now();
        this.db.prepare<[number], never>('DELETE FROM failed_sign_ins WHERE at <= ?').run(now - windowMs);
        const insert = this.db.prepare<[string, number], never>('INSERT INTO failed_sign_ins (key, at) VALUES (?, ?)');
        for (const key of keys) insert.run(key, now);
      })
      .immediate();
  }

  async recentFailedSignIns(key: string, windowMs: number, limit: number): Promise<RecentFailures> {
    const now = this.now();
    const times = this.db
      .prepare<[string, number, number], { at: number }>(
        'SELECT at FROM failed_sign_ins WHERE key = ? AND at > ? ORDER BY at DESC, id DESC LIMIT ?',
      )
      .all(key, now - windowMs, limit)
      .map((row) => row.at)
      .reverse();
    return { now, times };
  }

  async takeToken(key: string, rate: number, burst: number): Promise<TokenAnswer> {
    return this.takeTransaction.immediate({ key, rate, burst, now: this.now() });
  }
}
