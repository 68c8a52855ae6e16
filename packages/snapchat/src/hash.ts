import { hash } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * SHA-256 of the UTF-8 bytes of `value`, as 64 lowercase hex digits. The one-shot `crypto.hash`
 * takes half the time of a Hash object for a short text, and every identifier of every event is hashed.
 */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** True when `value` is 64 hex digits in any case, i.e. looks like a SHA-256 digest already. */
export function isSha256Hex(value: string): boolean {
  return SHA256_HEX.test(value);
}

/**
 * Hashes a normalised value, unless it is a digest already: senders that hash PII themselves
 * must not get it hashed twice, and Snap wants digests lowercase.
 */
export function hashNormalized(value: string): string {
  return isSha256Hex(value) ? value.toLowerCase() : sha256Hex(value);
}
