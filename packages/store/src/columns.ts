/**
 * How both engines store values in columns: times as epoch ms, lists and objects as JSON text.
 * Only booleans differ: PostgreSQL returns a boolean, SQLite the integer 0 or 1.
 */

/** An epoch-ms column as ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** An epoch-ms column that may be NULL, as ISO 8601 or null. */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** A JSON text column as data (null when NULL). */
export const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

/** Data as a JSON text column (null for undefined). */
export const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** A boolean column as an engine returns it: a boolean from PostgreSQL, 0 or 1 from SQLite. */
export type BooleanColumn = boolean | 0 | 1;

/** A boolean column as a boolean, whichever engine read it. */
export const isTrue = (value: BooleanColumn): boolean => value === true || value === 1;
