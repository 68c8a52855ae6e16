/** A row as better-sqlite3 returns it. */
export type Row = Record<string, unknown>;

/** An epoch-ms column as ISO 8601. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** A JSON text column as data of the type its writer stored (null when empty). */
export const parse = <T>(text: unknown): T | null => (typeof text === 'string' ? (JSON.parse(text) as T) : null);

/** Data as a JSON text column (null for undefined). */
export const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
