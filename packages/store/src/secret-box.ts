import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Marks a value sealed by {@link SecretBox}; the version lets a later format sit beside it. */
export const SEALED_PREFIX = 'enc:v1:';

/**
 * The shortest secret key accepted. HKDF stretches nothing: a short or guessable key would make
 * the sealed secrets guessable, so ask for 32 characters (`openssl rand -base64 32` gives 44).
 */
export const MIN_SECRET_KEY_LENGTH = 32;

const IV_BYTES = 12; // the size AES-GCM is specified for
const TAG_BYTES = 16;

/** Seals and opens the secrets the store keeps (access tokens, write keys). */
export interface SecretBox {
  /** True when a secret key is set: secrets are written sealed. */
  readonly sealing: boolean;
  /**
   * Seals `plaintext` with AES-256-GCM, bound to `context` (which row and field it belongs to), so
   * a sealed value copied into another row does not open. Without a key it returns the plaintext.
   */
  seal(plaintext: string, context: string): string;
  /** Opens a sealed value; a plaintext value (written before a key was set) comes back as it is. */
  open(stored: string, context: string): string;
  /**
   * A keyed digest (HMAC-SHA256) of a secret, so a sealed write key can still be looked up by
   * value; undefined without a key.
   */
  digest(value: string): string | undefined;
}

/** Thrown when sealed secrets cannot be opened: no key, or not the key they were sealed with. */
export class SecretKeyError extends Error {}

/** True when a stored value was sealed by a SecretBox. */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** A SecretBox for `secretKey`, or one that stores secrets as they are when no key is given. */
export function createSecretBox(secretKey?: string): SecretBox {
  if (secretKey === undefined || secretKey === '') return plainBox;
  if (secretKey.length < MIN_SECRET_KEY_LENGTH) {
    throw new SecretKeyError(
      `the secret key must be at least ${MIN_SECRET_KEY_LENGTH} characters (try: openssl rand -base64 32)`,
    );
  }
  // Two independent keys from one: reusing the cipher key as the HMAC key would tie them together.
  const salt = Buffer.from('datafirst secrets');
  const cipherKey = Buffer.from(hkdfSync('sha256', secretKey, salt, 'aes-256-gcm v1', 32));
  const digestKey = Buffer.from(hkdfSync('sha256', secretKey, salt, 'write key lookup v1', 32));

  return {
    sealing: true,
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', cipherKey, iv).setAAD(Buffer.from(context));
      const sealed = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return SEALED_PREFIX + sealed.toString('base64url');
    },
    open(stored, context) {
      if (!isSealed(stored)) return stored;
      const bytes = Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretKeyError(`a sealed secret (${context}) is damaged`);
      const decipher = createDecipheriv('aes-256-gcm', cipherKey, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new SecretKeyError(
          `a sealed secret (${context}) does not open with this secret key: start with the DATAFIRST_SECRET_KEY it was sealed with`,
        );
      }
    },
    digest(value) {
      return createHmac('sha256', digestKey).update(value).digest('base64url');
    },
  };
}

const plainBox: SecretBox = {
  sealing: false,
  seal: (plaintext) => plaintext,
  open(stored, context) {
    if (!isSealed(stored)) return stored;
    throw new SecretKeyError(
      `the database holds secrets encrypted at rest (${context}): start with the DATAFIRST_SECRET_KEY they were sealed with`,
    );
  },
  digest: () => undefined,
};
