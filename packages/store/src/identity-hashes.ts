import * as crypto from 'node:crypto';
import { leadingCallingCode, type EnrichedMessage, type Message } from '@datafirst/protocol';
import type { ErasureRequest } from './privacy.js';

/**
 * An email as compared for erasure and suppression, by Snapchat's rule for `em`: every blank
 * removed, lower case (Unicode's, not only ASCII's), in NFC. So every spelling that reaches
 * Snapchat as one person's hash is one person here too.
 */
export const normalEmail = (email: string): string => email.normalize('NFC').replace(/\s+/gu, '').toLowerCase().normalize('NFC');

/**
 * A phone number as compared for erasure and suppression: its national number, the digits
 * without the international prefix (`+`, `00`), the calling code, or the trunk `0` (also written
 * `(0)`). Snapchat's `ph` needs a default country for a national number, which is each
 * integration's setting; the national number needs none, so `+44 7700 900123`, `0044 7700 900123`,
 * `+44 (0)7700 900123` and `07700 900123` are one person, whatever the integration's country.
 */
export function normalPhone(phone: string): string {
  const text = phone.replaceAll('(0)', '');
  const digits = text.replace(/\D+/gu, '');
  if (!/^\s*(?:\+|00)/u.test(text)) return dropTrunkZero(digits);
  return withoutCallingCode(text.trimStart().startsWith('+') ? digits : digits.slice(2));
}

const dropTrunkZero = (digits: string) => (digits.startsWith('0') ? digits.slice(1) : digits);
const withoutCallingCode = (digits: string) => dropTrunkZero(digits.slice(leadingCallingCode(digits)?.length ?? 0));

/**
 * The national numbers a phone given by a person (an erasure request) may mean: as written, and,
 * when its digits start with a calling code but no `+`, as an international number too, since
 * `15550100200` is how many systems store `+1 555 010 0200`.
 */
export function phoneReadings(phone: string): string[] {
  const asWritten = normalPhone(phone);
  const digits = phone.replace(/\D+/gu, '');
  const international =
    /^\s*(?:\+|00)/u.test(phone) || leadingCallingCode(digits) === undefined ? asWritten : withoutCallingCode(digits);
  return [...new Set([asWritten, international])].filter((reading) => reading !== '');
}

/**
 * How phones were compared before national numbers (all their digits), which suppression lists
 * made then hold: still checked at ingest, so that nobody suppressed then comes back.
 */
const earlierPhoneKey = (phone: string): string => phone.replace(/\D/gu, '');

/**
 * The kinds of identifier the store hashes. A hash is of `kind:value`, so the same text as a
 * user id and as an anonymous id gives two different hashes.
 */
export type IdentityKind = 'user' | 'anon' | 'email' | 'phone';

const trim = (value: string) => value.trim();

/** How each kind is normalised before it is hashed, so `Jane@Example.com ` matches `jane@example.com`. */
const NORMALISE: Readonly<Record<IdentityKind, (value: string) => string>> = {
  user: trim,
  anon: trim,
  email: normalEmail,
  phone: normalPhone,
};

// The one-shot `crypto.hash` hashes a short text in half the time a Hash object takes, which
// ingest feels: the email of every event that carries one is hashed for search.
const sha256 = (text: string): Buffer => crypto.hash('sha256', text, 'buffer');

/**
 * The SHA-256 of an identifier as the store keeps it instead of the identifier: normalised and
 * kind-prefixed; undefined when nothing is left once normalised.
 */
export function identityDigest(kind: IdentityKind, value: string): Buffer | undefined {
  const normal = NORMALISE[kind](value);
  return normal === '' ? undefined : sha256(`${kind}:${normal}`);
}

const hexDigest = (kind: IdentityKind, value: string | undefined): string[] => {
  const digest = value === undefined ? undefined : identityDigest(kind, value);
  return digest ? [digest.toString('hex')] : [];
};

/**
 * The hashes a person is suppressed by: one per identifier (a phone: one per reading), kind-prefixed
 * and normalised, so the list holds no raw identifier and `Jane@Example.com ` matches `jane@example.com`.
 */
export function identityHashes(person: ErasureRequest): string[] {
  return [
    ...hexDigest('user', person.userId),
    ...hexDigest('anon', person.anonymousId),
    ...hexDigest('email', person.email),
    ...(person.phone === undefined ? [] : phoneReadings(person.phone).map((reading) => phoneHash(reading))),
  ];
}

/** The suppression hash of a phone key (a national number, or an earlier key). */
const phoneHash = (key: string) => sha256(`phone:${key}`).toString('hex');

/** The emails and phones a message carries, wherever a destination reads a person's from. */
export interface Contacts {
  emails: string[];
  phones: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * The emails and phones of a message's traits (its context's, then its own) and of its
 * properties, where Segment's mappings, and ours, also read them; each once, in that order.
 */
export function contactsOf(message: Message | EnrichedMessage): Contacts {
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const record of [message.context?.traits, message.traits, message.properties]) {
    if (!isRecord(record)) continue;
    const email = text(record.email);
    const phone = text(record.phone);
    if (email !== undefined) emails.add(email);
    if (phone !== undefined) phones.add(phone);
  }
  return { emails: [...emails], phones: [...phones] };
}

/** The identifiers a message is found by: its ids, and the first email and phone it carries. */
export function identitiesOf(message: Message | EnrichedMessage): ErasureRequest {
  const { emails, phones } = contactsOf(message);
  return { userId: text(message.userId), anonymousId: text(message.anonymousId), email: emails[0], phone: phones[0] };
}

/**
 * The hashes ingest looks a message up by on the suppression list: its ids', and each email's
 * and phone's it carries (a phone's earlier key too).
 */
export function suppressionHashesOf(message: Message | EnrichedMessage): string[] {
  const { emails, phones } = contactsOf(message);
  const earlier = phones.map(earlierPhoneKey).filter((key) => key !== '');
  return [
    ...hexDigest('user', text(message.userId)),
    ...hexDigest('anon', text(message.anonymousId)),
    ...emails.flatMap((email) => hexDigest('email', email)),
    ...phones.flatMap((phone) => hexDigest('phone', phone)),
    ...earlier.map(phoneHash),
  ];
}
