import type { TagMessage } from './message.js';

/**
 * The most message bytes in one request. Browsers allow 64 KiB of keepalive and beacon bodies in
 * flight per page; the rest of the 65,536 is left for the envelope (`sentAt`, `writeKey`).
 */
export const MAX_BATCH_BYTES = 60_000;

/** A message's size on the wire, in UTF-8 bytes. */
export function messageBytes(message: TagMessage): number {
  return new Blob([JSON.stringify(message)]).size;
}

/**
 * Splits messages, in order, into batches whose bodies fit the keepalive limit. A message too big to
 * fit alone still gets a batch of its own: the collector then refuses it with a 400, which drops it.
 */
export function splitBatches(messages: TagMessage[], maxBytes = MAX_BATCH_BYTES): TagMessage[][] {
  const batches: TagMessage[][] = [];
  let bytes = maxBytes;
  for (const message of messages) {
    // +1 for the comma between messages.
    const size = messageBytes(message) + 1;
    if (bytes + size > maxBytes) {
      batches.push([]);
      bytes = 0;
    }
    batches[batches.length - 1].push(message);
    bytes += size;
  }
  return batches;
}

/** The body of `POST /v1/batch`, stamped with the time it is sent so the collector can correct clock skew. */
export function batchBody(batch: TagMessage[], writeKey: string, sentAt: number): string {
  return JSON.stringify({ batch, sentAt: new Date(sentAt).toISOString(), writeKey });
}
