import { countryCode } from '@datafirst/protocol';
import { lower, nonEmpty, normalizeHashable } from './normalize.js';
import { US_STATE_CODES } from './us-states.js';

function lettersAndDigits(text: string): string {
  return lower(text).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** City (`ct`): lowercased, letters and digits only ("A Fake City" → `afakecity`). */
export function normalizeCity(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => nonEmpty(lettersAndDigits(text)));
}

/** State (`st`): lowercased, letters and digits only; US state names become their 2-letter code. */
export function normalizeState(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => {
    const state = lettersAndDigits(text);
    return US_STATE_CODES.get(state) ?? nonEmpty(state);
  });
}

const US_ZIP_PLUS_4 = /^(\d{5})\d{4}$/u;

/** Zip or postal code (`zp`): lowercased, without spaces or `-`; a US ZIP+4 is cut to its 5 digits. */
export function normalizeZip(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => {
    const zip = lower(text).replace(/[\s-]+/gu, '');
    return nonEmpty(US_ZIP_PLUS_4.exec(zip)?.[1] ?? zip);
  });
}

/** Country (`country`): the lowercase ISO-2 code, from a code or an English name; anything else is omitted. */
export function normalizeCountry(value: unknown): string | undefined {
  return normalizeHashable(value, (text) => countryCode(text)?.toLowerCase());
}
