// Every localStorage key the tag uses, in one place (end-to-end tests read them too).
import type { TagMessage } from './message.js';
import type { QueueStore } from './queue.js';

/** String storage that never throws: localStorage in the browser, with memory behind it. */
export interface KeyValueStore {
  get(key: string): string | null | undefined;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** Key of the user id that `identify` set. */
export const USER_ID_KEY = '_df_uid';

/** Key of the visitor's advertising choice: `granted` or `denied`. */
export const CONSENT_KEY = '_df_consent';

/** Key of the send queue for a write key: a JSON array of messages, absent when empty. */
export function queueKey(writeKey: string): string {
  return `_df_q:${writeKey}`;
}

/** The send queue of one write key, kept as JSON; unreadable contents count as empty. */
export function queueStore(storage: KeyValueStore, writeKey: string): QueueStore {
  const key = queueKey(writeKey);
  return {
    load() {
      try {
        const stored: unknown = JSON.parse(storage.get(key) || '[]');
        return Array.isArray(stored) ? (stored as TagMessage[]) : [];
      } catch {
        return [];
      }
    },
    save(messages) {
      if (messages.length) storage.set(key, JSON.stringify(messages));
      else storage.remove(key);
    },
  };
}
