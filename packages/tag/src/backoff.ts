// From 1 s, doubling, at most a minute apart: a page lives minutes, not hours, and the queue
// outlives it in localStorage anyway.
const FIRST_MS = 1000;
const LONGEST_MS = 60_000;

/**
 * How long to wait before retry number `attempt` (1, 2, …): "equal jitter", between half and all of
 * the exponential step, so that tabs which failed together do not retry together.
 */
export function backoff(attempt: number, random: () => number): number {
  const step = Math.min(LONGEST_MS, FIRST_MS * 2 ** (attempt - 1));
  return step / 2 + (random() * step) / 2;
}
