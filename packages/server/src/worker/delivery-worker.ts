import { randomUUID } from 'node:crypto';
import type { DestinationRegistry } from '@datafirst/destination';
import type { Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { IntegrationLane, type LaneSettings } from './integration-lane.js';

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

/**
 * The delivery worker: finds integrations with due deliveries and runs one lane per integration.
 * Every acknowledged event is delivered at least once; its id (the messageId) stays the same
 * across tries, so the destination counts it once. Several workers may share one database: leases
 * make sure no delivery is sent by two of them at once.
 */
export class DeliveryWorker {
  readonly owner = `worker-${randomUUID()}`;
  private readonly settings: LaneSettings;
  private readonly pollIntervalMs: number;
  private readonly lanes = new Map<string, IntegrationLane>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private stopListening: (() => void) | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.settings = {
      store: options.store,
      destinations: options.destinations,
      logger: options.logger,
      metrics: options.metrics,
      owner: this.owner,
      // A lease takes what one request of the largest destination carries; each lane cuts to its own.
      batchSize: options.batchSize ?? Math.max(1, ...options.destinations.all().map((d) => d.maxBatchSize)),
      batchWaitMs: options.batchWaitMs ?? 100,
      leaseMs: options.leaseMs ?? 60_000,
      retryWindowMs: options.retryWindowMs ?? 24 * HOUR_MS,
      maxInFlight: options.maxInFlight ?? 2,
      now: options.now ?? Date.now,
    };
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

  /** Stops taking new work and resolves once in-flight sends are recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopListening?.();
    this.wakeUp?.();
    await this.loop;
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop()));
  }

  /** Cuts the idle wait short: new deliveries were just queued. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        for (const integrationId of await this.options.store.dueIntegrations()) {
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
