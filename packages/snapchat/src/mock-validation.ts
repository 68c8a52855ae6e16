// Snap's rules as the mock enforces them (docs/snapchat-capi.md §2-§4, §8). Deliberately independent of the
// payload builder and normalisers in this package: the mock is the oracle that checks them, so it
// must not share their code or their mistakes.
import { isIP } from 'node:net';
import type { ActionSource } from './config.js';
import { isSnapCurrency } from './currencies.js';
import { isSnapEventName } from './event-names.js';

/**
 * The error codes the mock answers with. Snap does not publish its `errors.codes` values, so these
 * are ours; the reasons quote Snap's documented wording where there is one.
 */
export type MockErrorCode =
  | 'INVALID_REQUEST'
  | 'TOO_MANY_EVENTS'
  | 'MISSING_REQUIRED_FIELD'
  | 'UNRECOGNIZED_EVENT_TYPE'
  | 'INVALID_ACTION_SOURCE'
  | 'TIMESTAMP_OUT_OF_RANGE'
  | 'UNHASHED_PII'
  | 'INVALID_IP'
  | 'INSUFFICIENT_PII'
  | 'MISSING_PURCHASE_VALUE'
  | 'INVALID_CURRENCY';

/** One thing wrong with a request or an event: a code and the reason Snap would give. */
export interface MockEventError {
  code: MockErrorCode;
  reason: string;
}

/** The outcome of reading a request body: its events, or why the whole request is refused. */
export type MockParsedBody = { ok: true; events: unknown[] } | { ok: false; error: MockEventError };

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Most events Snap takes in one request; more is a 400 for the whole request. */
export const MOCK_MAX_EVENTS_PER_REQUEST = 2000;
/** Oldest event Snap accepts: current docs say 37 days (older docs 28, some partners 7). */
export const MOCK_MAX_EVENT_AGE_MS = 37 * DAY_MS;
/** How far ahead of Snap's clock an event may be; Snap documents none, an hour tolerates skew. */
export const MOCK_MAX_EVENT_LEAD_MS = HOUR_MS;
// A 13-digit ms value can never be read as seconds, and no real seconds value reaches 1e11 before 5138.
const SECONDS_BELOW = 1e11;

const REASONS = {
  unrecognizedEventType: 'Unrecognized event type',
  invalidActionSource: 'Invalid action source',
  timestamp: 'Timestamp invalid or out of range',
  // Snap's own answer to a millisecond event_time on an OFFLINE event (snapchat-capi.md §3).
  offlineMilliseconds: "Param data['event_time'] is an invalid Unix timestamp.",
  unhashedPii: 'Unhashed PII',
  invalidIp: 'Invalid hashed IP Address',
  insufficientPii: 'Insufficient PII',
  purchaseValue: 'Missing price and/or currency in Purchase events',
  currency: 'Invalid currency code',
} as const;

// Snap accepts Meta's action_source values too; everything that is not a website or an app is offline.
const ACTION_SOURCES: Readonly<Record<string, ActionSource>> = {
  WEB: 'WEB',
  MOBILE_APP: 'MOBILE_APP',
  OFFLINE: 'OFFLINE',
  WEBSITE: 'WEB',
  APP: 'MOBILE_APP',
  EMAIL: 'OFFLINE',
  PHONE_CALL: 'OFFLINE',
  CHAT: 'OFFLINE',
  PHYSICAL_STORE: 'OFFLINE',
  SYSTEM_GENERATED: 'OFFLINE',
  BUSINESS_MESSAGING: 'OFFLINE',
  OTHER: 'OFFLINE',
};

const V3_HASHED_USER_KEYS = ['em', 'ph', 'fn', 'ln', 'ge', 'db', 'ct', 'st', 'zp', 'country', 'external_id'];
const SHA256_HEX = /^[0-9a-f]{64}$/;
const DIGITS = /^\d+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** The error for a missing required field, named as Snap's v3 (or v2) docs name it. */
export function missingField(name: string): MockEventError {
  return { code: 'MISSING_REQUIRED_FIELD', reason: `Missing required field: ${name}` };
}

/** The request-level error for a body that is not what the endpoint takes. */
export function invalidRequest(reason: string): MockEventError {
  return { code: 'INVALID_REQUEST', reason: `Invalid request: ${reason}` };
}

/** Maps a native or Meta-style action source (any case) to Snap's native value. */
export function readMockActionSource(value: unknown): ActionSource | undefined {
  return typeof value === 'string' ? ACTION_SOURCES[value.trim().toUpperCase()] : undefined;
}

// An event time as the integer it spells (a number or a digit string), in whatever unit it is.
function readEventTimeInteger(value: unknown): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && DIGITS.test(value.trim())) n = Number(value.trim());
  else return undefined;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** Reads an event time given as an integer or a digit string, in seconds or ms, as epoch ms. */
export function parseEventTimeMs(value: unknown): number | undefined {
  const n = readEventTimeInteger(value);
  if (n === undefined) return undefined;
  return n < SECONDS_BELOW ? n * 1000 : n;
}

/** True when an event time is a well-formed value in milliseconds rather than seconds. */
export function isEventTimeInMilliseconds(value: unknown): boolean {
  const n = readEventTimeInteger(value);
  return n !== undefined && n >= SECONDS_BELOW;
}

/** True when an event time is well formed, at most 37 days old and at most an hour ahead of `nowMs`. */
export function isEventTimeAcceptable(value: unknown, nowMs: number): boolean {
  const ms = parseEventTimeMs(value);
  if (ms === undefined) return false;
  return nowMs - ms <= MOCK_MAX_EVENT_AGE_MS && ms - nowMs <= MOCK_MAX_EVENT_LEAD_MS;
}

/** True for a SHA-256 digest written as 64 lowercase hex digits, the only form Snap takes for PII. */
export function isLowercaseSha256(value: unknown): boolean {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** Reads the v3 `{"data":[…]}` body; bad JSON, a missing or empty `data` and over 2000 events refuse the request. */
export function parseV3Body(raw: string): MockParsedBody {
  const parsed = parseJson(raw);
  if (!parsed.ok) return { ok: false, error: invalidRequest('the body is not valid JSON') };
  const data = asRecord(parsed.value)?.data;
  if (!Array.isArray(data) || data.length === 0) {
    return { ok: false, error: invalidRequest('data must be a non-empty array of events') };
  }
  return checkBatchSize(data);
}

/** Reads the v2 body: an array of flat events or, as some partners send, one bare event. */
export function parseV2Body(raw: string): MockParsedBody {
  const parsed = parseJson(raw);
  if (!parsed.ok) return { ok: false, error: invalidRequest('the body is not valid JSON') };
  const value = parsed.value;
  if (Array.isArray(value) && value.length > 0) return checkBatchSize(value);
  if (asRecord(value) !== undefined) return { ok: true, events: [value] };
  return { ok: false, error: invalidRequest('the body must be an event or a non-empty array of events') };
}

/** Every rule a v3 event breaks, in the order of the rules table; empty when Snap would accept it. */
export function validateV3Event(input: unknown, nowMs: number): MockEventError[] {
  const event = asRecord(input) ?? {};
  const errors: MockEventError[] = [];
  // Snap's validate docs accept the v2 names for these four fields.
  const name = pick(event, 'event_name', 'event_type');
  const time = pick(event, 'event_time', 'timestamp');
  const source = pick(event, 'action_source', 'event_conversion_type');
  const url = pick(event, 'event_source_url', 'page_url');
  const userData = asRecord(event.user_data);
  const actionSource = readMockActionSource(source);

  if (!isPresent(name)) errors.push(missingField('event_name'));
  if (!isPresent(time)) errors.push(missingField('event_time'));
  if (!isPresent(source)) errors.push(missingField('action_source'));
  if (userData === undefined) errors.push(missingField('user_data'));
  if (actionSource === 'WEB' && !isPresent(url)) errors.push(missingField('event_source_url'));
  if (actionSource === 'MOBILE_APP') {
    const appData = asRecord(event.app_data);
    const extinfo = appData?.extinfo;
    if (!Array.isArray(extinfo) || extinfo.length === 0) errors.push(missingField('app_data.extinfo'));
    if (!isPresent(appData?.advertiser_tracking_enabled)) {
      errors.push(missingField('app_data.advertiser_tracking_enabled'));
    }
  }
  // Snap takes ms on WEB and app events but refuses them on OFFLINE ones, with its own wording.
  if (actionSource === 'OFFLINE' && isEventTimeInMilliseconds(time)) {
    errors.push(...checkCommonFields(name, source, undefined, nowMs));
    errors.push({ code: 'TIMESTAMP_OUT_OF_RANGE', reason: REASONS.offlineMilliseconds });
  } else {
    errors.push(...checkCommonFields(name, source, time, nowMs));
  }

  if (userData !== undefined) {
    if (V3_HASHED_USER_KEYS.some((key) => !allHashed(userData[key]))) {
      errors.push({ code: 'UNHASHED_PII', reason: REASONS.unhashedPii });
    }
    const ip = userData.client_ip_address;
    if (isPresent(ip) && !(typeof ip === 'string' && isIP(ip) !== 0)) {
      errors.push({ code: 'INVALID_IP', reason: REASONS.invalidIp });
    }
    // The click id, the cookie and external_id do not identify a user on their own.
    const identified =
      hasValue(userData.em) ||
      hasValue(userData.ph) ||
      hasValue(userData.madid) ||
      (hasValue(userData.client_ip_address) && hasValue(userData.client_user_agent));
    if (!identified) errors.push({ code: 'INSUFFICIENT_PII', reason: REASONS.insufficientPii });
  }

  const customData = asRecord(event.custom_data) ?? {};
  errors.push(...checkPurchase(name, customData.value, customData.currency));
  return errors;
}

/** Every rule a flat v2 event breaks (docs/snapchat-capi.md §4); empty when Snap would accept it. */
export function validateV2Event(input: unknown, nowMs: number): MockEventError[] {
  const event = asRecord(input) ?? {};
  const errors: MockEventError[] = [];
  const conversionType = readMockActionSource(event.event_conversion_type);

  for (const field of ['event_type', 'event_conversion_type', 'timestamp']) {
    if (!isPresent(event[field])) errors.push(missingField(field));
  }
  if (conversionType === 'MOBILE_APP') {
    for (const field of ['snap_app_id', 'app_id']) if (!isPresent(event[field])) errors.push(missingField(field));
  } else if (conversionType !== undefined || !isPresent(event.snap_app_id)) {
    if (!isPresent(event.pixel_id)) errors.push(missingField('pixel_id'));
  }
  errors.push(...checkCommonFields(event.event_type, event.event_conversion_type, event.timestamp, nowMs));

  const hashedKeys = Object.keys(event).filter((key) => key.startsWith('hashed_') && key !== 'hashed_ip_address');
  if (!hashedKeys.every((key) => allHashed(event[key]))) errors.push({ code: 'UNHASHED_PII', reason: REASONS.unhashedPii });
  // v2 takes the IP hashed, so "invalid" here means "not a digest".
  if (isPresent(event.hashed_ip_address) && !isLowercaseSha256(event.hashed_ip_address)) {
    errors.push({ code: 'INVALID_IP', reason: REASONS.invalidIp });
  }
  const identified =
    hasValue(event.hashed_email) ||
    hasValue(event.hashed_phone_number) ||
    hasValue(event.hashed_mobile_ad_id) ||
    (hasValue(event.hashed_ip_address) && hasValue(event.user_agent));
  if (!identified) errors.push({ code: 'INSUFFICIENT_PII', reason: REASONS.insufficientPii });

  errors.push(...checkPurchase(event.event_type, event.price, event.currency));
  return errors;
}

/** The asset a v2 event names: the Snap App ID for MOBILE_APP, otherwise the Pixel ID. */
export function v2EventAssetId(input: unknown): string | undefined {
  const event = asRecord(input) ?? {};
  const preferred = readMockActionSource(event.event_conversion_type) === 'MOBILE_APP' ? event.snap_app_id : event.pixel_id;
  const asset = isPresent(preferred) ? preferred : isPresent(event.pixel_id) ? event.pixel_id : event.snap_app_id;
  return isPresent(asset) ? String(asset) : undefined;
}

/** The value of the first of `keys` that is present on `record`. */
export function pick(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (isPresent(record[key])) return record[key];
  return undefined;
}

/** `value` as a plain JSON object, or undefined for arrays, primitives and null. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** True when a field counts as given: not missing, null or an empty string. */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function checkCommonFields(name: unknown, source: unknown, time: unknown, nowMs: number): MockEventError[] {
  const errors: MockEventError[] = [];
  if (isPresent(name) && !(typeof name === 'string' && isSnapEventName(name))) {
    errors.push({ code: 'UNRECOGNIZED_EVENT_TYPE', reason: REASONS.unrecognizedEventType });
  }
  if (isPresent(source) && readMockActionSource(source) === undefined) {
    errors.push({ code: 'INVALID_ACTION_SOURCE', reason: REASONS.invalidActionSource });
  }
  if (isPresent(time) && !isEventTimeAcceptable(time, nowMs)) {
    errors.push({ code: 'TIMESTAMP_OUT_OF_RANGE', reason: REASONS.timestamp });
  }
  return errors;
}

function checkPurchase(name: unknown, value: unknown, currency: unknown): MockEventError[] {
  const errors: MockEventError[] = [];
  const isPurchase = typeof name === 'string' && name.trim().toUpperCase() === 'PURCHASE';
  if (isPurchase && (!isNumeric(value) || !isPresent(currency))) {
    errors.push({ code: 'MISSING_PURCHASE_VALUE', reason: REASONS.purchaseValue });
  }
  if (isPresent(currency) && !(typeof currency === 'string' && isSnapCurrency(currency))) {
    errors.push({ code: 'INVALID_CURRENCY', reason: REASONS.currency });
  }
  return errors;
}

function checkBatchSize(events: unknown[]): MockParsedBody {
  if (events.length > MOCK_MAX_EVENTS_PER_REQUEST) {
    return {
      ok: false,
      error: { code: 'TOO_MANY_EVENTS', reason: `Too many events: at most ${MOCK_MAX_EVENTS_PER_REQUEST} per request` },
    };
  }
  return { ok: true, events };
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}

// Snap takes a hashed key as one string or a list of strings; every one must be a digest.
function allHashed(value: unknown): boolean {
  if (!isPresent(value)) return true;
  return Array.isArray(value) ? value.every(isLowercaseSha256) : isLowercaseSha256(value);
}

function hasValue(value: unknown): boolean {
  return Array.isArray(value) ? value.some(isPresent) : isPresent(value);
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && DECIMAL.test(value.trim());
}
