import { createHash, timingSafeEqual } from 'node:crypto';
import { randomToken, type PostbackKey } from '@datafirst/store';

const PREFIX = 'pbk_';

/** SHA-256 (hex) of a postback key: all the store keeps of it. */
export function hashPostbackKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new postback key (about 190 random bits), its hash, and the hint that tells it apart later. */
export function newPostbackKey(): { key: string; hash: string; hint: string } {
  const key = `${PREFIX}${randomToken(32)}`;
  return { key, hash: hashPostbackKey(key), hint: key.slice(-4) };
}

/** How a stored key is shown after creation: never enough of it to use. */
export function maskedPostbackKey(key: PostbackKey): string {
  return `${PREFIX}****${key.hint}`;
}

/**
 * The source whose postback key `given` is, or undefined. Every stored key is compared, in
 * constant time and without stopping at a match, so the answer's timing says nothing about
 * how close a guess came.
 */
export function sourceForPostbackKey(keys: readonly PostbackKey[], given: string): string | undefined {
  const digest = Buffer.from(hashPostbackKey(given), 'hex');
  let found: string | undefined;
  for (const key of keys) {
    const stored = Buffer.from(key.keyHash, 'hex');
    if (stored.length === digest.length && timingSafeEqual(stored, digest) && found === undefined) found = key.sourceId;
  }
  return found;
}
