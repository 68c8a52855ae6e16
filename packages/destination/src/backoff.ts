/** The first retry waits up to this long (full jitter); each further one doubles it. */
export const BACKOFF_BASE_MS = 1000;
/** No wait between tries is longer, whether from backoff or from `Retry-After`. */
export const BACKOFF_CAP_MS = 60 * 60 * 1000;

/**
 * Full-jitter backoff before retry number `attempt` (1 for the first retry): a random wait up
 * to 1 s, doubling each attempt, never above an hour. Jitter keeps many workers from retrying
 * in step after an outage.
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(1, Math.floor(attempt)), 32) - 1;
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.floor(random() * ceiling);
}

/** Where a retried delivery stands in its retry window, and what its destination asked. */
export interface RetryPosition {
  /** How long its window has run (since the delivery was stored, or last replayed). */
  elapsedMs: number;
  windowMs: number;
  /** The backoff before its next try. */
  backoffMs: number;
  /** The destination's Retry-After, a minimum. */
  retryAfterMs?: number;
}

/**
 * When a delivery that is to be retried tries again, or `give_up` (dead-letter it). It is retried
 * until its window ends: a backoff that would land past the end tries once more at the end, so a
 * delivery is given up only once the window is over, or when a Retry-After forbids trying again
 * before it is.
 */
export function nextTry(position: RetryPosition): { retryInMs: number } | 'give_up' {
  const { elapsedMs, windowMs, backoffMs, retryAfterMs } = position;
  const left = windowMs - elapsedMs;
  if (left <= 0 || (retryAfterMs !== undefined && retryAfterMs > left)) return 'give_up';
  return { retryInMs: Math.min(Math.max(backoffMs, retryAfterMs ?? 0), left) };
}

/**
 * How long a lane rests after a request that is to be retried: the destination's Retry-After, or
 * else the backoff of the lane's failed requests in a row, ended by the time the first retry
 * window of the batch does (`windowLeftMs`), so that its delivery gets its last try at its end. An
 * outage then costs one request per backoff period, not a stream of them, each rewriting its
 * batch's rows beside the ingest's.
 */
export function laneRestMs(
  failuresInARow: number,
  retryAfterMs?: number,
  windowLeftMs = Infinity,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const backoff = backoffDelayMs(failuresInARow, random);
  return windowLeftMs > 0 ? Math.min(backoff, windowLeftMs) : backoff;
}
