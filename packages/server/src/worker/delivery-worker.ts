import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DestinationRegistry } from '@datafirst/destination';
import type { Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { IntegrationLane, type LaneSettings } from './integration-lane.js';
import { leaseSize } from './lease-size.js';

export interface DeliveryWorkerOptions {
  store: Store;
  /** The destinations integrations send to, by vendor. */
  destinations: DestinationRegistry;
  logger: Logger;
  metrics: Metrics;
  /** Events per request at most (default: as many as the destination takes). */
  batchSize?: number;
  /** How long to let events gather into a batch that is not full (default 100 ms). */
  batchWaitMs?: number;
  /** How often to look for due deliveries when idle (default 250 ms). */
  pollIntervalMs?: number;
  /** Lease length; must exceed the request timeout (default 60 s). */
  leaseMs?: number;
  /** Retry window before a delivery is dead-lettered (default 24 h). */
  retryWindowMs?: number;
  /** Requests in flight at once per integration (default 2). */
  maxInFlight?: number;
  /** The clock events are built by (age limits); leases and retries go by the database's. */
  now?: () => number;
}

const HOUR_MS = 60 * 60 * 1000;

/** Most time between two rounds of lane keeping: how soon a worker that joins gets lanes. */
const MAX_RENEW_EVERY_MS = 5_000;

/**
 * The delivery worker: finds integrations with due deliveries and runs one lane per integration.
 * Every acknowledged event is delivered at least once; its id (the messageId) stays the same
 * across tries, so the destination counts it once. Several workers may share one database:
 * delivery leases make sure no delivery is sent by two of them at once, and each integration's
 * lane is owned by one worker at a time (the store's `lanes`), so its rate limit holds for the
 * whole deployment and the lanes spread across the workers.
 */
export class DeliveryWorker {
  /** Names the process (host and pid) in lane owners and leases, so an operator can tell who holds what. */
  readonly owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly settings: LaneSettings;
  private readonly pollIntervalMs: number;
  private readonly renewEveryMs: number;
  private readonly lanes = new Map<string, IntegrationLane>();
  /** The lanes this worker owns, as of its last round of lane keeping. */
  private held = new Set<string>();
  /** Lanes asked for at the last round and not given (another worker's, or over the share): asked again at the next renewal. */
  private refused = new Set<string>();
  /** Lanes being given up: their sends finish, then the store frees them. */
  private readonly handingOver = new Set<string>();
  private handOver: Promise<void> | undefined;
  /** Cuts short a hand-over's wait for its buckets to fill: the worker is stopping. */
  private stopResting: (() => void) | undefined;
  /** Lanes whose buckets were not full again when the worker stopped: left to their lease running out. */
  private readonly unrested = new Set<string>();
  private keptAt = -Infinity;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    // A lease takes what one request of the largest destination carries; each lane cuts to its own.
    const batchSize = options.batchSize ?? Math.max(1, ...options.destinations.all().map((d) => d.maxBatchSize));
    const maxInFlight = options.maxInFlight ?? 2;
    this.settings = {
      store: options.store,
      destinations: options.destinations,
      logger: options.logger,
      metrics: options.metrics,
      owner: this.owner,
      batchSize,
      // However many lanes are busy at once, the worker keeps at most LEASED_AT_ONCE deliveries in memory.
      leaseSize: () => leaseSize(batchSize, this.busyLanes(), maxInFlight),
      batchWaitMs: options.batchWaitMs ?? 100,
      leaseMs: options.leaseMs ?? 60_000,
      retryWindowMs: options.retryWindowMs ?? 24 * HOUR_MS,
      maxInFlight,
      now: options.now ?? Date.now,
    };
    // Three renewals fit in a lease: one store hiccup does not lose the lanes.
    this.renewEveryMs = Math.min(this.settings.leaseMs / 3, MAX_RENEW_EVERY_MS);
  }

  /** Starts looking for work in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    // Told by the store when deliveries are queued, here or (on PostgreSQL) by another machine;
    // polling stays, for what no one announces (a retry falling due).
    this.stopListening = this.options.store.onDeliveriesQueued(() => this.wake());
    this.loop = this.run();
  }

  /**
   * Stops taking new work and resolves once in-flight sends are recorded. Its lanes are freed at
   * once, but for those that sent too recently to be handed over (see IntegrationLane.msUntilRested).
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopListening?.();
    this.wakeUp?.();
    this.stopResting?.();
    await this.loop;
    await this.handOver;
    const lanes = [...this.lanes.values()];
    await Promise.all(lanes.map((lane) => lane.stop()));
    for (const lane of lanes) if (lane.msUntilRested() > 0) this.unrested.add(lane.integrationId);
    try {
      // A lane whose bucket is not full again stays this worker's until its lease runs out (no
      // wait at shutdown): its next owner starts with a full bucket.
      if (this.unrested.size === 0) await this.options.store.lanes.releaseLanes(this.owner);
      else {
        const rested = [...this.held].filter((id) => !this.unrested.has(id));
        await this.options.store.lanes.releaseLanes(this.owner, rested);
      }
    } catch (error) {
      // Not fatal: the lanes are free anyway once their lease runs out.
      this.options.logger.warn({ err: error }, 'could not free the lanes; they are free once their lease runs out');
    }
  }

  /** The lanes working through due deliveries now (idle ones hold no leases). */
  private busyLanes(): number {
    let busy = 0;
    for (const lane of this.lanes.values()) if (lane.active) busy++;
    return busy;
  }

  /** Cuts the idle wait short: new deliveries were just queued. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const due = await this.options.store.dueIntegrations();
        const unasked = due.some((id) => !this.held.has(id) && !this.refused.has(id));
        if (unasked || Date.now() - this.keptAt >= this.renewEveryMs) await this.keepLanes(due);
        for (const integrationId of due) {
          if (!this.held.has(integrationId) || this.handingOver.has(integrationId)) continue;
          let lane = this.lanes.get(integrationId);
          if (!lane) {
            lane = new IntegrationLane(integrationId, this.settings);
            this.lanes.set(integrationId, lane);
          }
          lane.kick();
        }
      } catch (error) {
        this.options.logger.error({ err: error }, 'looking for due deliveries failed; retrying shortly');
      }
      if (this.running) await this.idle();
    }
  }

  /**
   * A round of lane keeping: renews the lanes this worker owns, takes free ones with due work up
   * to its fair share, stops the lanes another worker took over, and gives up those over its
   * share (idle ones first) so that a worker that joined gets some.
   */
  private async keepLanes(due: readonly string[]): Promise<void> {
    this.keptAt = Date.now();
    const { held, share } = await this.options.store.lanes.claimLanes({
      owner: this.owner,
      leaseMs: this.settings.leaseMs,
      integrationIds: due,
    });
    this.held = new Set(held);
    this.refused = new Set(due.filter((id) => !this.held.has(id)));
    for (const integrationId of this.lanes.keys()) {
      // Its lease ran out and another worker took it: the lane leases no more of it, and stops.
      if (!this.held.has(integrationId) && !this.handingOver.has(integrationId)) void this.retire(integrationId);
    }
    const keep = held.filter((id) => !this.handingOver.has(id));
    if (keep.length <= share || this.handOver) return;
    const busy = (id: string) => (this.lanes.get(id)?.active ? 1 : 0);
    const excess = [...keep].sort((a, b) => busy(a) - busy(b)).slice(0, keep.length - share);
    for (const id of excess) this.handingOver.add(id);
    this.handOver = this.giveUp(excess).finally(() => {
      for (const id of excess) this.handingOver.delete(id);
      this.handOver = undefined;
    });
  }

  /** Lets the lanes' sends finish and their buckets fill again, then frees them for another worker. */
  private async giveUp(integrationIds: string[]): Promise<void> {
    const lanes = integrationIds.flatMap((id) => this.lanes.get(id) ?? []);
    await Promise.all(integrationIds.map((id) => this.retire(id)));
    const rest = Math.max(0, ...lanes.map((lane) => lane.msUntilRested()));
    if (rest > 0) {
      const rested =
        this.running &&
        (await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(true), rest);
          this.stopResting = () => {
            clearTimeout(timer);
            resolve(false);
          };
        }));
      this.stopResting = undefined;
      if (!rested) {
        for (const id of integrationIds) this.unrested.add(id);
        return;
      }
    }
    try {
      await this.options.store.lanes.releaseLanes(this.owner, integrationIds);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not give up lanes; they are free once their lease runs out');
    }
  }

  /** Stops this process's lane of an integration and forgets it (a new one starts if the lane comes back). */
  private async retire(integrationId: string): Promise<void> {
    const lane = this.lanes.get(integrationId);
    this.lanes.delete(integrationId);
    await lane?.stop();
  }

  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
