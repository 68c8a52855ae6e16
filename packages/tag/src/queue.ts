import type { TagMessage } from './api.js';
import { backoff } from './backoff.js';
import { batchBody, isFinalAnswer, MAX_BATCH_BYTES, messageBytes, nextBatch } from './batch.js';
import { beacon, later, onLeave, onOnline, post, readStored, writeStored, type Timer } from './browser.js';

/** The most messages kept; beyond it the oldest go, so that a long time offline cannot fill localStorage. */
export const QUEUE_CAP = 500;

/** How long calls gather into one batch: a page view and the calls made with it travel together. */
export const BATCH_DELAY_MS = 50;

/** localStorage key of the send queue of a write key: a JSON array of messages. */
export function queueKey(writeKey: string): string {
  return `_df_q:${writeKey}`;
}

/**
 * Creates the lossless send queue to the collector at `api` and returns its `push`. Messages stay
 * in localStorage until the collector has answered for them. The queue adopts what is stored
 * (messages of earlier pages, or of other tabs), sends one batch at a time (keepalive bodies in
 * flight share 64 KiB), backs off with jitter, sends at once when the browser comes back online, and
 * beacons the next batch when the page is hidden.
 *
 * Tabs share the key, so every write merges: the stored messages, minus this tab's own and those
 * it has just delivered, plus this tab's own. Another tab's write never loses a message; at worst
 * two tabs send it, and the collector deduplicates by `messageId`.
 */
export function createQueue(api: string, writeKey: string): (message: TagMessage) => void {
  const key = queueKey(writeKey);
  const url = `${api}/v1/batch`;
  const load = (): TagMessage[] => {
    try {
      return JSON.parse(readStored(key) || '[]') as TagMessage[];
    } catch {
      return [];
    }
  };
  let pending = load();
  let sending = false;
  let timer: Timer | 0 = 0;
  let failures = 0;

  const persist = (delivered: TagMessage[]): void => {
    const skipped = pending.concat(delivered).map((message) => message.messageId);
    const merged = load()
      .filter((message) => !skipped.includes(message.messageId))
      .concat(pending)
      .slice(-QUEUE_CAP);
    writeStored(key, JSON.stringify(merged));
  };

  const schedule = (ms: number): void => {
    timer ||= later(() => {
      timer = 0;
      void flush();
    }, ms);
  };

  // Nothing in here throws: storage access is guarded, and every message was serialised once already.
  const flush = async (): Promise<void> => {
    if (sending || !pending.length) return;
    sending = true;
    const batch = nextBatch(pending);
    // A rejection is a network error (offline, blocked, CORS) and is retried like a 5xx.
    const answered = await post(url, batchBody(batch, writeKey)).then(isFinalAnswer, () => false);
    sending = false;
    if (!answered) return schedule(backoff(failures++));
    failures = 0;
    pending = pending.filter((message) => !batch.includes(message));
    persist(batch);
    return flush();
  };

  schedule(BATCH_DELAY_MS);
  onOnline(() => void flush());
  onLeave(() => {
    // One batch: beacons share the 64 KiB allowance too, and what is left goes with the next page.
    // The messages stay queued, since a beacon's answer cannot be read. A beacon cannot carry
    // headers either, so the write key rides in the query.
    if (pending.length) {
      beacon(`${url}?writeKey=${encodeURIComponent(writeKey)}`, batchBody(nextBatch(pending), writeKey));
    }
  });

  return (message) => {
    // The collector refuses messages this big anyway, and one that cannot travel would block the queue.
    if (messageBytes(message) > MAX_BATCH_BYTES) return;
    pending = pending.concat(message).slice(-QUEUE_CAP);
    persist([]);
    schedule(BATCH_DELAY_MS);
  };
}
