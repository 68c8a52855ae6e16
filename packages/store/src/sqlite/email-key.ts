/**
 * The key the events table indexes an email hash by: its first four bytes, as a signed 32-bit
 * integer (SQLite keeps it in four bytes). Different emails may share a key, so a search also
 * compares the whole hash; with random hashes that is one extra event per four billion.
 */
export function emailKeyOf(hash: Buffer | null): number | null {
  return hash === null ? null : hash.readInt32BE(0);
}
