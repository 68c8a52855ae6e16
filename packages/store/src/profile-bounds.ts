import type { Traits } from '@datafirst/protocol';

/**
 * What a stored profile may hold. A profile is rewritten on every identify call and read for every
 * later event of the person, so one sender must not be able to grow it: only the traits that
 * identify a person for ad matching are kept (anything else stays in the raw event), each value
 * bounded, and the whole under a size cap.
 */
export const PROFILE_LIMITS = {
  /** Longest string value kept; a longer one is dropped, not cut (a cut email would match no one). */
  maxValueLength: 256,
  /** Most values of a list trait (several emails or phone numbers). */
  maxListItems: 5,
  /** Largest profile, serialised, in bytes. */
  maxBytes: 8 * 1024,
} as const;

/** The traits a profile keeps, most useful first: when the size cap bites, the last ones go. */
export const IDENTITY_TRAITS = [
  'userId',
  'email',
  'phone',
  'phoneNumber',
  'phone_number',
  'firstName',
  'first_name',
  'lastName',
  'last_name',
  'name',
  'birthday',
  'gender',
  'city',
  'state',
  'zip',
  'postalCode',
  'postal_code',
  'country',
  'address',
] as const;

/** The fields of a trait `address` that a profile keeps. */
const ADDRESS_FIELDS = ['street', 'city', 'state', 'postalCode', 'postal_code', 'zip', 'country'] as const;

function boundedScalar(value: unknown): string | number | boolean | undefined {
  if (typeof value === 'string') return value.length <= PROFILE_LIMITS.maxValueLength ? value : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

function boundedValue(key: string, value: unknown): unknown {
  if (key === 'address') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const address: Record<string, unknown> = {};
    for (const field of ADDRESS_FIELDS) {
      const kept = boundedScalar((value as Record<string, unknown>)[field]);
      if (kept !== undefined) address[field] = kept;
    }
    return Object.keys(address).length > 0 ? address : undefined;
  }
  if (Array.isArray(value)) {
    const items = value
      .slice(0, PROFILE_LIMITS.maxListItems)
      .map(boundedScalar)
      .filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  return boundedScalar(value);
}

/**
 * A profile as it may be stored: identity traits only (IDENTITY_TRAITS), each value bounded, and
 * at most PROFILE_LIMITS.maxBytes serialised, dropping the least useful traits to fit. The work is
 * bounded too: only the listed keys are ever read, however many the input has.
 */
export function boundProfile(traits: Traits): Traits {
  const kept: [string, unknown][] = [];
  for (const key of IDENTITY_TRAITS) {
    if (!Object.hasOwn(traits, key)) continue;
    const value = boundedValue(key, traits[key]);
    if (value !== undefined) kept.push([key, value]);
  }
  while (kept.length > 0 && Buffer.byteLength(JSON.stringify(Object.fromEntries(kept))) > PROFILE_LIMITS.maxBytes) kept.pop();
  return Object.fromEntries(kept);
}
