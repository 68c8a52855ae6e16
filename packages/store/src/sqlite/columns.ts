/** An epoch-ms column as ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** An epoch-ms column that may be NULL, as ISO 8601 or null. */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** A JSON text column as data (null when NULL). */
export const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));

/** Data as a JSON text column (null for undefined). */
export const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** A boolean as the 0/1 integer SQLite stores it as. */
export const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);
