import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '@datafirst/store';

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
  };
}
