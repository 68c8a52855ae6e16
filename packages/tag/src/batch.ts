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

/**
 * The oldest messages whose body fits in one keepalive request, and at least one message. Only one
 * request is in flight at a time (the 64 KiB allowance is shared), so the rest wait their turn.
 */
export function nextBatch(messages: TagMessage[]): TagMessage[] {
  const batch: TagMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    // +1 for the comma between messages.
    bytes += messageBytes(message) + 1;
    if (bytes > MAX_BATCH_BYTES && batch.length) break;
    batch.push(message);
  }
  return batch;
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
