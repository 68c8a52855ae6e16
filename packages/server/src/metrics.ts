import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LaneState, Store } from '@datafirst/store';

/** The Prometheus metrics Datafirst exposes at `GET /metrics`. */
export interface Metrics {
  registry: Registry;
  received: Counter<'source'>;
  duplicates: Counter<'source'>;
  rejected: Counter<'reason'>;
  delivered: Counter<'integration'>;
  retried: Counter<'integration'>;
  failed: Counter<'integration' | 'reason'>;
  skipped: Counter<'integration' | 'reason'>;
  deadLettered: Counter<'integration'>;
  deliveryLatency: Histogram<'integration'>;
  storeLatency: Histogram;
}

/** Creates the metrics, with the backlog read from the store at scrape time. */
export function createMetrics(store: Store): Metrics {
  const registry = new Registry();
  // Node's own metrics are named process_* and nodejs_*: prefixed, they read datafirst_process_cpu_seconds_total.
  collectDefaultMetrics({ register: registry, prefix: 'datafirst_' });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  new Gauge({
    name: 'datafirst_deliveries',
    help: 'Deliveries by status; pending is the backlog waiting to be sent',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const counts = await store.countDeliveries();
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
  laneGauges(store, registry);
  return {
    registry,
    received: counter('datafirst_events_received_total', 'Events stored by the collector', ['source']),
    duplicates: counter('datafirst_events_duplicate_total', 'Events acknowledged but not stored again (same messageId)', [
      'source',
    ]),
    rejected: counter('datafirst_events_rejected_total', 'Messages or requests refused by the collector', ['reason']),
    delivered: counter('datafirst_deliveries_delivered_total', 'Events accepted by the destination', ['integration']),
    retried: counter('datafirst_deliveries_retried_total', 'Delivery tries that will be retried', ['integration']),
    failed: counter('datafirst_deliveries_failed_total', 'Deliveries failed for good', ['integration', 'reason']),
    skipped: counter('datafirst_deliveries_skipped_total', 'Deliveries deliberately not sent', ['integration', 'reason']),
    deadLettered: counter('datafirst_deliveries_dead_lettered_total', 'Deliveries that ran out of retries', ['integration']),
    deliveryLatency: new Histogram({
      name: 'datafirst_delivery_latency_seconds',
      help: 'From receipt by the collector to acceptance by the destination',
      labelNames: ['integration'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers: [registry],
    }),
    // What an acknowledgement waits for: its group commit to start, and to be done. It grows
    // before anything else when the database falls behind the load.
    storeLatency: new Histogram({
      name: 'datafirst_ingest_store_seconds',
      help: "From handing a request's events to the store to their durable commit (the wait for a group commit and the commit)",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

/**
 * Per integration: which worker owns its lane, its backlog and how long the oldest pending
 * delivery has waited. Read from the store at scrape time, in one query shared by the three
 * gauges (a scrape collects them together); any process's `/metrics` tells the same.
 */
function laneGauges(store: Store, registry: Registry): void {
  let reading: Promise<LaneState[]> | undefined;
  const states = () =>
    (reading ??= store.lanes.laneStates().finally(() => {
      reading = undefined;
    }));
  new Gauge({
    name: 'datafirst_lane_owner',
    help: "1 for the worker that owns an integration's delivery lane (a lane no worker holds has no sample)",
    labelNames: ['integration', 'owner'],
    registers: [registry],
    async collect() {
      // Owners change: only the current ones may stay.
      this.reset();
      for (const lane of await states())
        if (lane.owner !== null) this.set({ integration: lane.integrationId, owner: lane.owner }, 1);
    },
  });
  new Gauge({
    name: 'datafirst_lane_backlog',
    help: 'Pending deliveries of an integration, due now or at a later retry',
    labelNames: ['integration'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const lane of await states()) this.set({ integration: lane.integrationId }, lane.pending);
    },
  });
  new Gauge({
    name: 'datafirst_lane_oldest_pending_seconds',
    help: "How long an integration's oldest pending delivery has waited since it was created; 0 with none",
    labelNames: ['integration'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const lane of await states()) this.set({ integration: lane.integrationId }, (lane.oldestPendingAgeMs ?? 0) / 1000);
    },
  });
}
