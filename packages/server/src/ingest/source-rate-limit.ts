import type { LimitStore } from '@datafirst/store';

/** Most sources remembered as out of tokens; past it the oldest are forgotten (the store is asked again). */
const MAX_EMPTY = 10_000;

/** A source's token bucket: up to one second's worth of requests in a burst (at least one), refilled at the rate. */
export function sourceBucket(rps: number): { rate: number; burst: number } {
  return { rate: rps, burst: Math.max(1, rps) };
}

/**
 * Per-source ingest rate limits, for a source with `rate_limit_rps` set (unset, the default, is
 * never limited and costs nothing: a single-site install must not throttle its own traffic). The
 * token bucket is kept in the database (the store's `limits`), so the limit holds for every
 * collector sharing it, exactly: each request it lets through takes its token in one atomic
 * write. A request it refuses costs no write: the source is then refused from memory until its
 * next token is due, which can only make this collector stricter, never let more through.
 */
export class SourceRateLimiter {
  /** Sources found out of tokens, and until when (this process's clock, epoch ms). */
  private readonly emptyUntil = new Map<string, number>();

  constructor(
    private readonly store: LimitStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Takes one request from the source's allowance: 0 when it may go ahead, else how many whole
   * seconds to wait (for `Retry-After`).
   */
  async take(sourceId: string, rps: number): Promise<number> {
    const now = this.now();
    const until = this.emptyUntil.get(sourceId);
    if (until !== undefined && until > now) return Math.max(1, Math.ceil((until - now) / 1000));
    this.emptyUntil.delete(sourceId);
    const { rate, burst } = sourceBucket(rps);
    const answer = await this.store.takeToken(`ingest:${sourceId}`, rate, burst);
    if (answer.taken) return 0;
    if (this.emptyUntil.size >= MAX_EMPTY) this.emptyUntil.delete(this.emptyUntil.keys().next().value!);
    this.emptyUntil.set(sourceId, now + answer.waitMs);
    return Math.max(1, Math.ceil(answer.waitMs / 1000));
  }
}
