import * as crypto from 'node:crypto';
import { leadingCallingCode, type EnrichedMessage, type Message } from '@datafirst/protocol';
import type { ErasureRequest } from './privacy.js';

// Most addresses are printable ASCII without blanks, for which lower case is all the rule does:
// ingest hashes the email of every event that carries one, for search.
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

/**
 * An email as compared for erasure and suppression, by Snapchat's rule for `em`: every blank
 * removed, lower case (Unicode's, not only ASCII's), in NFC. So every spelling that reaches
 * Snapchat as one person's hash is one person here too.
 */
export const normalEmail = (email: string): string =>
  PRINTABLE_ASCII.test(email) ? email.toLowerCase() : email.normalize('NFC').replace(/\s+/gu, '').toLowerCase().normalize('NFC');

/**
 * A phone as compared for erasure and suppression: its national number (the digits without the
 * international prefix, the calling code, or the trunk `0`, also written `(0)`), and its calling
 * code when it was written with one. Snapchat's `ph` needs a default country for a national
 * number, which is each integration's setting; compared this way, `+44 7700 900123`,
 * `0044 7700 900123`, `+44 (0)7700 900123` and `07700 900123` are one person, and
 * `+1 770 090 0123`, which has the same national digits in another country, is not.
 */
export interface PhoneKey {
  callingCode?: string;
  national: string;
}

const dropTrunkZero = (digits: string) => (digits.startsWith('0') ? digits.slice(1) : digits);
const INTERNATIONAL = /^\s*(?:\+|00)/u;

/** A phone's key as it is written (see PhoneKey). */
export function phoneKey(phone: string): PhoneKey {
  const text = phone.replaceAll('(0)', '');
  const digits = text.replace(/\D+/gu, '');
  if (!INTERNATIONAL.test(text)) return { national: dropTrunkZero(digits) };
  return international(text.trimStart().startsWith('+') ? digits : digits.slice(2));
}

/** The key of an international number's digits (no `+` or `00`). */
function international(digits: string): PhoneKey {
  const callingCode = leadingCallingCode(digits);
  return callingCode === undefined
    ? { national: dropTrunkZero(digits) }
    : { callingCode, national: dropTrunkZero(digits.slice(callingCode.length)) };
}

/**
 * The keys a phone given by a person (an erasure request) may mean: as written, and, when its
 * digits start with a calling code but no `+`, as an international number too, since
 * `15550100200` is how many systems store `+1 555 010 0200`.
 */
export function phoneReadings(phone: string): PhoneKey[] {
  const asWritten = phoneKey(phone);
  const readings = asWritten.national === '' ? [] : [asWritten];
  const digits = phone.replace(/\D+/gu, '');
  if (!INTERNATIONAL.test(phone) && leadingCallingCode(digits) !== undefined) {
    const reading = international(digits);
    if (reading.national !== '' && reading.national !== asWritten.national) readings.push(reading);
  }
  return readings;
}

/** Whether two phone keys are one number: the same national number, in the same country where both say one. */
export const samePhone = (a: PhoneKey, b: PhoneKey): boolean =>
  a.national !== '' &&
  a.national === b.national &&
  (a.callingCode === undefined || b.callingCode === undefined || a.callingCode === b.callingCode);

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/**
 * The texts of a stored contact field: a string, a number (`7700900123`), or a list of them, as
 * senders give them and Snapchat's mapping reads them. A list read back from SQL comes as its
 * JSON text.
 */
export function contactTexts(value: unknown): string[] {
  if (typeof value === 'number' && Number.isFinite(value)) return [String(value)];
  if (Array.isArray(value)) return value.flatMap(contactTexts);
  if (typeof value !== 'string' || value.trim() === '') return [];
  if (value.startsWith('[')) {
    try {
      const list: unknown = JSON.parse(value);
      if (Array.isArray(list)) return list.flatMap(contactTexts);
    } catch {
      // Not JSON: an odd email, taken as it is.
    }
  }
  return [value];
}

/** What an email is compared by: normalised, and its SHA-256 (what senders that hash first send). */
export interface EmailKey {
  email: string;
  sha256: string;
}

export const emailKey = (email: string): EmailKey => {
  const normal = normalEmail(email);
  return { email: normal, sha256: sha256(normal).toString('hex') };
};

/** Whether a stored contact field holds the email, written any way Snapchat takes for it. */
export const emailMatches = (value: unknown, key: EmailKey): boolean =>
  contactTexts(value).some((text) =>
    SHA256_HEX.test(text.trim()) ? text.trim().toLowerCase() === key.sha256 : normalEmail(text) === key.email,
  );

/** Whether a stored contact field holds a phone one of the readings is. */
export const phoneMatches = (value: unknown, readings: readonly PhoneKey[]): boolean =>
  contactTexts(value).some((text) => {
    const key = phoneKey(text);
    return readings.some((reading) => samePhone(key, reading));
  });

/**
 * How phones were compared before (all their digits), which suppression lists made then hold:
 * still checked at ingest, so that nobody suppressed then comes back.
 */
const earlierPhoneKey = (phone: string): string => phone.replace(/\D/gu, '');

/**
 * The kinds of identifier the store hashes. A hash is of `kind:value`, so the same text as a
 * user id and as an anonymous id gives two different hashes.
 */
export type IdentityKind = 'user' | 'anon' | 'email';

const trim = (value: string) => value.trim();

/** How each kind is normalised before it is hashed, so `Jane@Example.com ` matches `jane@example.com`. */
const NORMALISE: Readonly<Record<IdentityKind, (value: string) => string>> = {
  user: trim,
  anon: trim,
  email: normalEmail,
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
    ...(person.email === undefined || normalEmail(person.email) === '' ? [] : emailHashes(emailKey(person.email))),
    ...(person.phone === undefined ? [] : phoneReadings(person.phone).flatMap(listedPhoneHashes)),
  ];
}

const hashOf = (text: string) => sha256(text).toString('hex');

/** An email's entries on the list: by the address, and by its SHA-256 for messages that carry only that. */
const emailHashes = (key: EmailKey) => [...hexDigest('email', key.email), hashOf(`email-sha256:${key.sha256}`)];

/**
 * A phone's entries on the list, so that the look-ups of `messagePhoneHashes` find it when
 * samePhone would: by country and number (or as a number of no country), and by number alone,
 * for messages whose phone names no country.
 */
const listedPhoneHashes = (key: PhoneKey) => [
  hashOf(`phone:${key.callingCode ?? ''}:${key.national}`),
  hashOf(`phone-any:${key.national}`),
];

/** What a message's phone is looked up by on the list (see listedPhoneHashes). */
const messagePhoneHashes = (key: PhoneKey) =>
  key.callingCode === undefined
    ? [hashOf(`phone-any:${key.national}`)]
    : [hashOf(`phone:${key.callingCode}:${key.national}`), hashOf(`phone::${key.national}`)];

/** The emails and phones a message carries, wherever a destination reads a person's from. */
export interface Contacts {
  emails: string[];
  phones: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** The fields each record holds a person's email and phone in, as Snapchat's mapping reads them. */
export const CONTACT_FIELDS = {
  traits: { email: ['email'], phone: ['phone', 'phoneNumber', 'phone_number'] },
  properties: { email: ['email'], phone: ['phone'] },
} as const;

/** The records of a message that hold a person's email and phone, in the order they are read, with their fields. */
const contactRecords = (message: Message | EnrichedMessage) =>
  [
    [message.context?.traits, CONTACT_FIELDS.traits],
    [message.traits, CONTACT_FIELDS.traits],
    [message.properties, CONTACT_FIELDS.properties],
  ] as const;

/**
 * The emails and phones of a message's traits (its context's, then its own) and of its
 * properties, where Segment's mappings, and ours, also read them; each once, in that order.
 */
export function contactsOf(message: Message | EnrichedMessage): Contacts {
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const [record, fields] of contactRecords(message)) {
    if (!isRecord(record)) continue;
    for (const field of fields.email) for (const email of contactTexts(record[field])) emails.add(email);
    for (const field of fields.phone) for (const phone of contactTexts(record[field])) phones.add(phone);
  }
  return { emails: [...emails], phones: [...phones] };
}

/** The identifiers a message is found by: its ids, and the first email it carries (in contactsOf's order). */
export function identitiesOf(message: Message | EnrichedMessage): Pick<ErasureRequest, 'userId' | 'anonymousId' | 'email'> {
  return { userId: text(message.userId), anonymousId: text(message.anonymousId), email: firstEmailOf(message) };
}

/** The first email contactsOf would give, without gathering the rest: ingest asks it of every event. */
function firstEmailOf(message: Message | EnrichedMessage): string | undefined {
  for (const [record, fields] of contactRecords(message)) {
    if (!isRecord(record)) continue;
    for (const field of fields.email) {
      const first = contactTexts(record[field])[0];
      if (first !== undefined) return first;
    }
  }
  return undefined;
}

/**
 * The hashes ingest looks a message up by on the suppression list: its ids', and each email's
 * and phone's it carries (a phone's earlier key too).
 */
export function suppressionHashesOf(message: Message | EnrichedMessage): string[] {
  const { emails, phones } = contactsOf(message);
  return [
    ...hexDigest('user', text(message.userId)),
    ...hexDigest('anon', text(message.anonymousId)),
    ...emails.flatMap((email) =>
      SHA256_HEX.test(email.trim()) ? [hashOf(`email-sha256:${email.trim().toLowerCase()}`)] : hexDigest('email', email),
    ),
    ...phones.flatMap((phone) => messagePhoneHashes(phoneKey(phone))),
    ...phones
      .map(earlierPhoneKey)
      .filter((key) => key !== '')
      .map((key) => hashOf(`phone:${key}`)),
  ];
}
