import { suppressionHashesOf, type NewEvent, type Store } from '@datafirst/store';

/**
 * The events of people not on the suppression list (erased with `suppress: true`), and how many
 * were dropped. One look-up for the whole submission, by the hashes of each event's identifiers;
 * none at all (no hashing either) while the list is empty, as it mostly is.
 */
export async function withoutSuppressed(store: Store, events: NewEvent[]): Promise<{ kept: NewEvent[]; dropped: number }> {
  if (events.length === 0 || !(await store.privacy.hasSuppressed())) return { kept: events, dropped: 0 };
  const hashes = events.map((event) => suppressionHashesOf(event.message));
  const suppressed = await store.privacy.suppressedAmong([...new Set(hashes.flat())]);
  if (suppressed.size === 0) return { kept: events, dropped: 0 };
  const kept = events.filter((_, index) => !hashes[index]!.some((hash) => suppressed.has(hash)));
  return { kept, dropped: events.length - kept.length };
}

/** A field that names a write key, however a sender spells it (`writeKey`, `write_key`, `WriteKey`). */
const WRITE_KEY_NAME = /^write_?key$/i;

/**
 * The record without its write-key fields, or itself when it has none. It runs for every message
 * ingested: the keys are walked without a list of them, and only those of a write key's length
 * are matched.
 */
function withoutWriteKeyFields(record: Record<string, unknown>): Record<string, unknown> {
  let kept: Record<string, unknown> | undefined;
  for (const key in record) {
    if ((key.length !== 8 && key.length !== 9) || !WRITE_KEY_NAME.test(key)) continue;
    kept ??= { ...record };
    delete kept[key];
  }
  return kept ?? record;
}

/**
 * A message without the write key a sender put in it (Segment's libraries allow one per message;
 * some senders put it in the context): the key authenticates the request and must never be stored
 * or shown with the event.
 */
export function withoutWriteKey(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const message = withoutWriteKeyFields(input as Record<string, unknown>);
  const context = message.context;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return message;
  const kept = withoutWriteKeyFields(context as Record<string, unknown>);
  return kept === context ? message : { ...message, context: kept };
}
