import type { TagMessage } from './api.js';
import { backoff } from './backoff.js';
import { batchBody, isFinalAnswer, MAX_BATCH_BYTES, messageBytes, nextBatch } from './batch.js';
import { beacon, later, onLeave, onOnline, post, readStored, writeStored, type Timer } from './browser.js';

/** The most messages kept; beyond it the oldest go, so that a long time offline cannot fill localStorage. */
export const QUEUE_CAP = 500;

/** How long calls gather into one batch: a page view and the calls made with it travel together. */
export const BATCH_DELAY_MS = 50;

/** `messages` without those of `gone` (the same objects). */
const without = (messages: TagMessage[], gone: TagMessage[]): TagMessage[] =>
  messages.filter((message) => !gone.includes(message));

/** localStorage key of the send queue of a write key: a JSON array of messages. */
export function queueKey(writeKey: string): string {
  return `_df_q:${writeKey}`;
}

/**
 * Creates the send queue to the collector at `api` and returns its `push`. Messages stay in
 * localStorage until the collector has answered for them, or until the browser has taken them to
 * deliver after the page is gone. The queue adopts what is stored (messages of earlier pages, or of
 * other tabs), sends one batch at a time (keepalive bodies in flight share 64 KiB), backs off with
 * jitter, sends at once when the browser comes back online, and beacons the next batch when the page
 * is hidden.
 *
 * What the page hands to the browser as it is hidden (the beacon it accepted, and a keepalive
 * request already in flight) leaves storage at once: the browser delivers it without the page, whose
 * scripts never see that answer, so a next page that sent it again would only make a duplicate.
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
  // This tab's messages, oldest first: the batch in flight stays among them until it is answered,
  // or until the page is hidden, when the browser takes that keepalive request over.
  let pending = load();
  // The batch in flight: posted, not answered yet.
  let inFlight: TagMessage[] = [];
  // Whether the page was hidden or left while `inFlight` was unanswered. The browser then carries
  // that keepalive request on, and rejects the page's promise as the page goes (between pagehide and
  // visibilitychange): that rejection is no failure, and the batch must not go back into the queue.
  let handedOver = false;
  let timer: Timer | 0 = 0;
  let failures = 0;

  const persist = (gone: TagMessage[]): void => {
    const skipped = pending.concat(gone).map((message) => message.messageId);
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
    if (inFlight.length || !pending.length) return;
    const batch = (inFlight = nextBatch(pending));
    // A rejection is a network error (offline, blocked, CORS) and is retried like a 5xx, unless the
    // request was handed over to the browser (see `handedOver`).
    const answered = await post(url, batchBody(batch, writeKey)).then(isFinalAnswer, () => handedOver);
    // A delivered batch leaves storage; one to retry stays in it, or goes back into it if the page
    // was hidden meanwhile and lives on to see an answer that says so.
    inFlight = [];
    handedOver = false;
    pending = answered ? without(pending, batch) : batch.concat(without(pending, batch));
    persist(batch);
    if (!answered) return schedule(backoff(failures++));
    failures = 0;
    return flush();
  };

  schedule(BATCH_DELAY_MS);
  onOnline(() => void flush());
  onLeave(() => {
    // One batch of what is not in flight: beacons share the 64 KiB allowance with the keepalive
    // request, and what is left goes with the next page. A beacon cannot carry headers, so the write
    // key rides in the query. Browsers fire both visibilitychange and pagehide on the way out: a
    // message goes by beacon once.
    handedOver ||= inFlight.length > 0;
    const waiting = nextBatch(without(pending, inFlight));
    const taken = inFlight.concat(
      waiting.length && beacon(`${url}?writeKey=${encodeURIComponent(writeKey)}`, batchBody(waiting, writeKey)) ? waiting : [],
    );
    pending = without(pending, taken);
    persist(taken);
  });

  return (message) => {
    // The collector refuses messages this big anyway, and one that cannot travel would block the queue.
    if (messageBytes(message) > MAX_BATCH_BYTES) return;
    pending = pending.concat(message).slice(-QUEUE_CAP);
    persist([]);
    schedule(BATCH_DELAY_MS);
  };
}
