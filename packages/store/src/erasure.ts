import { emailKey, identityHashes, normalEmail, phoneReadings, type EmailKey, type PhoneKey } from './identity-hashes.js';
import type { ErasureRequest } from './privacy.js';

/**
 * Erasure's steps that need no database, shared by both engines: which identifiers to match,
 * whose ids the matches add, and what to suppress. The engines keep the matching and deleting SQL.
 */

/** The identifiers erasure matches on, each as the stored side is compared (see identity-hashes.ts); null when not given. */
export interface ErasureIdentifiers {
  userId: string | null;
  anonymousId: string | null;
  /** The email, normalised, and its SHA-256; null without one. */
  email: EmailKey | null;
  /** What the phone given may mean (see phoneReadings); none without a phone. */
  phones: readonly PhoneKey[];
}

/** A request's identifiers ready for matching; undefined when it names none, so there is nothing to erase. */
export function erasureIdentifiers(request: ErasureRequest): ErasureIdentifiers | undefined {
  const identifiers: ErasureIdentifiers = {
    userId: request.userId?.trim() || null,
    anonymousId: request.anonymousId?.trim() || null,
    email: request.email === undefined || normalEmail(request.email) === '' ? null : emailKey(request.email),
    phones: request.phone === undefined ? [] : phoneReadings(request.phone),
  };
  const { phones, ...others } = identifiers;
  return phones.length === 0 && Object.values(others).every((value) => value === null) ? undefined : identifiers;
}

/** A matching event: its store id, and the ids it carries (anything but a string is no id). */
export interface MatchedEvent {
  id: number | string;
  user_id: unknown;
  anonymous_id: unknown;
}

/** A matching profile: its key (`u:…` or `a:…`) and the user id its traits carry. */
export interface MatchedProfile {
  key: string;
  user_id: unknown;
}

/** A person's ids: user ids and anonymous ids. */
export interface PersonIds {
  users: Set<string>;
  anonymous: Set<string>;
}

/** The person's ids: those given, and those their matching events and profiles carry. */
export function personIds(
  given: ErasureIdentifiers,
  events: readonly MatchedEvent[],
  profiles: readonly MatchedProfile[],
): PersonIds {
  const users = new Set<string>(given.userId ? [given.userId] : []);
  const anonymous = new Set<string>(given.anonymousId ? [given.anonymousId] : []);
  for (const row of events) {
    if (typeof row.user_id === 'string') users.add(row.user_id);
    if (typeof row.anonymous_id === 'string') anonymous.add(row.anonymous_id);
  }
  for (const row of profiles) {
    if (typeof row.user_id === 'string') users.add(row.user_id);
    if (row.key.startsWith('a:')) anonymous.add(row.key.slice(2));
  }
  return { users, anonymous };
}

/** The profile keys of a person's ids. */
export function profileKeysOf(ids: PersonIds): string[] {
  return [...[...ids.users].map((id) => `u:${id}`), ...[...ids.anonymous].map((id) => `a:${id}`)];
}

/** The identity hashes to suppress after an erasure: the request's, and those of every id found. */
export function suppressionHashes(request: ErasureRequest, ids: PersonIds): string[] {
  const found = [...[...ids.users].map((userId) => ({ userId })), ...[...ids.anonymous].map((anonymousId) => ({ anonymousId }))];
  return [request, ...found].flatMap(identityHashes);
}
