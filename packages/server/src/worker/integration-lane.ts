import {
  backoffDelayMs,
  laneRestMs,
  nextTry,
  type AnyDestination,
  type DestinationRegistry,
  type SendOutcome,
  type SendReport,
} from '@datafirst/destination';
import type { DeliveryResult, DeliveryStatus, Integration, LeasedDelivery, Purchase, Store } from '@datafirst/store';
import type { Traits } from '@datafirst/protocol';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { TokenBucket } from './token-bucket.js';

/** Settings shared by every lane of a worker. */
export interface LaneSettings {
  store: Store;
  destinations: DestinationRegistry;
  logger: Logger;
  metrics: Metrics;
  owner: string;
  /** Events per request, at most; a destination may take fewer. */
  batchSize: number;
  /** Deliveries a lease takes now: the batch size, less while the worker's many lanes share its memory. */
  leaseSize: () => number;
  /** How long to let events gather before sending a batch that is not full. */
  batchWaitMs: number;
  /** How long a lease lasts: longer than a request may take, so no one else sends it meanwhile. */
  leaseMs: number;
  /** After this long in its retry window, a failing delivery is dead-lettered instead of retried. */
  retryWindowMs: number;
  /** Requests in flight at once per integration. */
  maxInFlight: number;
  /** The clock events are built by (age limits); leases and retries go by the database's clock. */
  now: () => number;
}

/** A leased delivery whose destination event is built and ready to send. */
interface Ready {
  leased: LeasedDelivery;
  event: unknown;
  identifiers: string[];
  /** What the event is worth when it is a purchase: revenue once delivered. */
  purchase: Purchase | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One integration's delivery lane: lease → build → send → classify → record, at the
 * integration's own rate limit and pause. Lanes are independent, so one pixel that fails, is
 * paused or is rate-limited never delays another. The lane knows no destination: it speaks to
 * the integration's through the `Destination` contract.
 */
export class IntegrationLane {
  /** Made at the first delivery, when the integration's limits are known. */
  private bucket: TokenBucket | undefined;
  /** A request to be retried (Retry-After, or the lane's backoff) pauses the whole lane until then. */
  private pausedUntil = 0;
  /** Requests in a row the destination answered with a retry: what the lane's rest grows with. */
  private failuresInARow = 0;
  /** Why the lane rests, for the batches that wait out the rest without a try. */
  private restReason: { code: string; reason: string } | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  constructor(
    readonly integrationId: string,
    private readonly settings: LaneSettings,
  ) {}

  /** True while the lane is working through due deliveries. */
  get active(): boolean {
    return this.running !== undefined;
  }

  /** Starts working if it is not already; the lane stops by itself when nothing is due. */
  kick(): void {
    if (this.running || this.stopping) return;
    const slots = Array.from({ length: this.settings.maxInFlight }, () => this.slot());
    this.running = Promise.all(slots).then(() => {
      this.running = undefined;
    });
  }

  /**
   * Milliseconds until this lane's rate-limit bucket is full again. A worker that takes the lane
   * over starts with a full one, so the lane is handed over only then: the integration never
   * gets more than its rate and one burst from the two together.
   */
  msUntilRested(): number {
    return this.bucket?.msUntilFull() ?? 0;
  }

  /** Finishes in-flight sends and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** One sender: keeps leasing and sending until nothing is due or the lane stops. */
  private async slot(): Promise<void> {
    while (!this.stopping) {
      try {
        if (!(await this.round())) return;
      } catch (error) {
        // A store or build error must not kill the lane; the leases expire and the work is retried.
        this.settings.logger.error({ err: error, integration: this.integrationId }, 'delivery round failed');
        await sleep(1000);
      }
    }
  }

  /** Leases and delivers one batch; false when nothing was due. */
  private async round(): Promise<boolean> {
    const s = this.settings;
    const pause = this.pausedUntil - Date.now();
    if (pause > 0) {
      await sleep(Math.min(pause, 1000));
      return true;
    }
    const size = s.leaseSize();
    let leased = await this.lease(size);
    if (leased.length === 0) return false;
    if (leased.length < size && s.batchWaitMs > 0) {
      // Not a full batch: let a few more arrive, then take them along in the same request.
      await sleep(s.batchWaitMs);
      leased = leased.concat(await this.lease(size - leased.length));
    }
    await this.deliver(leased);
    return true;
  }

  /** Leases up to `limit` of this integration's due deliveries. */
  private lease(limit: number): Promise<LeasedDelivery[]> {
    const s = this.settings;
    // Only while this worker owns the lane: once another took it over, this lane sends no more.
    return s.store.leaseDeliveries({
      owner: s.owner,
      integrationId: this.integrationId,
      limit,
      leaseMs: s.leaseMs,
      requireLane: true,
    });
  }

  /** Builds the leased deliveries' events, sends them batch by batch, and records every outcome. */
  private async deliver(items: LeasedDelivery[]): Promise<void> {
    const s = this.settings;
    const integration = items[0]!.integration;
    const destination = s.destinations.get(integration.vendor);
    const skipAll = !integration.enabled
      ? // Switched off after these were queued: the owner no longer wants them sent.
        { status: 'skipped' as const, reasonCode: 'integration_disabled', reason: 'integration_disabled' }
      : integration.pausedReason
        ? // Paused after these were queued (a collector routed them from its cache of a few seconds):
          // parked as ingest parks them now, never sent with the credentials the destination refused.
          { status: 'blocked' as const, reasonCode: 'credentials_refused', reason: `paused: ${integration.pausedReason}` }
        : destination === undefined
          ? { status: 'failed' as const, reasonCode: 'unknown_destination', reason: `no destination "${integration.vendor}"` }
          : undefined;
    if (skipAll || destination === undefined) {
      await s.store.completeDeliveries(
        s.owner,
        items.map(({ delivery }) => ({ deliveryId: delivery.id, ...skipAll! })),
      );
      return;
    }
    const limits = destination.rateLimit(integration.config);
    if (this.bucket) this.bucket.configure(limits.rps, limits.burst);
    else this.bucket = new TokenBucket(limits.rps, limits.burst);

    const results: DeliveryResult[] = [];
    const batches = new Map<string, Ready[]>();
    const profiles = await profilesOf(s.store, items);
    const now = new Date(s.now());
    for (const [index, leased] of items.entries()) {
      const message = leased.event.message;
      const built = destination.build(message, integration.config, { now, profileTraits: profiles[index] });
      if (!built.ok) {
        // A parked (`blocked`) one is neither skipped nor failed: the deliveries gauge counts it
        // until a config change requeues it.
        if (built.status !== 'blocked') {
          (built.status === 'skipped' ? s.metrics.skipped : s.metrics.failed).inc({
            integration: integration.id,
            reason: built.code,
          });
        }
        results.push({
          deliveryId: leased.delivery.id,
          status: built.status,
          reasonCode: built.code,
          reason: built.detail,
          identifiers: destination.identifiersOf(message),
        });
        continue;
      }
      const event: unknown = built.event;
      const ready = {
        leased,
        event,
        identifiers: destination.identifiersOf(message, event),
        purchase: destination.purchaseOf?.(event),
      };
      const batch = batches.get(built.batchKey);
      if (batch) batch.push(ready);
      else batches.set(built.batchKey, [ready]);
    }
    // Refusals are recorded before sending: a setting saved while the batches are in flight then
    // finds them parked and requeues them, rather than missing them and leaving them parked.
    if (results.length > 0) await s.store.completeDeliveries(s.owner, results.splice(0));
    const maxBatch = Math.min(s.batchSize, destination.maxBatchSize);
    for (const batch of batches.values()) {
      for (let start = 0; start < batch.length; start += maxBatch) {
        results.push(...(await this.sendBatch(destination, integration, batch.slice(start, start + maxBatch))));
      }
    }
    await s.store.completeDeliveries(s.owner, results);
  }

  /** Sends one batch (after a rate-limit token) and turns the answer into one result per delivery. */
  private async sendBatch(destination: AnyDestination, integration: Integration, batch: Ready[]): Promise<DeliveryResult[]> {
    const s = this.settings;
    const bucket = this.bucket!; // made by deliver() before any batch is sent
    for (let wait = bucket.take(); wait > 0; wait = bucket.take()) await sleep(wait);
    // Another sender of the lane met a failure meanwhile: the lane rests, so this batch waits its
    // turn without a try (one request per rest, not one per sender).
    const resting = this.pausedUntil - Date.now();
    if (resting > 0 && this.restReason) {
      const { code, reason } = this.restReason;
      return batch.map((ready) => ({
        deliveryId: ready.leased.delivery.id,
        status: 'pending' as const,
        reasonCode: code,
        reason: `retrying: ${reason}`,
        retryInMs: resting,
        countsAsAttempt: false,
      }));
    }
    const sent = await destination.send(
      integration.config,
      batch.map((ready) => ready.event),
    );
    const outcome = sent.outcome;
    s.logger.debug(
      { integration: integration.id, events: batch.length, status: sent.status, outcome: outcome.kind, ms: sent.durationMs },
      'sent to destination',
    );
    const result = recorder(sent, batch);
    const labels = { integration: integration.id };

    switch (outcome.kind) {
      case 'delivered': {
        if (this.failuresInARow > 0) {
          s.logger.info({ integration: integration.id, failedRequests: this.failuresInARow }, 'deliveries recovered');
          this.failuresInARow = 0;
        }
        const failed = new Map(outcome.failed.map((failure) => [failure.index, failure.reason]));
        const now = Date.now();
        // The labelled series once per batch, not once per event: a batch holds up to 2,000.
        const latency = s.metrics.deliveryLatency.labels(labels);
        let rejected = 0;
        const results = batch.map((ready, index) => {
          const reason = failed.get(index);
          if (reason !== undefined) {
            rejected++;
            return result(index, 'failed', 'event_rejected', reason);
          }
          latency.observe((now - Date.parse(ready.leased.event.message.receivedAt)) / 1000);
          return result(index, 'delivered', null, null);
        });
        if (rejected > 0) s.metrics.failed.inc({ ...labels, reason: 'event_rejected' }, rejected);
        if (batch.length > rejected) s.metrics.delivered.inc(labels, batch.length - rejected);
        return results;
      }
      case 'invalid_event': {
        // The destination names the first bad event and rejects the request: fail that one, resend the rest.
        if (!batch[outcome.index]) return this.fail(batch, outcome, result);
        s.metrics.failed.inc({ ...labels, reason: 'event_rejected' });
        const rest = batch.filter((_, index) => index !== outcome.index);
        const again = rest.length > 0 ? await this.sendBatch(destination, integration, rest) : [];
        return [result(outcome.index, 'failed', 'event_rejected', [outcome.reason, ...outcome.codes].join(' ')), ...again];
      }
      case 'split': {
        if (batch.length === 1) return this.fail(batch, outcome, result);
        const half = Math.ceil(batch.length / 2);
        return [
          ...(await this.sendBatch(destination, integration, batch.slice(0, half))),
          ...(await this.sendBatch(destination, integration, batch.slice(half))),
        ];
      }
      case 'credentials': {
        // Every other delivery of this integration would be refused the same way: park them all
        // until someone fixes the credentials (saving them requeues what was parked).
        await s.store.pauseIntegration(integration.id, `credentials refused: ${outcome.reason}`);
        s.logger.warn({ integration: integration.id, reason: outcome.reason }, 'integration paused: credentials refused');
        return batch.map((_, index) =>
          result(index, 'blocked', 'credentials_refused', `paused: credentials refused: ${outcome.reason}`),
        );
      }
      case 'retry': {
        // The whole lane rests, not only this batch: while the destination fails, each backoff
        // period costs one request, and the deliveries not sent meanwhile are not rewritten.
        this.failuresInARow++;
        // The rest ends by the time the batch's first retry window does (see laneRestMs).
        const windowLeft = Math.min(
          ...batch.map(({ leased }) => s.retryWindowMs - (leased.leasedAt - leased.delivery.retryFrom)),
        );
        const restMs = laneRestMs(this.failuresInARow, outcome.retryAfterMs, windowLeft);
        this.restReason = { code: outcome.code, reason: outcome.reason };
        this.pausedUntil = Math.max(this.pausedUntil, Date.now() + restMs);
        await this.restLane(restMs);
        if (this.failuresInARow === 1) {
          s.logger.warn({ integration: integration.id, reason: outcome.reason }, 'deliveries failing: retrying with backoff');
        }
        // One backoff for the whole batch keeps it together as one request next time.
        const tries = Math.max(...batch.map((ready) => ready.leased.delivery.attempts)) + 1;
        const backoffMs = backoffDelayMs(tries);
        let dead = 0;
        const results = batch.map((ready, index) => {
          const { delivery, leasedAt } = ready.leased;
          // The retry window is measured on the database's clock, like the lease itself.
          const next = nextTry({
            elapsedMs: leasedAt - delivery.retryFrom,
            windowMs: s.retryWindowMs,
            backoffMs,
            retryAfterMs: outcome.retryAfterMs,
          });
          if (next === 'give_up') {
            dead++;
            return result(
              index,
              'dead',
              'retry_window_exhausted',
              `gave up after ${delivery.attempts + 1} tries: ${outcome.reason}`,
            );
          }
          return { ...result(index, 'pending', outcome.code, `retrying: ${outcome.reason}`), retryInMs: next.retryInMs };
        });
        if (dead > 0) {
          s.metrics.deadLettered.inc(labels, dead);
          s.logger.warn(
            { integration: integration.id, deliveries: dead, reason: outcome.reason },
            'dead-lettered: retry window over',
          );
        }
        if (batch.length > dead) s.metrics.retried.inc(labels, batch.length - dead);
        return results;
      }
      case 'permanent':
        return this.fail(batch, outcome, result);
    }
  }

  /**
   * Records the Retry-After in the database, so that a worker taking the lane over waits it out
   * too. Failing that, this worker still waits (pausedUntil) and the batch's outcome is recorded.
   */
  private async restLane(ms: number): Promise<void> {
    try {
      await this.settings.store.lanes.restLane(this.integrationId, ms);
    } catch (error) {
      this.settings.logger.warn({ err: error, integration: this.integrationId }, 'could not record the Retry-After rest');
    }
  }

  private fail(batch: Ready[], outcome: SendOutcome, result: Recorder): DeliveryResult[] {
    this.settings.metrics.failed.inc({ integration: this.integrationId, reason: 'request_rejected' }, batch.length);
    const reason = 'reason' in outcome ? outcome.reason : outcome.kind;
    return batch.map((_, index) => result(index, 'failed', 'request_rejected', reason));
  }
}

/** Turns the batch item at `index` and its status into the result to record, with what was sent and answered. */
type Recorder = (index: number, status: DeliveryStatus, reasonCode: string | null, reason: string | null) => DeliveryResult;

function recorder(sent: SendReport, batch: readonly Ready[]): Recorder {
  return (index, status, reasonCode, reason) => ({
    deliveryId: batch[index]!.leased.delivery.id,
    status,
    reasonCode,
    reason,
    payload: sent.payloads[index],
    payloadJson: sent.payloadJsons?.[index],
    response: sent.response,
    httpStatus: sent.status ?? null,
    identifiers: batch[index]!.identifiers,
    purchase: batch[index]!.purchase,
  });
}

/** Each leased event's profile traits, looked up once per source rather than once per event. */
async function profilesOf(store: Store, items: LeasedDelivery[]): Promise<(Traits | undefined)[]> {
  const profiles: (Traits | undefined)[] = new Array<Traits | undefined>(items.length);
  const bySource = new Map<string, number[]>();
  items.forEach(({ event }, index) => {
    const indexes = bySource.get(event.sourceId);
    if (indexes) indexes.push(index);
    else bySource.set(event.sourceId, [index]);
  });
  for (const [sourceId, indexes] of bySource) {
    const people = indexes.map((index) => ({
      userId: items[index]!.event.message.userId,
      anonymousId: items[index]!.event.message.anonymousId,
    }));
    (await store.profileTraitsFor(sourceId, people)).forEach((traits, i) => (profiles[indexes[i]!] = traits));
  }
  return profiles;
}
