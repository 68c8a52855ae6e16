import { backoff } from './backoff.js';
import { splitBatches } from './batch.js';
import type { TagMessage } from './message.js';

/** Where the queue persists: localStorage under `_df_q:<writeKey>` in the browser, shared by tabs. */
export interface QueueStore {
  load(): TagMessage[];
  save(messages: TagMessage[]): void;
}

/** What the queue needs from the outside world. */
export interface QueueDeps {
  store: QueueStore;
  /** Posts a batch; resolves true once the collector has answered for good, false (or rejects) to retry. */
  send(batch: TagMessage[]): Promise<boolean>;
  /** Hands a batch to `sendBeacon`, whose answer cannot be read. */
  beacon(batch: TagMessage[]): void;
  setTimer(run: () => void, ms: number): void;
  random(): number;
}

/** A lossless, persistent send queue. */
export interface Queue {
  /** Keeps a message until the collector has answered for it. */
  push(message: TagMessage): void;
  /** Sends now, forgetting the backoff: the browser is back online. */
  retry(): void;
  /** The page may be going away: beacons what is not in flight yet. The messages stay queued. */
  leave(): void;
}

/** The most messages kept; beyond it the oldest go, so a long offline spell cannot fill localStorage. */
export const QUEUE_CAP = 500;

/** How long calls gather into one batch: a page view and the calls made with it go together. */
export const BATCH_DELAY_MS = 50;

/**
 * Creates the queue. It adopts what the store holds (messages of earlier pages, or of other tabs)
 * and sends one batch at a time, because keepalive bodies in flight share one 64 KiB allowance.
 *
 * Tabs share the store, so every write merges: the stored messages, minus those this tab has seen
 * acknowledged, plus this tab's own. A message is never lost to another tab's write; at worst two
 * tabs send it, and the collector deduplicates by `messageId`.
 */
export function createQueue(deps: QueueDeps, cap = QUEUE_CAP): Queue {
  let pending = deps.store.load().slice(-cap);
  let inFlight: TagMessage[] = [];
  let timerSet = false;
  let attempt = 0;
  const acknowledged = new Set<string>();
  const beaconed = new WeakSet<TagMessage>();

  const persist = (): void => {
    const mine = new Set(pending.map((message) => message.messageId));
    const others = deps.store
      .load()
      .filter((message) => !mine.has(message.messageId) && !acknowledged.has(message.messageId));
    deps.store.save(others.concat(pending).slice(-cap));
  };

  const schedule = (ms: number): void => {
    if (timerSet) return;
    timerSet = true;
    deps.setTimer(() => {
      timerSet = false;
      void flush();
    }, ms);
  };

  const flush = async (): Promise<void> => {
    if (inFlight.length || !pending.length) return;
    const batch = (inFlight = splitBatches(pending)[0]);
    let answered = false;
    try {
      answered = await deps.send(batch);
    } catch {
      // A network error: offline, blocked, or a CORS failure. Retried like a 5xx.
    }
    inFlight = [];
    if (!answered) return schedule(backoff(++attempt, deps.random));
    attempt = 0;
    for (const message of batch) acknowledged.add(message.messageId);
    pending = pending.filter((message) => !batch.includes(message));
    persist();
    return flush();
  };

  if (pending.length) schedule(BATCH_DELAY_MS);

  return {
    push(message) {
      pending = pending.concat(message).slice(-cap);
      persist();
      schedule(BATCH_DELAY_MS);
    },
    retry() {
      attempt = 0;
      void flush();
    },
    leave() {
      // A keepalive fetch outlives the page, so what is in flight needs no beacon; nor does what
      // was beaconed already (tab switches hide the page many times).
      const unsent = pending.filter((message) => !inFlight.includes(message) && !beaconed.has(message));
      for (const message of unsent) beaconed.add(message);
      for (const batch of splitBatches(unsent)) deps.beacon(batch);
    },
  };
}
