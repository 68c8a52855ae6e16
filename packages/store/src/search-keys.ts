import type { EnrichedMessage } from '@datafirst/protocol';
import { identitiesOf, identityDigest, type IdentityKind } from './identity-hashes.js';
import type { EventSearch } from './store.js';

/** What the debugger finds an event by, each kept as its identity hash (never the raw value). */
export type SearchKind = Extract<IdentityKind, 'user' | 'anon' | 'email' | 'order' | 'click'>;

/** An event's search keys: the hash of each identifier it carries, null for those it lacks. */
export type SearchKeys = Record<SearchKind, Buffer | null>;

const digestOf = (kind: SearchKind, value: string | undefined) =>
  value === undefined ? null : (identityDigest(kind, value) ?? null);

/** An order id as destinations read it (`properties.order_id`): a string, or a number written out. */
function orderIdOf(message: EnrichedMessage): string | undefined {
  const orderId = message.properties?.order_id;
  if (typeof orderId === 'number' && Number.isFinite(orderId)) return String(orderId);
  return typeof orderId === 'string' ? orderId : undefined;
}

/**
 * The keys a stored event is found by: its user and anonymous ids, the email of its traits, its
 * order id, and the ad click id in its context (`context.snapchat.clickId`, from `ScCid`).
 */
export function searchKeysOf(message: EnrichedMessage): SearchKeys {
  const { userId, anonymousId, email } = identitiesOf(message);
  const clickId = message.context?.snapchat?.clickId;
  return {
    user: digestOf('user', userId),
    anon: digestOf('anon', anonymousId),
    email: digestOf('email', email),
    order: digestOf('order', orderIdOf(message)),
    click: digestOf('click', typeof clickId === 'string' ? clickId : undefined),
  };
}

/**
 * The keys a search looks for, one per identifier given. An identifier that is blank once
 * normalised gets an empty key, which no event has: such a search finds nothing.
 */
export function keysOfSearch(search: EventSearch): Partial<Record<SearchKind, Buffer>> {
  const given: [SearchKind, string | undefined][] = [
    ['user', search.userId],
    ['anon', search.anonymousId],
    ['email', search.email],
    ['order', search.orderId],
    ['click', search.clickId],
  ];
  const keys: Partial<Record<SearchKind, Buffer>> = {};
  for (const [kind, value] of given) {
    if (value !== undefined) keys[kind] = identityDigest(kind, value) ?? Buffer.alloc(0);
  }
  return keys;
}
