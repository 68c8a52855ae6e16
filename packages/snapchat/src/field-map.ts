import type { Message } from '@datafirst/protocol';
import type { SnapchatConfig } from './config.js';
import { snapCurrency, toNumber, type SnapCustomData } from './custom-data.js';
import { hashNormalized } from './hash.js';
import { isRecord } from './is-record.js';
import { normalizeCity, normalizeCountry, normalizeState, normalizeZip } from './normalize-address.js';
import { normalizeBirthday } from './normalize-birthday.js';
import { normalizePhone } from './normalize-phone.js';
import { normalizeEmail, normalizeExternalId, normalizeGender, normalizeName } from './normalize.js';
import type { SnapUserData } from './user-data.js';

/**
 * Where a mapped field takes its value: a path in the message (`properties.grand_total`,
 * `properties.products[].sku`), a static `{ "value": … }`, or `null` to never send the field.
 */
export type FieldSource = string | { value: unknown } | null;

/** Per integration: sources for all events (`default`) and per event name (`events`), which win. */
export interface FieldMap {
  default?: Record<string, FieldSource>;
  events?: Record<string, Record<string, FieldSource>>;
}

type Kind = 'number' | 'integer' | 'text' | 'texts' | 'currency' | 'identity';

/** One mappable Snapchat field: how a source's value becomes what is sent. */
interface MappableField {
  kind: Kind;
  /** For identity fields: the normaliser of the field's default source; the result is hashed. */
  normalize?: (value: unknown, config: SnapchatConfig) => string | undefined;
}

/** The Snapchat fields a field map may set, in the order the editor shows them. */
export const MAPPABLE_FIELDS: Readonly<Record<string, MappableField>> = {
  'custom_data.value': { kind: 'number' },
  'custom_data.currency': { kind: 'currency' },
  'custom_data.order_id': { kind: 'text' },
  'custom_data.content_ids': { kind: 'texts' },
  'custom_data.content_category': { kind: 'text' },
  'custom_data.content_name': { kind: 'text' },
  'custom_data.content_type': { kind: 'text' },
  'custom_data.search_string': { kind: 'text' },
  'custom_data.sign_up_method': { kind: 'text' },
  'custom_data.num_items': { kind: 'integer' },
  'custom_data.predicted_ltv': { kind: 'number' },
  'custom_data.brands': { kind: 'texts' },
  'user_data.external_id': { kind: 'identity', normalize: normalizeExternalId },
  'user_data.em': { kind: 'identity', normalize: normalizeEmail },
  'user_data.ph': { kind: 'identity', normalize: (value, config) => normalizePhone(value, config.phone_default_country) },
  'user_data.fn': { kind: 'identity', normalize: normalizeName },
  'user_data.ln': { kind: 'identity', normalize: normalizeName },
  'user_data.ge': { kind: 'identity', normalize: normalizeGender },
  'user_data.db': { kind: 'identity', normalize: normalizeBirthday },
  'user_data.ct': { kind: 'identity', normalize: normalizeCity },
  'user_data.st': { kind: 'identity', normalize: normalizeState },
  'user_data.zp': { kind: 'identity', normalize: normalizeZip },
  'user_data.country': { kind: 'identity', normalize: normalizeCountry },
};

// Snap sends these as lists of digests; the others as one digest.
const LIST_IDENTITIES = new Set(['user_data.em', 'user_data.ph', 'user_data.external_id']);

// The parts of a message a path may start with.
const ROOTS = new Set(['properties', 'traits', 'context', 'userId', 'anonymousId', 'event', 'name', 'messageId']);
const SEGMENT = /^[A-Za-z_$][\w$-]*(\[\])?$/u;

/** The value at a path; a `[]` segment collects that key from every item of a list. */
export function valueAtPath(message: unknown, path: string): unknown {
  let values: unknown[] = [message];
  let spread = false;
  for (const segment of path.split('.')) {
    const many = segment.endsWith('[]');
    const key = many ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const value of values) {
      if (!isRecord(value)) continue;
      const found = value[key];
      if (many) {
        if (Array.isArray(found)) next.push(...(found as unknown[]));
      } else if (found !== undefined) next.push(found);
    }
    values = next;
    spread ||= many;
  }
  return spread ? values : values[0];
}

const texts = (value: unknown): string[] =>
  (Array.isArray(value) ? (value as unknown[]) : [value])
    .map((item) => (typeof item === 'number' && Number.isFinite(item) ? String(item) : item))
    .filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    .map((item) => item.trim());

/** A source's value as the field sends it, or undefined when it gives nothing sendable. */
function converted(field: string, spec: MappableField, value: unknown, config: SnapchatConfig): unknown {
  const first = Array.isArray(value) ? (value as unknown[])[0] : value;
  switch (spec.kind) {
    case 'number': {
      const number = toNumber(first);
      return number !== undefined && number >= 0 ? number : undefined;
    }
    case 'integer': {
      const number = toNumber(first);
      return number !== undefined && number >= 0 ? Math.round(number) : undefined;
    }
    case 'currency':
      return snapCurrency(first);
    case 'text':
      return texts(first)[0];
    case 'texts': {
      const list = [...new Set(texts(value))];
      return list.length > 0 ? list : undefined;
    }
    case 'identity': {
      const normalized = (Array.isArray(value) ? (value as unknown[]) : [value])
        .map((item) => spec.normalize!(item, config))
        .filter((item): item is string => item !== undefined);
      if (normalized.length === 0) return undefined;
      const digests = [...new Set(normalized.map(hashNormalized))];
      return LIST_IDENTITIES.has(field) ? digests : digests[0];
    }
  }
}

/** The sources that apply to a message: the default ones, with its event's own winning. */
export function sourcesFor(message: Message, fieldMap: FieldMap | undefined): Record<string, FieldSource> {
  const name = message.type === 'track' ? message.event : undefined;
  return { ...(fieldMap?.default ?? {}), ...(name === undefined ? {} : (fieldMap?.events?.[name] ?? {})) };
}

/**
 * Applies an integration's field map to the `custom_data` and `user_data` the default rules
 * built: a source that gives a value replaces the field (normalised, and hashed for identity
 * fields, exactly like the field's default source), `null` removes it, and a source that gives
 * nothing leaves the default. The value and currency checks run afterwards, on the result.
 */
export function applyFieldMap(
  message: Message,
  built: { customData: SnapCustomData | undefined; userData: SnapUserData },
  config: SnapchatConfig,
): { customData: SnapCustomData | undefined; userData: SnapUserData } {
  const sources = Object.entries(sourcesFor(message, config.field_map));
  if (sources.length === 0) return built;
  const customData: Record<string, unknown> = { ...(built.customData ?? {}) };
  const userData: Record<string, unknown> = { ...built.userData };
  for (const [field, source] of sources) {
    const spec = MAPPABLE_FIELDS[field];
    if (spec === undefined) continue; // validation refuses these; a stored one is ignored
    const [part, key] = field.split('.') as ['custom_data' | 'user_data', string];
    const target = part === 'custom_data' ? customData : userData;
    if (source === null) {
      delete target[key];
      continue;
    }
    const raw = typeof source === 'string' ? valueAtPath(message, source) : source.value;
    const value = converted(field, spec, raw, config);
    if (value !== undefined) target[key] = value;
  }
  return {
    customData: Object.keys(customData).length > 0 ? customData : undefined,
    userData: userData,
  };
}

/** Why a field map cannot be saved, each problem as `field_map.<where>: reason`; empty when it can. */
export function fieldMapErrors(input: unknown): string[] {
  if (!isRecord(input)) return ['field_map: an object with "default" and/or "events"'];
  const errors: string[] = [];
  for (const key of Object.keys(input)) {
    if (key !== 'default' && key !== 'events') errors.push(`field_map.${key}: unknown (use "default" and "events")`);
  }
  const check = (where: string, sources: unknown) => {
    if (!isRecord(sources)) return void errors.push(`field_map.${where}: an object of Snapchat field → source`);
    for (const [field, source] of Object.entries(sources)) {
      const spec = MAPPABLE_FIELDS[field];
      const at = `field_map.${where}.${field}`;
      if (spec === undefined) {
        errors.push(`${at}: not a field that can be mapped (one of ${Object.keys(MAPPABLE_FIELDS).join(', ')})`);
      } else if (source !== null) {
        const problem = sourceProblem(spec, source);
        if (problem) errors.push(`${at}: ${problem}`);
      }
    }
  };
  if (input.default !== undefined) check('default', input.default);
  if (input.events !== undefined) {
    if (!isRecord(input.events)) errors.push('field_map.events: an object of event name → field sources');
    else for (const [name, sources] of Object.entries(input.events)) check(`events.${name}`, sources);
  }
  return errors;
}

function sourceProblem(spec: MappableField, source: unknown): string | undefined {
  if (typeof source === 'string') {
    const segments = source.split('.');
    if (!ROOTS.has(segments[0] ?? '') || segments.some((segment) => !SEGMENT.test(segment))) {
      return `${JSON.stringify(source)} is not a path in a message (start with ${[...ROOTS].join(', ')}; e.g. properties.grand_total or properties.products[].sku)`;
    }
    return undefined;
  }
  if (!isRecord(source) || !('value' in source) || Object.keys(source).length !== 1) {
    return 'a path such as "properties.total", { "value": … } for a static value, or null to never send it';
  }
  const value = source.value;
  const ok =
    spec.kind === 'number' || spec.kind === 'integer'
      ? typeof value === 'number' && Number.isFinite(value) && value >= 0
      : spec.kind === 'texts'
        ? typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))
        : typeof value === 'string' && value.trim() !== '';
  const expected =
    spec.kind === 'number' || spec.kind === 'integer'
      ? 'a number of at least 0'
      : spec.kind === 'texts'
        ? 'a string or a list of strings'
        : 'a non-empty string';
  return ok ? undefined : `the static value must be ${expected}, got ${JSON.stringify(value)}`;
}
