/**
 * The key the events table indexes an email hash by: its first four bytes, as a signed 32-bit
 * integer (SQLite keeps it in four bytes). Different emails may share a key, so a search also
 * compares the whole hash; with random hashes that is one extra event per four billion.
 */
export function emailKeyOf(hash: Buffer | null): number | null {
  return hash === null ? null : hash.readInt32BE(0);
}

/**
 * The email index is ordered by block of events first (`id >> EVENT_BLOCK_BITS`: 65,536 events a
 * block), then by key. Email keys are random: in one index ordered by key, every new event lands
 * on a random page of the whole index, so a commit dirtied (and wrote out) about one page per
 * event, a third of a large sync's time. Ordered by block, new events land in the newest block's
 * few hundred pages. A search looks the key up in each block: 16 look-ups for a million events.
 * Fixed by migration 32's index: the query must use the same expression.
 */
export const EVENT_BLOCK_BITS = 16;
