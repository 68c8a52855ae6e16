/** A source's token bucket: requests it may still make now, and when that was last worked out. */
interface Bucket {
  tokens: number;
  at: number;
}

/** Most sources whose buckets are kept; past it the oldest are forgotten (they start full again). */
const MAX_BUCKETS = 10_000;

/**
 * Per-source ingest rate limits, for a source with `rate_limit_rps` set (unset, the default, is
 * never limited: a single-site install must not throttle its own traffic). A token bucket: up to
 * one second's worth of requests in a burst, refilled at the rate.
 */
export class SourceRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /**
   * Takes one request from the source's allowance: 0 when it may go ahead, else how many whole
   * seconds to wait (for `Retry-After`).
   */
  take(sourceId: string, rps: number, now: number): number {
    const burst = Math.max(1, rps);
    const bucket = this.buckets.get(sourceId) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rps);
    bucket.at = now;
    this.buckets.delete(sourceId);
    if (this.buckets.size >= MAX_BUCKETS) this.buckets.delete(this.buckets.keys().next().value!);
    this.buckets.set(sourceId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rps));
  }
}
