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
