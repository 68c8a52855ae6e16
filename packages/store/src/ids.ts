import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random id with a readable prefix, e.g. `src_4f9…`. */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/**
 * A random letters-and-digits token. Link ids are public URL paths and click ids travel through
 * offer networks' sub-id fields, which often allow nothing but letters and digits.
 */
export function randomToken(length: number): string {
  let token = '';
  while (token.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: rejecting the top bytes keeps every character equally likely.
      if (byte < 248 && token.length < length) token += ALPHABET[byte % 62];
    }
  }
  return token;
}

/** A new random write key: `wk_` and 144 random bits. */
export function newWriteKey(): string {
  return `wk_${randomBytes(18).toString('base64url')}`;
}
