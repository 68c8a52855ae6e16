// Parsers of option values: each turns the text a user typed into a value, or throws
// InvalidValue saying what it expects. Naming the option and where it came from is the
// caller's job, so one parser serves flags and environment variables alike.
import { resolve } from 'node:path';

/** A value that does not fit; `expects` reads after "must be", e.g. "a number of at least 1". */
export class InvalidValue extends Error {
  constructor(readonly expects: string) {
    super(expects);
  }
}

/** Turns an option's text into its value; throws InvalidValue. */
export type Parse<T> = (text: string) => T;

/** Any text, as typed. */
export const text: Parse<string> = (value) => value;

/** The number in a text; NaN for blank text, which Number() would read as 0. */
function numeric(value: string): number {
  return value.trim() === '' ? NaN : Number(value);
}

/** A number of at least `min`, fractions allowed. */
export function number(min: number): Parse<number> {
  return (value) => {
    const parsed = numeric(value);
    if (!Number.isFinite(parsed) || parsed < min) throw new InvalidValue(`a number of at least ${min}`);
    return parsed;
  };
}

/** A whole number of at least `min` (and at most `max`, when given). */
export function wholeNumber(min: number, max?: number): Parse<number> {
  const expects = max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
  return (value) => {
    const parsed = numeric(value);
    if (!Number.isInteger(parsed) || parsed < min || (max !== undefined && parsed > max)) throw new InvalidValue(expects);
    return parsed;
  };
}

/** One of a fixed list of words. */
export function oneOf<const V extends string>(...words: V[]): Parse<V> {
  const expects = words.length === 2 ? `${words[0]} or ${words[1]}` : `one of ${words.join(', ')}`;
  return (value) => {
    if (!(words as string[]).includes(value)) throw new InvalidValue(expects);
    return value as V;
  };
}

/** Text matching a pattern; `expects` says what it looks like. */
export function matching(pattern: RegExp, expects: string): Parse<string> {
  return (value) => {
    if (!pattern.test(value)) throw new InvalidValue(expects);
    return value;
  };
}

/** Text of at least `length` characters; `hint` says how to make one. */
export function atLeastCharacters(length: number, hint: string): Parse<string> {
  return (value) => {
    if (value.length < length) throw new InvalidValue(`at least ${length} characters (${hint})`);
    return value;
  };
}

const ON = ['1', 'true', 'yes', 'on'];
const OFF = ['0', 'false', 'no', 'off'];

/** On or off: 1, true, yes, on / 0, false, no, off, in any case. */
export const onOff: Parse<boolean> = (value) => {
  const word = value.toLowerCase();
  if (ON.includes(word)) return true;
  if (OFF.includes(word)) return false;
  throw new InvalidValue('1 or 0');
};

/** An http(s) URL, without the trailing slash, so paths can be appended to it. */
export const httpUrl: Parse<string> = (value) => {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new InvalidValue('an http(s) URL such as https://tr.snapchat.com');
  }
  return value.replace(/\/$/, '');
};

/**
 * A PostgreSQL connection URL. It may hold a password, so a bad one is refused with a plain Error
 * that never repeats it (an InvalidValue's message would).
 */
export const postgresUrl: Parse<string> = (value) => {
  if (!URL.canParse(value) || !/^postgres(ql)?:$/.test(new URL(value).protocol)) {
    throw new Error('invalid database url: not a postgres:// URL (for example postgres://user:password@host:5432/datafirst)');
  }
  return value;
};

/** A file path, made absolute against the working directory at start. */
export const filePath: Parse<string> = (value) => resolve(value);

/** Express's `trust proxy`: a number of hops, or true (every hop) or false (none). */
export const proxyHops: Parse<number | boolean> = (value) => {
  if (value === 'true') return true;
  if (value === 'false') return false;
  const hops = numeric(value);
  if (!Number.isInteger(hops) || hops < 0) throw new InvalidValue('a number of hops, true or false');
  return hops;
};

/** A number of hours, as milliseconds. */
export const hoursAsMs: Parse<number> = (value) => number(0)(value) * 60 * 60 * 1000;
