import type Database from 'better-sqlite3';
import type { LimitStore, RecentFailures, WindowAnswer } from '../limits.js';
import type { DatabaseClock } from './clock.js';

/** Shared limits in SQLite: a row per failed sign-in, a counter per key and request window. */
export class SqliteLimitStore implements LimitStore {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly now: DatabaseClock,
  ) {
    this.statements = {
      count: db.prepare<{ key: string; start: number; limit: number }, { count: number }>(
        `INSERT INTO request_windows (key, window_start, count) VALUES (@key, @start, 1)
         ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1 WHERE count < @limit
         RETURNING count`,
      ),
      dropOldWindows: db.prepare<[string, number], never>('DELETE FROM request_windows WHERE key = ? AND window_start < ?'),
    };
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

  async countRequest(key: string, limit: number, windowMs: number): Promise<WindowAnswer> {
    const now = this.now();
    const start = now - (now % windowMs);
    const counted = this.statements.count.get({ key, start, limit });
    // The first request of a window is the moment to forget the windows before it.
    if (counted?.count === 1) this.statements.dropOldWindows.run(key, start);
    return { allowed: counted !== undefined, windowEndsInMs: start + windowMs - now };
  }
}
