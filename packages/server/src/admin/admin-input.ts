import type { AnyDestination } from '@datafirst/destination';
import type { DeliveryStatus } from '@datafirst/store';

/** A request the admin API refuses with 400, naming every problem as `field: reason`. */
export class BadRequest extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
  }
}

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'skipped', 'failed', 'blocked', 'dead'];

const MAX_CONSENT_CATEGORIES = 20;
// Category names as consent tools spell them: `advertising`, `analytics`, OneTrust's `C0004`…
const CATEGORY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** The JSON object body of a request, or a 400. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest(['body: must be a JSON object']);
  return body as Record<string, unknown>;
}

/** Refuses fields the endpoint does not know, so a typo is not silently ignored. */
export function knownFields(body: Record<string, unknown>, allowed: readonly string[], fixed: readonly string[] = []): string[] {
  const errors: string[] = [];
  for (const key of Object.keys(body)) {
    if (fixed.includes(key)) errors.push(`${key}: cannot be changed`);
    else if (!allowed.includes(key)) errors.push(`${key}: unknown field (known: ${allowed.join(', ')})`);
  }
  return errors;
}

/** A display name: 1 to 200 characters once trimmed. */
export function checkName(value: unknown, errors: string[], field = 'name'): string {
  if (typeof value !== 'string' || value.trim() === '' || value.trim().length > 200) {
    errors.push(`${field}: a non-empty string of at most 200 characters`);
    return '';
  }
  return value.trim();
}

/** true or false. */
export function checkEnabled(value: unknown, errors: string[]): boolean {
  if (typeof value !== 'boolean') errors.push('enabled: true or false');
  return value === true;
}

/** Consent categories an event must be granted to reach an integration; [] sends regardless of consent. */
export function checkCategories(value: unknown, errors: string[]): string[] {
  if (!Array.isArray(value)) {
    errors.push('consent_categories: an array of category names such as ["advertising"] ([] sends regardless of consent)');
    return [];
  }
  const bad = value.filter((category) => typeof category !== 'string' || !CATEGORY.test(category));
  if (bad.length > 0) {
    errors.push(
      `consent_categories: ${bad.map((c) => JSON.stringify(c)).join(', ')} is not a category name (letters, digits, _ . : -)`,
    );
  }
  if (new Set(value).size !== value.length) errors.push('consent_categories: each category at most once');
  if (value.length > MAX_CONSENT_CATEGORIES) errors.push(`consent_categories: at most ${MAX_CONSENT_CATEGORIES} categories`);
  return value as string[];
}

/**
 * An integration config checked by its destination's validator (ids, event names, bounds…);
 * errors are named `config.<field>` so the admin UI can show each beside its field.
 */
export function checkDestinationConfig(
  destination: AnyDestination,
  input: unknown,
  errors: string[],
): Record<string, unknown> | undefined {
  const result = destination.validateConfig(input);
  if (result.ok) return result.config as Record<string, unknown>;
  errors.push(...result.errors.map((error) => (error.startsWith('config:') ? error : `config.${error}`)));
  return undefined;
}

/** Throws a 400 naming every problem found. */
export function throwIfAny(errors: string[]): void {
  if (errors.length > 0) throw new BadRequest(errors);
}

/** A string query parameter, or undefined when absent or empty. */
export function queryString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// Addresses as people type them: something, an @, a domain. The store compares them as Snapchat
// does (blanks removed, any case), so blanks and case do not matter.
const EMAIL = /^[^@]+@[^@]+$/;
const MAX_EMAIL_LENGTH = 254;

/** True for text shaped like an email address once its blanks are removed, as a search or an erasure takes one. */
export function isEmailAddress(text: string): boolean {
  const compact = text.replace(/\s+/gu, '');
  return compact.length <= MAX_EMAIL_LENGTH && EMAIL.test(compact);
}
