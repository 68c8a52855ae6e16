/**
 * Deliveries a worker keeps leased at once across all its lanes, at most. A leased delivery is in
 * the worker's memory until its outcome is recorded (its event, what was built and sent, the
 * answer): about 8,000 of them fit its heap with room to spare.
 */
export const LEASED_AT_ONCE = 8_000;

/** The smallest lease a lane takes however many lanes share the budget: a request still carries a batch. */
export const MIN_LEASE = 100;

/**
 * How many deliveries a lane leases at a time when `lanes` lanes of the worker, of `inFlight`
 * requests each, are busy: the budget shared out, at most a destination's `batchSize`. Each lane keeps its
 * own pace (a slow or rate-limited one delays no other); only the size of its leases shrinks.
 */
export function leaseSize(batchSize: number, lanes: number, inFlight: number): number {
  const share = Math.floor(LEASED_AT_ONCE / (Math.max(1, lanes) * Math.max(1, inFlight)));
  return Math.min(batchSize, Math.max(MIN_LEASE, share));
}
