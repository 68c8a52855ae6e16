import type { TagMessage } from './api.js';

/**
 * The most message bytes in one request. Browsers allow 64 KiB of keepalive and beacon bodies in
 * flight per page; the rest of the 65,536 is left for the envelope (`sentAt`, `writeKey`).
 */
export const MAX_BATCH_BYTES = 60_000;

/** A message's size on the wire, in UTF-8 bytes. */
export function messageBytes(message: TagMessage): number {
  return new Blob([JSON.stringify(message)]).size;
}

/** Splits messages, in order, into batches whose bodies fit in a keepalive request. */
export function splitBatches(messages: TagMessage[]): TagMessage[][] {
  const batches: TagMessage[][] = [];
  let bytes = MAX_BATCH_BYTES;
  for (const message of messages) {
    // +1 for the comma between messages.
    const size = messageBytes(message) + 1;
    bytes += size;
    if (bytes > MAX_BATCH_BYTES) {
      batches.push([]);
      bytes = size;
    }
    batches[batches.length - 1].push(message);
  }
  return batches;
}

/** The body of `POST /v1/batch`, stamped with the time it is sent so the collector can correct clock skew. */
export function batchBody(batch: TagMessage[], writeKey: string): string {
  return JSON.stringify({ batch, sentAt: new Date().toISOString(), writeKey });
}

/**
 * Whether an answer is final. 2xx: stored. 4xx: refused, and it would be refused again (a 400 names
 * the bad messages and the collector keeps the good ones). 408, 429 and 5xx pass, so they are retried.
 */
export function isFinalAnswer(status: number): boolean {
  return status < 500 && status !== 408 && status !== 429;
}
