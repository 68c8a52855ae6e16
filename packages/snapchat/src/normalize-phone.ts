import { callingCodeOf, leadingCallingCode } from '@datafirst/protocol';
import { normalizeHashable } from './normalize.js';

// The phone algorithm of docs/snapchat-capi.md §5.3. It matches every vector in Snap's SDKs, except that
// a national number needs the integration's default country: we never assume calling code 1 the
// way the SDKs do, because a wrong country code is a wrong person.

const INTERNATIONAL_PREFIX = /^(?:\+|00)\s*/u;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15; // E.164

function digitsOf(text: string): string {
  return text.replace(/\D+/gu, '');
}

function dropOneLeadingZero(digits: string): string {
  return digits.startsWith('0') ? digits.slice(1) : digits;
}

/**
 * The digits of an international number (`+…` or `00…`, prefix already removed). The country
 * code is the calling code the digits start with, whether a separator follows it or not, so
 * "+4407700900123" and "+44 07700 900123" are the same number.
 */
function international(rest: string): string {
  const digits = digitsOf(rest);
  const countryCode = leadingCallingCode(digits);
  if (countryCode === undefined) return digits;
  // The national part may still carry its trunk 0 ("+44 0447…"), which E.164 leaves out. Snap's
  // rule drops it for every country, Italy's "+39 06…" included, so both forms hash alike.
  return countryCode + dropOneLeadingZero(digits.slice(countryCode.length));
}

/** The digits of a national number, given the calling code of the default country. */
function national(text: string, callingCode: string): string {
  let digits = dropOneLeadingZero(digitsOf(text));
  // North American numbers are often written with their own leading 1 ("1 447 234 2344").
  if (callingCode === '1' && digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  return callingCode + digits;
}

/**
 * Phone number (`ph`): digits only, with the country code, without `00`, `+` or the trunk `0`.
 * A number without an international prefix needs `defaultCountry` (ISO-2); without it the phone
 * is omitted, never guessed. Results outside 7–15 digits are omitted.
 */
export function normalizePhone(value: unknown, defaultCountry?: string): string | undefined {
  return normalizeHashable(value, (text) => {
    const cleaned = text.replaceAll('(0)', '');
    const prefix = INTERNATIONAL_PREFIX.exec(cleaned);
    let digits: string;
    if (prefix !== null) {
      digits = international(cleaned.slice(prefix[0].length));
    } else {
      const callingCode = defaultCountry === undefined ? undefined : callingCodeOf(defaultCountry);
      if (callingCode === undefined) return undefined;
      digits = national(cleaned, callingCode);
    }
    return digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS ? digits : undefined;
  });
}
