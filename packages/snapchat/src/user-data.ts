import type { Message, Traits } from '@datafirst/protocol';
import { resolveActionSource } from './action-source.js';
import type { SnapchatConfig } from './config.js';
import { hashNormalized } from './hash.js';
import { isRecord } from './is-record.js';
import { mobileOs } from './mobile-os.js';
import { normalizeCity, normalizeCountry, normalizeState, normalizeZip } from './normalize-address.js';
import { normalizeBirthday } from './normalize-birthday.js';
import { normalizePhone } from './normalize-phone.js';
import {
  normalizeEmail,
  normalizeExternalId,
  normalizeGender,
  normalizeIp,
  normalizeMobileId,
  normalizeName,
} from './normalize.js';
import { withoutUndefined } from './without-undefined.js';

/** v3 `user_data`. Hashed keys carry SHA-256 digests; the rest are sent raw, as Snap asks. */
export interface SnapUserData {
  em?: string[];
  ph?: string[];
  fn?: string;
  ln?: string;
  ge?: string;
  db?: string;
  ct?: string;
  st?: string;
  zp?: string;
  country?: string;
  external_id?: string[];
  client_ip_address?: string;
  client_user_agent?: string;
  sc_click_id?: string;
  sc_cookie1?: string;
  madid?: string;
  idfv?: string;
}

type Normalizer = (value: unknown) => string | undefined;
type TraitRecord = Record<string, unknown>;

// Segment's default mappings also read a person's email and phone from the event's properties.
const PROPERTY_TRAITS = ['email', 'phone'] as const;

// Where a person's traits are found, most specific first: the event's own context, the message's
// traits (identify-style senders), the email and phone of its properties, then the profile
// earlier identify calls built.
function traitSources(message: Message, profileTraits: Traits | undefined): TraitRecord[] {
  const sources: TraitRecord[] = [];
  if (isRecord(message.context?.traits)) sources.push(message.context.traits);
  if (isRecord(message.traits)) sources.push(message.traits);
  const properties = message.properties;
  // Only the email and phone of the properties are traits; a record of them only when they are there.
  if (properties !== undefined && PROPERTY_TRAITS.some((key) => properties[key] !== undefined)) {
    sources.push(Object.fromEntries(PROPERTY_TRAITS.map((key) => [key, properties[key]])));
  }
  if (isRecord(profileTraits)) sources.push(profileTraits);
  return sources;
}

/** The name Segment users give Snap's destination in a message's `integrations` options. */
const SEGMENT_SNAP_INTEGRATION = 'Snap Conversions Api';

// Segment users pass the click id and cookie as destination options:
// `integrations: { "Snap Conversions Api": { click_id, uuid_c1 } }`.
function segmentSnapOptions(message: Message): TraitRecord {
  const options = message.integrations?.[SEGMENT_SNAP_INTEGRATION];
  return isRecord(options) ? options : {};
}

// Each field's trait names: Segment's spec name first, then spellings other senders use. Address
// fields may be flat or inside `address`.
const FIELDS = {
  email: { keys: ['email'], address: [] },
  phone: { keys: ['phone', 'phoneNumber', 'phone_number'], address: [] },
  firstName: { keys: ['firstName', 'first_name'], address: [] },
  lastName: { keys: ['lastName', 'last_name'], address: [] },
  gender: { keys: ['gender'], address: [] },
  birthday: { keys: ['birthday'], address: [] },
  city: { keys: ['city'], address: ['city'] },
  state: { keys: ['state'], address: ['state'] },
  zip: { keys: ['zip', 'postalCode', 'postal_code'], address: ['postalCode', 'zip', 'postal_code'] },
  country: { keys: ['country'], address: ['country'] },
} as const satisfies Record<string, { keys: readonly string[]; address: readonly string[] }>;

/** A person's field as user_data reads it from traits. */
export type TraitField = keyof typeof FIELDS;

/**
 * Calls `visit` with each value a source holds for a field, in the order of its trait names (flat
 * first, then in `address`), until `visit` returns true. A loop rather than a list of the values:
 * this runs for every field of every event the worker builds, and most fields are absent.
 */
function someValue(source: TraitRecord, field: TraitField, visit: (raw: unknown) => boolean): boolean {
  const { keys, address } = FIELDS[field];
  for (const key of keys) if (source[key] !== undefined && visit(source[key])) return true;
  if (address.length === 0 || !isRecord(source.address)) return false;
  const nested = source.address;
  for (const key of address) if (nested[key] !== undefined && visit(nested[key])) return true;
  return false;
}

/** The first value any source gives that survives normalisation, so a bad value falls back to a good one. */
function firstValue(sources: TraitRecord[], field: TraitField, normalize: Normalizer): string | undefined {
  let found: string | undefined;
  const keep = (raw: unknown) => (found = normalize(raw)) !== undefined;
  for (const source of sources) if (someValue(source, field, keep)) return found;
  return undefined;
}

/** Every value of the first source that gives any; a trait may hold one value or an array of them. */
function allValues(sources: TraitRecord[], field: TraitField, normalize: Normalizer): string[] | undefined {
  let found: string[] = [];
  const keep = (raw: unknown) => {
    found = (Array.isArray(raw) ? raw : [raw]).map(normalize).filter((value) => value !== undefined);
    return found.length > 0;
  };
  for (const source of sources) if (someValue(source, field, keep)) return [...new Set(found)];
  return undefined;
}

function hashed(value: string | undefined): string | undefined {
  return value === undefined ? undefined : hashNormalized(value);
}

function hashedList(values: string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : [...new Set(values.map(hashNormalized))];
}

function rawText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * v3 `user_data` for a message: hashed PII from its traits (falling back per field to its
 * properties' email and phone, then `profileTraits`), `external_id` from `userId` (never
 * `anonymousId`), and the raw network, device and Snap identifiers from its context (the click
 * id and cookie also from Segment's `integrations` options). Keys come in docs/snapchat-capi.md §7 order.
 */
export function buildUserData(message: Message, profileTraits: Traits | undefined, config: SnapchatConfig): SnapUserData {
  const sources = traitSources(message, profileTraits);
  const context = message.context ?? {};
  const phone: Normalizer = (value) => normalizePhone(value, config.phone_default_country);
  // A profile may remember the userId of the identify call that built it.
  const userId = normalizeExternalId(message.userId) ?? normalizeExternalId(profileTraits?.userId);
  const isApp = resolveActionSource(message, config) === 'MOBILE_APP';
  const snapOptions = segmentSnapOptions(message);
  // The advertising id goes on every action source (senders attach it to web and offline events
  // of app users too), except for devices that opted out of ad tracking.
  const adIdAllowed = context.device?.adTrackingEnabled !== false;
  return withoutUndefined({
    em: hashedList(allValues(sources, 'email', normalizeEmail)),
    ph: hashedList(allValues(sources, 'phone', phone)),
    fn: hashed(firstValue(sources, 'firstName', normalizeName)),
    ln: hashed(firstValue(sources, 'lastName', normalizeName)),
    ge: hashed(firstValue(sources, 'gender', normalizeGender)),
    db: hashed(firstValue(sources, 'birthday', normalizeBirthday)),
    ct: hashed(firstValue(sources, 'city', normalizeCity)),
    st: hashed(firstValue(sources, 'state', normalizeState)),
    zp: hashed(firstValue(sources, 'zip', normalizeZip)),
    country: hashed(firstValue(sources, 'country', normalizeCountry)),
    external_id: userId === undefined ? undefined : [hashNormalized(userId)],
    client_ip_address: normalizeIp(context.ip),
    client_user_agent: rawText(context.userAgent),
    sc_click_id: rawText(context.snapchat?.clickId) ?? rawText(snapOptions.click_id),
    sc_cookie1: rawText(context.snapchat?.cookie1) ?? rawText(snapOptions.uuid_c1),
    madid: adIdAllowed ? normalizeMobileId(context.device?.advertisingId) : undefined,
    // On iOS `context.device.id` is the IDFV; on Android it is not, so it is left out there.
    idfv: isApp && mobileOs(context.os?.name) === 'ios' ? normalizeMobileId(context.device?.id) : undefined,
  });
}

/** True when any trait source of the message holds a value for `field`, usable or not. */
export function hasTrait(message: Message, profileTraits: Traits | undefined, field: TraitField): boolean {
  const given = (value: unknown) => value !== null && value !== '';
  return traitSources(message, profileTraits).some((source) => someValue(source, field, given));
}

/**
 * Snap's minimum identifier rule: an email, a phone, a mobile ad id, or the IP and user agent
 * together. The click id, the cookie and `external_id` do not count.
 */
export function hasMinimumIdentifiers(userData: SnapUserData): boolean {
  return (
    (userData.em?.length ?? 0) > 0 ||
    (userData.ph?.length ?? 0) > 0 ||
    userData.madid !== undefined ||
    (userData.client_ip_address !== undefined && userData.client_user_agent !== undefined)
  );
}
