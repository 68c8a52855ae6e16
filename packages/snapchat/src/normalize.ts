import { isIP } from 'node:net';
import { isSha256Hex } from './hash.js';

// Snap's normalisation rules (docs/snapchat-capi.md §5). Every normaliser takes whatever a sender put
// in a trait (string or number), returns the normalised plain value, or `undefined` when nothing
// usable is left, which means "omit the field". Values that are digests already come back
// lowercased so that the caller passes them on instead of hashing them again.

/** Text of a trait value: NFC-normalised and trimmed; numbers become their decimal string. */
export function toText(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint') text = value.toString();
  else return undefined;
  // NFC first: an NFD "raphaël" would otherwise lose its diaeresis below and hash differently.
  text = text.normalize('NFC').trim();
  return text === '' ? undefined : text;
}

/** Lowercases without locale rules; NFC again because lowercasing can decompose (`İ` → `i̇`). */
export function lower(text: string): string {
  return text.toLowerCase().normalize('NFC');
}

/**
 * Runs a field's normaliser on the text of `value`, except that a value which is a digest already
 * passes through lowercased: it must never be hashed twice.
 */
export function normalizeHashable(value: unknown, normalize: (text: string) => string | undefined): string | undefined {
  const text = toText(value);
  if (text === undefined) return undefined;
  return isSha256Hex(text) ? text.toLowerCase() : normalize(text);
}

const EMAIL = /^[^@\s]+@[^@\s]+$/u;

/** Email (`em`): every whitespace removed, lowercased, and it must look like `x@y`. */
export function normalizeEmail(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => {
    const email = lower(text.replace(/\s+/gu, ''));
    return EMAIL.test(email) ? email : undefined;
  });
}

/** First or last name (`fn`, `ln`): lowercased, letters (`\p{L}`) only. */
export function normalizeName(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => nonEmpty(lower(text).replace(/\P{L}+/gu, '')));
}

const GENDERS: ReadonlyMap<string, 'm' | 'f'> = new Map([
  ['m', 'm'],
  ['male', 'm'],
  ['man', 'm'],
  ['f', 'f'],
  ['female', 'f'],
  ['woman', 'f'],
]);

/** Gender (`ge`): `m` or `f`; anything else is omitted rather than guessed. */
export function normalizeGender(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => GENDERS.get(lower(text).replace(/\P{L}+/gu, '')));
}

/**
 * External id (`external_id`): every whitespace removed, then lowercased, as Segment does, so
 * sites moving from it keep their hashes.
 */
export function normalizeExternalId(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => nonEmpty(lower(text.replace(/\s+/gu, ''))));
}

const IPV4_MAPPED = '::ffff:';

/**
 * Client IP (`client_ip_address`, sent raw in v3): Node's IPv4-mapped `::ffff:` prefix removed,
 * IPv6 lowercased, and anything that is not an IP address omitted.
 */
export function normalizeIp(value: unknown): string | undefined {
  const text = toText(value);
  if (text === undefined) return undefined;
  let ip = text.toLowerCase();
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (ip.startsWith(IPV4_MAPPED) && isIP(ip.slice(IPV4_MAPPED.length)) === 4) ip = ip.slice(IPV4_MAPPED.length);
  return isIP(ip) === 0 ? undefined : ip;
}

const ZERO_UUID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/u;

/**
 * Mobile advertising id or IDFV (`madid`, `idfv`): lowercased. The all-zero id is what iOS
 * reports when tracking is limited, so it identifies nobody and is omitted.
 */
export function normalizeMobileId(value: unknown): string | undefined {
  const text = toText(value);
  if (text === undefined) return undefined;
  const id = text.toLowerCase();
  return ZERO_UUID.test(id) ? undefined : id;
}

/** `undefined` for the empty string, so that callers can omit the field. */
export function nonEmpty(text: string): string | undefined {
  return text === '' ? undefined : text;
}
