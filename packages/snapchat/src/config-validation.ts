import { toActionSource } from './action-source.js';
import type { ApiVersion, LduCountry, LduState, SnapchatConfig } from './config.js';
import { callingCodeOf } from '@datafirst/protocol';
import { isSnapEventName } from './event-names.js';
import { fieldMapErrors, type FieldMap } from './field-map.js';
import { isRecord } from './is-record.js';
import { withoutUndefined } from './without-undefined.js';

/** A checked and normalised config, or every problem found, each as `field: reason`. */
export type ConfigValidation = { ok: true; config: SnapchatConfig } | { ok: false; errors: string[] };

const KNOWN_KEYS = [
  'pixel_id',
  'access_token',
  'snap_app_id',
  'app_id',
  'api_version',
  'action_source',
  'site_url',
  'phone_default_country',
  'event_map',
  'field_map',
  'limited_data_use',
  'ldu_country',
  'ldu_state',
  'rate_limit_rps',
  'rate_limit_burst',
] as const;

// Pixel and Snap App IDs are UUIDs in Snap's Ads Manager.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

// The two spellings generated third-party schemas get wrong (docs/snapchat-capi.md §2).
const LIKELY_MEANT: ReadonlyMap<string, string> = new Map([
  ['ADD_TO_CART', 'ADD_CART'],
  ['SPEND_CREDITS', 'SPENT_CREDITS'],
]);

type Input = Record<string, unknown>;

/** A field's value, with `null` meaning "not set" so that clearing an optional field is allowed. */
function present(input: Input, key: string): unknown {
  return input[key] === null ? undefined : input[key];
}

function uuidField(input: Input, key: string, required: boolean, errors: string[]): string | undefined {
  const value = present(input, key);
  if (value === undefined) {
    if (required) errors.push(`${key}: is required`);
    return undefined;
  }
  if (typeof value !== 'string' || !UUID.test(value.trim())) {
    errors.push(`${key}: must be a UUID like 6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a (Ads Manager → Events Manager)`);
    return undefined;
  }
  return value.trim();
}

/**
 * An absolute http(s) URL, trimmed, as Snap takes it for `event_source_url`. A user name or
 * password in it would be sent to Snap with every event, so it is refused.
 */
function siteUrlField(input: Input, errors: string[]): string | undefined {
  const value = present(input, 'site_url');
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value.trim() : '';
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    errors.push('site_url: must be an absolute http or https URL, such as https://shop.example.com');
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    errors.push('site_url: must not contain a user name or password');
    return undefined;
  }
  return text;
}

function eventMapField(value: unknown, errors: string[]): Record<string, string | null> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    errors.push('event_map: must be an object of event name → Snapchat event name or null');
    return undefined;
  }
  const eventMap: Record<string, string | null> = {};
  for (const [name, target] of Object.entries(value)) {
    if (name.trim() === '') {
      errors.push('event_map: event names must not be empty');
    } else if (target === null) {
      eventMap[name] = null;
    } else if (typeof target === 'string' && isSnapEventName(target.trim())) {
      eventMap[name] = target.trim().toUpperCase();
    } else {
      const meant = typeof target === 'string' ? LIKELY_MEANT.get(target.trim().toUpperCase()) : undefined;
      const hint = meant === undefined ? 'a Snapchat event name (e.g. PURCHASE, CUSTOM_EVENT_1) or null' : `${meant}`;
      errors.push(`event_map.${name}: ${JSON.stringify(target)} is not a Snapchat event; use ${hint}`);
    }
  }
  return eventMap;
}

/** One of the limited-data-use codes Snap takes for `key`, or an error naming them. */
function lduCode<Code extends number>(input: Input, key: string, codes: readonly Code[], errors: string[]): Code | undefined {
  const value = present(input, key);
  if (value === undefined) return undefined;
  const code = codes.find((candidate) => candidate === value);
  if (code === undefined) errors.push(`${key}: must be ${codes.join(' or ')} (0 lets Snapchat geolocate the user)`);
  return code;
}

function positiveNumber(input: Input, key: string, minimum: number, errors: string[]): number | undefined {
  const value = present(input, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum || value <= 0) {
    errors.push(`${key}: must be a number ${minimum > 0 ? `of at least ${minimum}` : 'above 0'}`);
    return undefined;
  }
  return value;
}

/**
 * Checks a Snapchat integration config as the admin API receives it and returns it normalised
 * (trimmed ids, uppercase event targets and country, native action source), or every problem
 * found, so a 400 can name them all at once.
 */
export function validateSnapchatConfig(input: unknown): ConfigValidation {
  if (!isRecord(input)) return { ok: false, errors: ['config: must be a JSON object'] };
  const errors: string[] = [];
  for (const key of Object.keys(input)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      errors.push(`${key}: is not a Snapchat setting (known: ${KNOWN_KEYS.join(', ')})`);
    }
  }

  const pixelId = uuidField(input, 'pixel_id', true, errors);
  const snapAppId = uuidField(input, 'snap_app_id', false, errors);

  const token = present(input, 'access_token');
  let accessToken: string | undefined;
  if (typeof token !== 'string' || token.trim() === '') errors.push('access_token: is required');
  else if (/\s/u.test(token.trim())) errors.push('access_token: must not contain spaces');
  else accessToken = token.trim();

  const rawAppId = present(input, 'app_id');
  let appId: string | undefined;
  if (rawAppId !== undefined) {
    if (typeof rawAppId === 'string' && rawAppId.trim() !== '') appId = rawAppId.trim();
    else errors.push('app_id: must be the app store id (e.g. com.example.app or 123456789)');
  }

  const rawVersion = present(input, 'api_version');
  let apiVersion: ApiVersion | undefined;
  if (rawVersion !== undefined) {
    const version = typeof rawVersion === 'string' ? rawVersion.trim().toLowerCase() : '';
    if (version === 'v2' || version === 'v3') apiVersion = version;
    else errors.push('api_version: must be "v3" (default) or "v2"');
  }

  const rawSource = present(input, 'action_source');
  const actionSource = rawSource === undefined ? undefined : toActionSource(rawSource);
  if (rawSource !== undefined && actionSource === undefined) {
    errors.push('action_source: must be WEB, MOBILE_APP or OFFLINE');
  }
  if (actionSource === 'MOBILE_APP' && snapAppId === undefined && present(input, 'snap_app_id') === undefined) {
    errors.push('snap_app_id: is required when action_source is MOBILE_APP');
  }

  const siteUrl = siteUrlField(input, errors);

  const rawCountry = present(input, 'phone_default_country');
  let phoneDefaultCountry: string | undefined;
  if (rawCountry !== undefined) {
    const country = typeof rawCountry === 'string' ? rawCountry.trim().toUpperCase() : '';
    if (/^[A-Z]{2}$/u.test(country) && callingCodeOf(country) !== undefined) phoneDefaultCountry = country;
    else errors.push('phone_default_country: must be an ISO 3166-1 alpha-2 country code, such as US or GB');
  }

  const eventMap = eventMapField(present(input, 'event_map'), errors);
  const rawFieldMap = present(input, 'field_map');
  if (rawFieldMap !== undefined) errors.push(...fieldMapErrors(rawFieldMap));

  const rawLdu = present(input, 'limited_data_use');
  if (rawLdu !== undefined && typeof rawLdu !== 'boolean') errors.push('limited_data_use: must be true or false');
  const lduCountry = lduCode<LduCountry>(input, 'ldu_country', [0, 1], errors);
  const lduState = lduCode<LduState>(input, 'ldu_state', [0, 1000], errors);
  // California is a US state: a state code with another country would contradict itself.
  if (lduState === 1000 && lduCountry !== 1) errors.push('ldu_state: 1000 (California) needs ldu_country 1 (the US)');

  const rateLimitRps = positiveNumber(input, 'rate_limit_rps', 0, errors);
  // A bucket that holds less than one request would never let one through.
  const rateLimitBurst = positiveNumber(input, 'rate_limit_burst', 1, errors);

  if (errors.length > 0 || pixelId === undefined || accessToken === undefined) return { ok: false, errors };
  return {
    ok: true,
    config: withoutUndefined({
      pixel_id: pixelId,
      access_token: accessToken,
      snap_app_id: snapAppId,
      app_id: appId,
      api_version: apiVersion,
      action_source: actionSource,
      site_url: siteUrl,
      phone_default_country: phoneDefaultCountry,
      event_map: eventMap,
      field_map: rawFieldMap as FieldMap | undefined,
      limited_data_use: typeof rawLdu === 'boolean' ? rawLdu : undefined,
      ldu_country: lduCountry,
      ldu_state: lduState,
      rate_limit_rps: rateLimitRps,
      rate_limit_burst: rateLimitBurst,
    }),
  };
}
