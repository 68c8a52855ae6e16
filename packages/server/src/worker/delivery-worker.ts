import { randomUUID } from 'node:crypto';
import {
  backoffDelayMs,
  toSnapEvent,
  toV2Event,
  type SendOutcome,
  type SendResult,
  type SnapchatConfig,
  type SnapV3Event,
} from '@datafirst/snapchat';
import type { DeliveryResult, Integration, LeasedDelivery, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';

/** Sends one request's worth of events for an integration (the Snapchat client, or a test double). */
export type SendEvents = (config: SnapchatConfig, events: SnapV3Event[]) => Promise<SendResult>;

export interface DeliveryWorkerOptions {
  store: Store;
  send: SendEvents;
  logger: Logger;
  metrics: Metrics;
  /** Events per request; Snapchat takes at most 2000. */
  batchSize?: number;
  /** How often to look for due deliveries when idle. */
  pollIntervalMs?: number;
  /** How long a lease lasts; longer than a request can take (30 s timeout), so no one else sends it meanwhile. */
  leaseMs?: number;
  /** After this long since receipt, a failing delivery is dead-lettered instead of retried. */
  retryWindowMs?: number;
  now?: () => number;
}

/** A leased delivery whose Snapchat event is built and ready to send. */
interface Ready {
  leased: LeasedDelivery;
  event: SnapV3Event;
}

const HOUR_MS = 60 * 60 * 1000;

/** Build-time refusals that are a choice (not sent on purpose) rather than a failure. */
const SKIPS = new Set(['unmapped', 'disabled']);

/**
 * The delivery loop: lease due deliveries → build Snapchat events → send in batches → classify
 * the answer → record each delivery's outcome. Every acknowledged event is delivered at least
 * once; its `event_id` (the messageId) stays the same across tries, so Snapchat counts it once.
 */
export class DeliveryWorker {
  readonly owner = `worker-${randomUUID()}`;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly retryWindowMs: number;
  private readonly now: () => number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.batchSize = options.batchSize ?? 2000;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.retryWindowMs = options.retryWindowMs ?? 24 * HOUR_MS;
    this.now = options.now ?? Date.now;
  }

  /** Starts the loop in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops taking new work and resolves once in-flight sends are recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Cuts the idle wait short: new events were just stored. */
  wake(): void {
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let processed = 0;
      try {
        processed = await this.runOnce();
      } catch (error) {
        this.options.logger.error({ err: error }, 'delivery round failed; retrying shortly');
      }
      if (processed === 0 && this.running) await this.idle();
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

  /** One round: leases what is due, sends it, records the outcomes; returns how many it handled. */
  async runOnce(): Promise<number> {
    const leased = await this.options.store.leaseDeliveries({
      owner: this.owner,
      limit: this.batchSize,
      leaseMs: this.leaseMs,
      now: this.now(),
    });
    if (leased.length === 0) return 0;
    const byIntegration = new Map<string, LeasedDelivery[]>();
    for (const item of leased) {
      const group = byIntegration.get(item.integration.id) ?? [];
      group.push(item);
      byIntegration.set(item.integration.id, group);
    }
    // Integrations are independent lanes: one slow or failing pixel does not hold up another.
    await Promise.all([...byIntegration.values()].map((group) => this.deliver(group[0]!.integration, group)));
    return leased.length;
  }

  private async deliver(integration: Integration, items: LeasedDelivery[]): Promise<void> {
    const config = integration.config as unknown as SnapchatConfig;
    const results: DeliveryResult[] = [];
    const byAsset = new Map<string, Ready[]>();
    for (const leased of items) {
      const { message, sourceId } = leased.event;
      const profileTraits = await this.options.store.getProfileTraits(sourceId, message.userId, message.anonymousId);
      const built = toSnapEvent(message, config, { now: new Date(this.now()), profileTraits });
      if (!built.ok) {
        const status = SKIPS.has(built.reason) ? 'skipped' : 'failed';
        (status === 'skipped' ? this.options.metrics.skipped : this.options.metrics.failed).inc({
          integration: integration.id,
          reason: built.reason,
        });
        results.push({ deliveryId: leased.delivery.id, status, reason: `${built.reason}: ${built.detail}` });
        continue;
      }
      const group = byAsset.get(built.assetId) ?? [];
      group.push({ leased, event: built.event });
      byAsset.set(built.assetId, group);
    }
    for (const group of byAsset.values()) {
      for (let start = 0; start < group.length; start += this.batchSize) {
        results.push(...(await this.sendBatch(integration, config, group.slice(start, start + this.batchSize))));
      }
    }
    await this.options.store.completeDeliveries(this.owner, results);
  }

  /** Sends one batch and turns Snapchat's answer into one result per delivery. */
  private async sendBatch(integration: Integration, config: SnapchatConfig, batch: Ready[]): Promise<DeliveryResult[]> {
    const sent = await this.options.send(
      config,
      batch.map((ready) => ready.event),
    );
    const outcome = sent.outcome;
    const response = { status: sent.status ?? null, body: parseBody(sent.responseBody) };
    const result = (ready: Ready, status: DeliveryResult['status'], reason: string | null, extra: Partial<DeliveryResult> = {}): DeliveryResult => ({
      deliveryId: ready.leased.delivery.id,
      status,
      reason,
      payload: { url: sent.url, event: config.api_version === 'v2' ? toV2Event(ready.event, config) : ready.event },
      response,
      httpStatus: sent.status ?? null,
      ...extra,
    });
    const metrics = this.options.metrics;
    const labels = { integration: integration.id };
    this.log(integration, batch.length, sent);

    switch (outcome.kind) {
      case 'delivered': {
        const failed = new Map(outcome.failed.map((failure) => [failure.index, failure.reason]));
        const now = this.now();
        return batch.map((ready, index) => {
          const reason = failed.get(index);
          if (reason !== undefined) {
            metrics.failed.inc({ ...labels, reason: 'rejected' });
            return result(ready, 'failed', reason);
          }
          metrics.delivered.inc(labels);
          metrics.deliveryLatency.observe(labels, (now - Date.parse(ready.leased.event.message.receivedAt)) / 1000);
          return result(ready, 'delivered', null);
        });
      }
      case 'invalid_event': {
        // Snapchat names the first bad event and rejects the request: fail that one, resend the rest.
        const bad = batch[outcome.index];
        const rest = batch.filter((_, index) => index !== outcome.index);
        const reason = [outcome.reason, ...outcome.codes].join(' ');
        if (!bad) return this.fail(integration, batch, outcome, result);
        metrics.failed.inc({ ...labels, reason: 'invalid' });
        const again = rest.length > 0 ? await this.sendBatch(integration, config, rest) : [];
        return [result(bad, 'failed', reason), ...again];
      }
      case 'split': {
        if (batch.length === 1) return this.fail(integration, batch, outcome, result);
        const half = Math.ceil(batch.length / 2);
        return [
          ...(await this.sendBatch(integration, config, batch.slice(0, half))),
          ...(await this.sendBatch(integration, config, batch.slice(half))),
        ];
      }
      case 'credentials':
        return batch.map((ready) => result(ready, 'blocked', `credentials refused: ${outcome.reason}`));
      case 'retry':
        return batch.map((ready) => {
          const attempts = ready.leased.delivery.attempts + 1;
          const receivedAt = Date.parse(ready.leased.event.message.receivedAt);
          const nextAttemptAt = this.now() + Math.max(backoffDelayMs(attempts), outcome.retryAfterMs ?? 0);
          if (nextAttemptAt - receivedAt > this.retryWindowMs) {
            metrics.deadLettered.inc(labels);
            return result(ready, 'dead', `gave up after ${attempts} tries: ${outcome.reason}`);
          }
          metrics.retried.inc(labels);
          return result(ready, 'pending', `retrying: ${outcome.reason}`, { nextAttemptAt });
        });
      case 'permanent':
        return this.fail(integration, batch, outcome, result);
    }
  }

  private fail(
    integration: Integration,
    batch: Ready[],
    outcome: SendOutcome,
    result: (ready: Ready, status: DeliveryResult['status'], reason: string | null) => DeliveryResult,
  ): DeliveryResult[] {
    this.options.metrics.failed.inc({ integration: integration.id, reason: outcome.kind }, batch.length);
    const reason = 'reason' in outcome ? outcome.reason : outcome.kind;
    return batch.map((ready) => result(ready, 'failed', reason));
  }

  private log(integration: Integration, count: number, sent: SendResult): void {
    this.options.logger.debug(
      { integration: integration.id, events: count, status: sent.status, outcome: sent.outcome.kind, ms: sent.durationMs },
      'sent to snapchat',
    );
  }
}

function parseBody(body: string | undefined): unknown {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body.slice(0, 2000);
  }
}
