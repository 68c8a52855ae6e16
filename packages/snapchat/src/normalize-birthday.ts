import { normalizeHashable } from './normalize.js';

// Birthdays arrive as ISO dates, ISO timestamps, compact YYYYMMDD, or day-month-year forms.
// Snap wants YYYYMMDD. A slash date whose day and month could be swapped (03/04/1990) is
// omitted: a guessed birthday would match nobody, or worse, someone else.

const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/u;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/u;
const DOTTED_DAY_FIRST = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/u;
const SLASHED_YEAR_LAST = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/u;
const EARLIEST_YEAR = 1900;

function dateString(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid =
    year >= EARLIEST_YEAR && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!valid) return undefined;
  return `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
}

function parseBirthday(text: string): string | undefined {
  const yearFirst = YEAR_FIRST.exec(text) ?? COMPACT.exec(text);
  if (yearFirst !== null) return dateString(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
  const dotted = DOTTED_DAY_FIRST.exec(text);
  if (dotted !== null) return dateString(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]));
  const slashed = SLASHED_YEAR_LAST.exec(text);
  if (slashed === null) return undefined;
  const [first, second, year] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
  if (first > 12 && second <= 12) return dateString(year, second, first); // 25/12/1990
  if (second > 12 && first <= 12) return dateString(year, first, second); // 12/25/1990
  if (first === second) return dateString(year, first, second); // 05/05/1990 reads the same both ways
  return undefined;
}

/** Birthday (`db`): `YYYYMMDD` from ISO dates and timestamps, `YYYYMMDD`, `DD.MM.YYYY` or unambiguous slash dates. */
export function normalizeBirthday(value: unknown): string | undefined {
  return normalizeHashable(value, parseBirthday);
}
