import type { Message, MessageContext, Traits } from '@datafirst/protocol';
import { cellNumber, cellText, cellTime } from './row-values.js';

/** A row as a connector gives it: column name → cell. */
export type Row = Readonly<Record<string, unknown>>;

/** Where a mapping target takes its value from: a column of the row, or a value for every row. */
export type MappingSource = { column: string } | { value: string | number | boolean };

/** A sync's mapping, validated: target → source, in the order given. */
export type Mapping = ReadonlyMap<string, MappingSource>;

/** The targets that become traits (`context.traits`), with the trait names they get. */
const TRAIT_TARGETS: Readonly<Record<string, keyof Traits>> = {
  email: 'email',
  phone: 'phone',
  first_name: 'firstName',
  last_name: 'lastName',
  city: 'city',
  state: 'state',
  zip: 'zip',
  country: 'country',
};

/** Every target a mapping may name, besides `properties.<name>`. */
export const MAPPING_TARGETS: readonly string[] = [
  'event',
  'timestamp',
  'user_id',
  ...Object.keys(TRAIT_TARGETS),
  'click_id',
  'ip',
  'user_agent',
  'page_url',
  'value',
  'currency',
  'order_id',
];

const PROPERTY = /^properties\.[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Properties a named target writes: given as `properties.<name>` too, they would overwrite it (a
 * `value` that skipped the number check), so they are refused there; and names an object keeps
 * for itself, which would be dropped in silence.
 */
const RESERVED_PROPERTIES = new Set(['value', 'currency', 'order_id', '__proto__', 'constructor', 'prototype']);

/** Reads a mapping as the admin API takes it; errors are named `mapping.<target>`. */
export function parseMapping(input: unknown, errors: string[]): Mapping {
  const mapping = new Map<string, MappingSource>();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    errors.push('mapping: an object of target → column name or { "value": … }, with at least "event"');
    return mapping;
  }
  for (const [target, source] of Object.entries(input)) {
    if (!MAPPING_TARGETS.includes(target) && !PROPERTY.test(target)) {
      errors.push(`mapping.${target}: unknown target (known: ${MAPPING_TARGETS.join(', ')}, properties.<name>)`);
      continue;
    }
    const property = target.startsWith('properties.') ? target.slice('properties.'.length) : undefined;
    if (property !== undefined && RESERVED_PROPERTIES.has(property)) {
      errors.push(
        MAPPING_TARGETS.includes(property)
          ? `mapping.${target}: map it as "${property}", which checks it`
          : `mapping.${target}: not a property name a mapping may write`,
      );
      continue;
    }
    if (typeof source === 'string' && source.trim() !== '') mapping.set(target, { column: source });
    else if (isStatic(source)) mapping.set(target, { value: source.value });
    else errors.push(`mapping.${target}: a column name, or { "value": a string, number or boolean }`);
  }
  if (!('event' in input)) errors.push('mapping.event: required (a column, or { "value": "Order Completed" })');
  return mapping;
}

function isStatic(source: unknown): source is { value: string | number | boolean } {
  if (typeof source !== 'object' || source === null || Object.keys(source).join() !== 'value') return false;
  const value = (source as { value: unknown }).value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The mapping as the admin API shows it (and the store keeps it). */
export function mappingJson(mapping: Mapping): Record<string, unknown> {
  return Object.fromEntries([...mapping].map(([target, source]) => [target, 'column' in source ? source.column : source]));
}

/** The columns a mapping reads, each once, in mapping order. */
export function mappedColumns(mapping: Mapping): string[] {
  return [...new Set([...mapping.values()].flatMap((source) => ('column' in source ? [source.column] : [])))];
}

/** The primary key and mapped columns the query does not have, each named. */
export function missingColumns(mapping: Mapping, primaryKey: string, columns: readonly string[]): string[] {
  const have = new Set(columns);
  const errors: string[] = [];
  if (!have.has(primaryKey)) errors.push(`primary_key: the query has no column "${primaryKey}"`);
  for (const [target, source] of mapping) {
    if ('column' in source && !have.has(source.column))
      errors.push(`mapping.${target}: the query has no column "${source.column}"`);
  }
  if (errors.length > 0) errors.push(`the query's columns are: ${columns.join(', ')}`);
  return errors;
}

/** What a row's message carries besides its mapped values. */
export interface RowMessageOptions {
  messageId: string;
  actionSource: string;
  /** Shown in the debugger: which sync and row the event came from. */
  sync: { id: string; rowKey: string };
}

/** The message a row becomes, or why it cannot become one (`target: problem`). */
export type RowMessage = { ok: true; message: Message } | { ok: false; error: string };

/**
 * Maps one row to a neutral `track` message: identities into `context.traits`, the click id into
 * `context.snapchat.clickId` (the protocol's field for it), order facts and `properties.*` into
 * `properties`, the device and page into the context. Empty cells are left out.
 */
export function rowMessage(row: Row, mapping: Mapping, options: RowMessageOptions): RowMessage {
  const cell = (source: MappingSource) => ('column' in source ? row[source.column] : source.value);
  const traits: Traits = {};
  const properties: Record<string, unknown> = {};
  const context: MessageContext = {
    actionSource: options.actionSource,
    sync: { id: options.sync.id, row_key: options.sync.rowKey },
  };
  const message: Message = { type: 'track', messageId: options.messageId, context };
  for (const [target, source] of mapping) {
    const value = cell(source);
    if (target === 'timestamp') {
      const time = cellTime(value);
      if (!time.ok) return { ok: false, error: `timestamp: ${time.error}` };
      if (time.value !== undefined) message.timestamp = time.value;
      continue;
    }
    if (target === 'value') {
      const number = cellNumber(value);
      if (!number.ok) return { ok: false, error: `value: ${number.error}` };
      if (number.value !== undefined) properties.value = number.value;
      continue;
    }
    const text = cellText(value);
    if (text === undefined) continue;
    const trait = TRAIT_TARGETS[target];
    if (trait !== undefined) traits[trait] = text;
    else if (target === 'event') message.event = text;
    else if (target === 'user_id') message.userId = text;
    else if (target === 'click_id') context.snapchat = { clickId: text };
    else if (target === 'ip') context.ip = text;
    else if (target === 'user_agent') context.userAgent = text;
    else if (target === 'page_url') context.page = { url: text };
    else if (target === 'currency' || target === 'order_id') properties[target] = text;
    else properties[target.slice('properties.'.length)] = typeof value === 'number' || typeof value === 'boolean' ? value : text;
  }
  if (message.event === undefined) return { ok: false, error: 'event: the mapped column is empty' };
  if (Object.keys(traits).length > 0) context.traits = traits;
  if (Object.keys(properties).length > 0) message.properties = properties;
  return { ok: true, message };
}
