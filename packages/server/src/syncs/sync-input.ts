import type { NewSync, SyncMode } from '@datafirst/store';
import { checkEnabled, checkName } from '../admin/admin-input.js';
import { mappingJson, parseMapping } from './mapping.js';

/** The action sources a message may carry (the protocol's `context.actionSource`). */
export const ACTION_SOURCES = ['OFFLINE', 'WEB', 'MOBILE_APP'] as const;

const MODES: readonly SyncMode[] = ['insert', 'upsert'];
const MAX_QUERY_LENGTH = 100_000;

/** The sync fields a create or patch body may set, checked; absent fields are left undefined. */
export type SyncFields = Partial<Omit<NewSync, 'kind' | 'warehouseId' | 'sourceId'>>;

/** Reads the settable fields of a sync body, naming every problem in `errors`. */
export function checkSyncFields(body: Record<string, unknown>, errors: string[], creating: boolean): SyncFields {
  const fields: SyncFields = {};
  if (creating || 'name' in body) fields.name = checkName(body.name, errors);
  if ('query' in body) {
    if (typeof body.query !== 'string' || body.query.trim() === '' || body.query.length > MAX_QUERY_LENGTH) {
      errors.push(`query: the model's SQL, a non-empty string of at most ${MAX_QUERY_LENGTH} characters`);
    } else fields.query = body.query.trim();
  }
  if (creating || 'primary_key' in body) {
    if (typeof body.primary_key !== 'string' || body.primary_key.trim() === '') {
      errors.push('primary_key: the column that identifies a row (e.g. "sale_id")');
    } else fields.primaryKey = body.primary_key.trim();
  }
  if (creating || 'mapping' in body) fields.mapping = mappingJson(parseMapping(body.mapping, errors));
  if (creating || 'action_source' in body) {
    const value = body.action_source ?? 'OFFLINE';
    if (typeof value !== 'string' || !(ACTION_SOURCES as readonly string[]).includes(value)) {
      errors.push(`action_source: one of ${ACTION_SOURCES.join(', ')} (default OFFLINE)`);
    } else fields.actionSource = value;
  }
  if (creating || 'mode' in body) {
    const value = body.mode ?? 'insert';
    if (!MODES.includes(value as SyncMode))
      errors.push('mode: "insert" (only new rows, the default) or "upsert" (changed rows again)');
    else fields.mode = value as SyncMode;
  }
  if (creating || 'schedule' in body) fields.everyMinutes = checkSchedule(body.schedule ?? null, errors);
  if (creating || 'enabled' in body) fields.enabled = body.enabled === undefined ? true : checkEnabled(body.enabled, errors);
  return fields;
}

function checkSchedule(value: unknown, errors: string[]): number | null {
  if (value === null) return null;
  const minutes = (value as { every_minutes?: unknown }).every_minutes;
  if (
    typeof value !== 'object' ||
    Object.keys(value).join() !== 'every_minutes' ||
    !Number.isInteger(minutes) ||
    (minutes as number) < 1 ||
    (minutes as number) > 525_600
  ) {
    errors.push('schedule: { "every_minutes": a whole number of minutes from 1 to 525600 }, or null to run on demand only');
    return null;
  }
  return minutes as number;
}
