/**
 * Cell values as the drivers give them (pg: Date, numeric strings; mysql2: Date, decimal strings;
 * SQLite: numbers and text; CSV: text), read as what a message field needs.
 */

/** A cell as text, or undefined when empty (NULL, '', whitespace). */
export function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  const text =
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
      ? String(value)
      : (JSON.stringify(value) ?? '');
  return text.trim() === '' ? undefined : text.trim();
}

// A decimal number as text: `Number` also reads `0x10`, `0b1` and `Infinity`, which no amount is.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A cell as a finite number ("42.50" → 42.5), or an error naming what it holds. */
export function cellNumber(value: unknown): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const text = cellText(value);
  if (text === undefined) return { ok: true, value: undefined };
  const number = typeof value === 'number' ? value : DECIMAL.test(text) ? Number(text) : NaN;
  return Number.isFinite(number) ? { ok: true, value: number } : { ok: false, error: `not a number: ${JSON.stringify(text)}` };
}

// Below this a number is a time in seconds (year 5138 in seconds), above it milliseconds.
const SECONDS_LIMIT = 1e11;

/**
 * A cell as an ISO 8601 time: a Date, epoch seconds or milliseconds, or text `Date.parse` reads
 * (a time without a zone is taken as UTC, as databases' `timestamp` columns usually are).
 */
export function cellTime(value: unknown): { ok: true; value: string | undefined } | { ok: false; error: string } {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? { ok: false, error: 'not a date' } : { ok: true, value: value.toISOString() };
  }
  const text = cellText(value);
  if (text === undefined) return { ok: true, value: undefined };
  const number = typeof value === 'number' || /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (Number.isFinite(number))
    return { ok: true, value: new Date(number < SECONDS_LIMIT ? number * 1000 : number).toISOString() };
  // Without a zone, UTC: never the collector's own zone, which would make a time depend on the machine.
  const zoned = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)
    ? `${text.replace(' ', 'T')}Z`
    : /^\d{4}-\d{2}-\d{2}$|(?:Z|[+-]\d{2}:?\d{2}|\b(?:UTC|GMT))$/i.test(text)
      ? text
      : `${text} UTC`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms)
    ? { ok: false, error: `not a date or time: ${JSON.stringify(text)}` }
    : { ok: true, value: new Date(ms).toISOString() };
}
