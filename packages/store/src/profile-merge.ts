import type { EnrichedMessage, Traits } from '@datafirst/protocol';
import { boundProfile } from './profile-bounds.js';
import type { Person } from './store.js';

/**
 * How `identify` and `alias` calls build a person's profile, apart from any database. A profile
 * is kept under two keys, `u:<userId>` and `a:<anonymousId>`; each identify call merges its
 * traits into both, later values winning per field. An alias call links the id a person was
 * known by (`previousId`) to their `userId`: what either knew is merged and kept under both.
 * Profiles keep identity traits only, bounded (profile-bounds.ts).
 */

const userKey = (userId: string) => `u:${userId}`;
const anonymousKey = (anonymousId: string) => `a:${anonymousId}`;

/** Traits an identify call carries: its own `traits`, then any in `context.traits`. */
export function identifyTraits(message: EnrichedMessage): Traits {
  return { ...(message.context.traits ?? {}), ...(message.traits ?? {}) };
}

/**
 * What an identify call adds to the profiles: the keys it updates and the traits to merge in.
 * `anonymousOnly` (an untrusted sender, such as a browser): only the anonymous id's profile, so
 * nobody can attach their own email to someone else's user id.
 */
export function profileUpdate(message: EnrichedMessage, anonymousOnly = false): { keys: string[]; traits: Traits } {
  // The userId is kept with the traits, so a later anonymous event of the same visitor still
  // carries the person's external id.
  const traits = { ...identifyTraits(message), ...(message.userId ? { userId: message.userId } : {}) };
  const keys = [
    !anonymousOnly && message.userId && userKey(message.userId),
    message.anonymousId && anonymousKey(message.anonymousId),
  ];
  return { keys: keys.filter((key): key is string => Boolean(key)), traits };
}

/** A stored profile with an update merged in, the update winning per field, bounded as a profile must be. */
export function mergeTraits(stored: Traits | undefined, update: Traits): Traits {
  return boundProfile({ ...(stored ?? {}), ...boundProfile(update) });
}

/** The profile keys a person may be found under. */
export function personKeys(person: Person): string[] {
  return [person.userId && userKey(person.userId), person.anonymousId && anonymousKey(person.anonymousId)].filter(
    (key): key is string => Boolean(key),
  );
}

/** A person's traits from the profiles found: the user's profile wins over the anonymous one. */
export function traitsOfPerson(person: Person, found: ReadonlyMap<string, Traits>): Traits | undefined {
  const byAnonymous = person.anonymousId ? found.get(anonymousKey(person.anonymousId)) : undefined;
  const byUser = person.userId ? found.get(userKey(person.userId)) : undefined;
  if (!byAnonymous && !byUser) return undefined;
  return { ...(byAnonymous ?? {}), ...(byUser ?? {}) };
}

/**
 * The profile keys an alias call reads, in merge order: the previous id's (it may have been an
 * anonymousId or an earlier userId), then the user's, so the user's own values win. None for an
 * alias that links nothing.
 */
export function aliasKeys(message: EnrichedMessage): string[] {
  const { previousId, userId } = message;
  if (!previousId || !userId || previousId === userId) return [];
  return [anonymousKey(previousId), userKey(previousId), userKey(userId)];
}

/**
 * The profiles an alias call writes, given those found under `aliasKeys`: one merged profile,
 * kept under the user's key, the previous id's anonymous key, and its user key if it had one.
 */
export function aliasProfiles(message: EnrichedMessage, found: ReadonlyMap<string, Traits>): [key: string, traits: Traits][] {
  const keys = aliasKeys(message);
  if (keys.length === 0 || !message.userId) return [];
  const merged = {
    ...keys.reduce<Traits>((traits, key) => mergeTraits(traits, found.get(key) ?? {}), {}),
    userId: message.userId,
  };
  const [previousAnonymous, previousUser, user] = keys as [string, string, string];
  const targets = [user, previousAnonymous, ...(found.has(previousUser) ? [previousUser] : [])];
  return targets.map((key) => [key, merged]);
}
