import type pg from 'pg';
import { msUntilToken, type LimitStore, type RecentFailures, type TokenAnswer } from '../limits.js';
import { NOW_MS_SQL } from './pool.js';

/** The tokens bucket `b` holds at `now`: what it had, refilled since at $2 a second, at most its burst $3. */
const refilled = (now: string) => `least($3::float8, b.tokens + greatest(0, ${now} - b.updated_at) * $2::float8 / 1000.0)`;

/** Shared limits in PostgreSQL: a row per failed sign-in, a row per token bucket; each call one statement. */
export class PostgresLimitStore implements LimitStore {
  constructor(private readonly pool: pg.Pool) {}

  async recordFailedSignIn(keys: readonly string[], windowMs: number): Promise<void> {
    await this.pool.query(
      `WITH now AS (SELECT ${NOW_MS_SQL} AS ms),
       forgotten AS (DELETE FROM failed_sign_ins USING now WHERE at <= now.ms - $2)
       INSERT INTO failed_sign_ins (key, at) SELECT key, now.ms FROM unnest($1::text[]) AS key, now`,
      [[...keys], windowMs],
    );
  }

  async recentFailedSignIns(key: string, windowMs: number, limit: number): Promise<RecentFailures> {
    const { rows } = await this.pool.query<{ now: number; at: number | null }>(
      `WITH now AS (SELECT ${NOW_MS_SQL} AS ms)
       SELECT now.ms AS now, f.at FROM now LEFT JOIN LATERAL (
         SELECT at, id FROM failed_sign_ins WHERE key = $1 AND at > now.ms - $2 ORDER BY at DESC, id DESC LIMIT $3
       ) f ON true`,
      [key, windowMs, limit],
    );
    const times = rows.flatMap((row) => (row.at === null ? [] : [row.at])).reverse();
    return { now: rows[0]!.now, times };
  }

  async takeToken(key: string, rate: number, burst: number): Promise<TokenAnswer> {
    // ON CONFLICT DO UPDATE locks the bucket's row and refills it from its latest version: two
    // collectors taking the last token at once, one gets it. Refused, the outer SELECT reads what
    // the bucket held (this statement's snapshot) to say when the next token is due.
    const { rows } = await this.pool.query<{ taken: boolean; tokens: number | null }>(
      `WITH now AS (SELECT ${NOW_MS_SQL} AS ms),
       taken AS (
         INSERT INTO rate_buckets AS b (key, tokens, updated_at) SELECT $1, $3::float8 - 1, now.ms FROM now
         ON CONFLICT (key) DO UPDATE SET tokens = ${refilled('excluded.updated_at')} - 1, updated_at = excluded.updated_at
           WHERE ${refilled('excluded.updated_at')} >= 1
         RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM taken) AS taken,
         (SELECT ${refilled('now.ms')} FROM rate_buckets b, now WHERE b.key = $1) AS tokens`,
      [key, rate, burst],
    );
    const { taken, tokens } = rows[0]!;
    return taken ? { taken: true, waitMs: 0 } : { taken: false, waitMs: msUntilToken(tokens ?? 0, rate) };
  }
}
