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

/**
 * A message without the `writeKey` a sender may have put in it (Segment's libraries allow one per
 * message): the key authenticates the request and must never be stored or shown with the event.
 */
export function withoutWriteKey(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const message = input as Record<string, unknown>;
  const context = message.context;
  // Some senders put it in the context instead.
  const inContext = typeof context === 'object' && context !== null && 'writeKey' in context;
  if (!('writeKey' in message) && !inContext) return input;
  const { writeKey: _writeKey, ...rest } = message;
  if (inContext) {
    const { writeKey: _contextKey, ...contextRest } = context as Record<string, unknown>;
    rest.context = contextRest;
  }
  return rest;
}
