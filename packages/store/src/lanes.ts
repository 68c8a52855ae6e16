/**
 * Delivery lanes owned by one worker at a time. Each integration's lane (its deliveries, sent at
 * its rate limit) is held by one worker process through a lease on the database's clock, so an
 * integration's rate limit holds for the whole deployment, and lanes spread across workers. The
 * delivery lease (`leaseDeliveries`) stays what guards against sending a delivery twice; lanes
 * decide who sends an integration's deliveries, and how fast.
 */
export interface LaneStore {
  /**
   * One round of a worker's lane keeping, in one transaction on the database's clock: marks
   * `owner` a live worker for `leaseMs`, renews every lane it holds for `leaseMs`, and takes free
   * lanes (never held, released, or whose lease ran out) among `integrationIds`, in the order
   * given, while it holds fewer than its fair share. Lanes of deleted integrations are dropped.
   */
  claimLanes(claim: LaneClaim): Promise<LaneHolding>;

  /**
   * Gives up lanes so that another worker may take them at once: the given ones, or every lane of
   * `owner` when none are given, and then it no longer counts as a live worker (it is stopping).
   */
  releaseLanes(owner: string, integrationIds?: readonly string[]): Promise<void>;

  /**
   * Holds an integration's lane back for `ms` from now on the database's clock (a destination
   * answered with Retry-After): until then no worker leases its deliveries, including one that
   * takes the lane over meanwhile. A shorter rest never cuts a longer one short.
   */
  restLane(integrationId: string, ms: number): Promise<void>;

  /** Every integration with its lane's owner and backlog, in one query: for metrics at scrape time. */
  laneStates(): Promise<LaneState[]>;
}

/** What a worker asks for in one round of lane keeping. */
export interface LaneClaim {
  /** The worker, as it leases deliveries. */
  owner: string;
  /** How long its lanes (and its being counted as a live worker) last without a renewal. */
  leaseMs: number;
  /** Lanes it would take when free: the integrations with deliveries due. */
  integrationIds: readonly string[];
}

/** What a worker holds after a round of lane keeping. */
export interface LaneHolding {
  /** The integrations whose lanes it holds, sorted. */
  held: string[];
  /**
   * Its fair share: the lanes held by anyone or asked for, divided by the live workers, rounded
   * up. A worker holding more gives the rest up (`releaseLanes`), so that a worker that joins gets
   * some.
   */
  share: number;
}

/** One integration's lane as `/metrics` reports it. */
export interface LaneState {
  integrationId: string;
  /** The worker whose lane lease has not run out; null while no worker holds it. */
  owner: string | null;
  /** Deliveries waiting to be sent, now or at a later retry. */
  pending: number;
  /** How long the oldest of them has waited since it was created (ms, the database's clock); null with none. */
  oldestPendingAgeMs: number | null;
}
