import { batchBody } from './batch.js';
import type { TagMessage } from './message.js';

/** The browser's ways to send: `fetch` and `navigator.sendBeacon`. */
export interface Http {
  /** POSTs a text/plain body and resolves with the status; rejects on a network error. */
  post(url: string, body: string, keepalive: boolean): Promise<number>;
  /** Queues a text/plain POST that outlives the page; false when the browser refused it. */
  beacon(url: string, body: string): boolean;
}

/** How a batch reaches the collector. */
export interface Delivery {
  /** Posts a batch; true when the collector has answered for good. */
  send(batch: TagMessage[]): Promise<boolean>;
  /** Beacons a batch; the answer cannot be read, so the messages stay queued. */
  beacon(batch: TagMessage[]): void;
}

// Browsers refuse keepalive bodies over 64 KiB; only a lone oversized message gets near it.
const KEEPALIVE_MAX_BYTES = 65_536;

/**
 * Whether an answer is final. 2xx: stored. 4xx: the collector refused what it will always refuse (a
 * 400 names the bad messages and keeps the good ones), so resending cannot help. 408, 429 and 5xx
 * are transient, and retried.
 */
export function isFinalAnswer(status: number): boolean {
  return status < 500 && status !== 408 && status !== 429;
}

/** Creates the delivery to one collector for one write key. */
export function createDelivery(api: string, writeKey: string, http: Http, now: () => number): Delivery {
  return {
    async send(batch) {
      const body = batchBody(batch, writeKey, now());
      return isFinalAnswer(await http.post(`${api}/v1/batch`, body, new Blob([body]).size <= KEEPALIVE_MAX_BYTES));
    },
    beacon(batch) {
      // A beacon cannot carry headers, so the write key also rides in the query.
      http.beacon(`${api}/v1/batch?writeKey=${encodeURIComponent(writeKey)}`, batchBody(batch, writeKey, now()));
    },
  };
}
