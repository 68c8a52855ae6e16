// From about 1 s, doubling, at most a minute apart: a page lives minutes, not hours, and what it
// could not send waits in localStorage for the next page.
const FIRST_MS = 1000;
const LONGEST_MS = 60_000;

/**
 * How long to wait after `failures` failed tries in a row (0, 1, …): between half and all of the
 * exponential step ("equal jitter"), so that tabs which failed together do not retry together.
 */
export function backoff(failures: number, random = Math.random()): number {
  return ((1 + random) * Math.min(LONGEST_MS, FIRST_MS * 2 ** failures)) / 2;
}
