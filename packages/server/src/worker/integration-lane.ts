import {
  backoffDelayMs,
  toSnapEvent,
  toV2Event,
  type SendOutcome,
  type SendResult,
  type SnapchatConfig,
  type SnapV3Event,
} from '@datafirst/snapchat';
import type { DeliveryResult, DeliveryStatus, Integration, LeasedDelivery, Store } from '@datafirst/store';
import type { Traits } from '@datafirst/protocol';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { parseAnswer } from '../snapchat-exchange.js';
import { TokenBucket } from './token-bucket.js';

/** Sends one request's worth of events for an integration (the Snapchat client, or a test double). */
export type SendEvents = (config: SnapchatConfig, events: SnapV3Event[]) => Promise<SendResult>;

/** Settings shared by every lane of a worker. */
export interface LaneSettings {
  store: Store;
  send: SendEvents;
  logger: Logger;
  metrics: Metrics;
  owner: string;
  /** Events per request; Snapchat takes at most 2000. */
  batchSize: number;
  /** How long to let events gather before sending a batch that is not full. */
  batchWaitMs: number;
  /** How long a lease lasts: longer than a request may take, so no one else sends it meanwhile. */
  leaseMs: number;
  /** After this long in its retry window, a failing delivery is dead-lettered instead of retried. */
  retryWindowMs: number;
  /** Requests in flight at once per integration. */
  maxInFlight: number;
  now: () => number;
}

/** A leased delivery whose Snapchat event is built and ready to send. */
interface Ready {
  leased: LeasedDelivery;
  event: SnapV3Event;
}

/** Build-time refusals that are a choice (not sent on purpose) rather than a failure. */
const SKIPS = new Set(['unmapped', 'disabled']);

const DEFAULT_RATE = 50; // requests a second, as seed 001 documents for Snapchat
const DEFAULT_BURST = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One integration's delivery lane: lease → build → send → classify → record, at the
 * integration's own rate limit and pause. Lanes are independent, so one pixel that fails, is
 * paused or is rate-limited never delays another.
 */
export class IntegrationLane {
  private readonly bucket = new TokenBucket(DEFAULT_RATE, DEFAULT_BURST);
  /** Retry-After from the destination pauses the whole lane until then. */
  private pausedUntil = 0;
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
    const pause = this.pausedUntil - s.now();
    if (pause > 0) {
      await sleep(Math.min(pause, 1000));
      return true;
    }
    let leased = await this.lease(s.batchSize);
    if (leased.length === 0) return false;
    if (leased.length < s.batchSize && s.batchWaitMs > 0) {
      // Not a full batch: let a few more arrive, then take them along in the same request.
      await sleep(s.batchWaitMs);
      leased = leased.concat(await this.lease(s.batchSize - leased.length));
    }
    await this.deliver(leased);
    return true;
  }

  /** Leases up to `limit` of this integration's due deliveries. */
  private lease(limit: number): Promise<LeasedDelivery[]> {
    const s = this.settings;
    return s.store.leaseDeliveries({
      owner: s.owner,
      integrationId: this.integrationId,
      limit,
      leaseMs: s.leaseMs,
      now: s.now(),
    });
  }

  private async deliver(items: LeasedDelivery[]): Promise<void> {
    const s = this.settings;
    const integration = items[0]!.integration;
    const config = integration.config as unknown as SnapchatConfig;
    this.bucket.configure(numberOr(config.rate_limit_rps, DEFAULT_RATE), numberOr(config.rate_limit_burst, DEFAULT_BURST));
    if (!integration.enabled) {
      // Switched off after these were queued: the owner no longer wants them sent.
      const skipped = items.map(({ delivery }) => ({
        deliveryId: delivery.id,
        status: 'skipped' as const,
        reason: 'integration_disabled',
      }));
      await s.store.completeDeliveries(s.owner, skipped);
      return;
    }
    const results: DeliveryResult[] = [];
    const byAsset = new Map<string, Ready[]>();
    const profiles = await profilesOf(s.store, items);
    const now = new Date(s.now());
    for (const [index, leased] of items.entries()) {
      const built = toSnapEvent(leased.event.message, config, { now, profileTraits: profiles[index] });
      if (!built.ok) {
        const skipped = SKIPS.has(built.reason);
        (skipped ? s.metrics.skipped : s.metrics.failed).inc({ integration: integration.id, reason: built.reason });
        results.push({
          deliveryId: leased.delivery.id,
          status: skipped ? 'skipped' : 'failed',
          reason: `${built.reason}: ${built.detail}`,
        });
        continue;
      }
      const group = byAsset.get(built.assetId) ?? [];
      group.push({ leased, event: built.event });
      byAsset.set(built.assetId, group);
    }
    for (const group of byAsset.values()) results.push(...(await this.sendBatch(integration, config, group)));
    await s.store.completeDeliveries(s.owner, results);
  }

  /** Sends one batch (after a rate-limit token) and turns the answer into one result per delivery. */
  private async sendBatch(integration: Integration, config: SnapchatConfig, batch: Ready[]): Promise<DeliveryResult[]> {
    const s = this.settings;
    for (let wait = this.bucket.take(); wait > 0; wait = this.bucket.take()) await sleep(wait);
    const sent = await s.send(
      config,
      batch.map((ready) => ready.event),
    );
    const outcome = sent.outcome;
    s.logger.debug(
      { integration: integration.id, events: batch.length, status: sent.status, outcome: outcome.kind, ms: sent.durationMs },
      'sent to snapchat',
    );
    const response = { status: sent.status ?? null, body: parseAnswer(sent.responseBody) };
    const result = (ready: Ready, status: DeliveryStatus, reason: string | null, nextAttemptAt?: number): DeliveryResult => ({
      deliveryId: ready.leased.delivery.id,
      status,
      reason,
      payload: { url: sent.url, event: config.api_version === 'v2' ? toV2Event(ready.event, config) : ready.event },
      response,
      httpStatus: sent.status ?? null,
      nextAttemptAt,
    });
    const labels = { integration: integration.id };

    switch (outcome.kind) {
      case 'delivered': {
        const failed = new Map(outcome.failed.map((failure) => [failure.index, failure.reason]));
        const now = s.now();
        return batch.map((ready, index) => {
          const reason = failed.get(index);
          if (reason !== undefined) {
            s.metrics.failed.inc({ ...labels, reason: 'rejected' });
            return result(ready, 'failed', reason);
          }
          s.metrics.delivered.inc(labels);
          s.metrics.deliveryLatency.observe(labels, (now - Date.parse(ready.leased.event.message.receivedAt)) / 1000);
          return result(ready, 'delivered', null);
        });
      }
      case 'invalid_event': {
        // Snapchat names the first bad event and rejects the request: fail that one, resend the rest.
        const bad = batch[outcome.index];
        if (!bad) return this.fail(batch, outcome, result);
        s.metrics.failed.inc({ ...labels, reason: 'invalid' });
        const rest = batch.filter((_, index) => index !== outcome.index);
        const again = rest.length > 0 ? await this.sendBatch(integration, config, rest) : [];
        return [result(bad, 'failed', [outcome.reason, ...outcome.codes].join(' ')), ...again];
      }
      case 'split': {
        if (batch.length === 1) return this.fail(batch, outcome, result);
        const half = Math.ceil(batch.length / 2);
        return [
          ...(await this.sendBatch(integration, config, batch.slice(0, half))),
          ...(await this.sendBatch(integration, config, batch.slice(half))),
        ];
      }
      case 'credentials': {
        // Every other delivery of this integration would be refused the same way: park them all
        // until someone fixes the token or pixel (PATCH requeues them).
        await s.store.pauseIntegration(integration.id, `credentials refused: ${outcome.reason}`);
        s.logger.warn({ integration: integration.id, reason: outcome.reason }, 'integration paused: credentials refused');
        return batch.map((ready) => result(ready, 'blocked', `paused: credentials refused: ${outcome.reason}`));
      }
      case 'retry': {
        if (outcome.retryAfterMs) this.pausedUntil = Math.max(this.pausedUntil, s.now() + outcome.retryAfterMs);
        // One retry time for the whole batch keeps it together as one request next time.
        const tries = Math.max(...batch.map((ready) => ready.leased.delivery.attempts)) + 1;
        const nextAttemptAt = s.now() + Math.max(backoffDelayMs(tries), outcome.retryAfterMs ?? 0);
        return batch.map((ready) => {
          const attempts = ready.leased.delivery.attempts + 1;
          if (nextAttemptAt - ready.leased.delivery.retryFrom > s.retryWindowMs) {
            s.metrics.deadLettered.inc(labels);
            return result(ready, 'dead', `gave up after ${attempts} tries: ${outcome.reason}`);
          }
          s.metrics.retried.inc(labels);
          return result(ready, 'pending', `retrying: ${outcome.reason}`, nextAttemptAt);
        });
      }
      case 'permanent':
        return this.fail(batch, outcome, result);
    }
  }

  private fail(
    batch: Ready[],
    outcome: SendOutcome,
    result: (ready: Ready, status: DeliveryStatus, reason: string | null) => DeliveryResult,
  ): DeliveryResult[] {
    this.settings.metrics.failed.inc({ integration: this.integrationId, reason: outcome.kind }, batch.length);
    const reason = 'reason' in outcome ? outcome.reason : outcome.kind;
    return batch.map((ready) => result(ready, 'failed', reason));
  }
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

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}
