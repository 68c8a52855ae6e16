import { LIMITS, type EnrichedMessage } from '@datafirst/protocol';
import { identitiesOf, identityDigest } from './identity-hashes.js';
import type { EventSearch } from './store.js';

/**
 * What the debugger finds an event by, as the events table keeps it beside the message: the
 * ids as they are, and the email only as its identity hash (SHA-256 of `email:` and the
 * normalised address, as the suppression list has it), never the address.
 */
export interface SearchKeys {
  userId: string | null;
  anonymousId: string | null;
  emailHash: Buffer | null;
  /** `properties.order_id`. */
  orderId: string | null;
  /** The ad click id of the context (`context.snapchat.clickId`, from `ScCid`). */
  clickId: string | null;
}

/**
 * An id as it is kept and compared: trimmed text (a number written out); null when blank, or
 * longer than any id (`LIMITS.maxIdLength`), which nobody searches for and no index should hold.
 */
export function idKey(value: unknown): string | null {
  const text =
    typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  return text === '' || text.length > LIMITS.maxIdLength ? null : text;
}

const emailHash = (email: string | undefined) => (email === undefined ? null : (identityDigest('email', email) ?? null));

/** The keys a stored event is found by. */
export function searchKeysOf(message: EnrichedMessage): SearchKeys {
  const { userId, anonymousId, email } = identitiesOf(message);
  return {
    userId: idKey(userId),
    anonymousId: idKey(anonymousId),
    emailHash: emailHash(email),
    orderId: idKey(message.properties?.order_id),
    clickId: idKey(message.context?.snapchat?.clickId),
  };
}

/**
 * The keys a search looks for, one per identifier given; null for one that is blank once
 * normalised, which no event carries: such a search finds nothing.
 */
export function keysOfSearch(search: EventSearch): Partial<SearchKeys> {
  const keys: Partial<SearchKeys> = {};
  if (search.userId !== undefined) keys.userId = idKey(search.userId);
  if (search.anonymousId !== undefined) keys.anonymousId = idKey(search.anonymousId);
  if (search.email !== undefined) keys.emailHash = emailHash(search.email);
  if (search.orderId !== undefined) keys.orderId = idKey(search.orderId);
  if (search.clickId !== undefined) keys.clickId = idKey(search.clickId);
  return keys;
}
