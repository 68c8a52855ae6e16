import { describe, expect, test } from 'vitest';
import { callingCodeOf, COUNTRIES, countryCode, countryNameKey, leadingCallingCode } from './countries.js';

describe('the country table', () => {
  test('holds every ISO 3166-1 alpha-2 country once, each with a calling code', () => {
    expect(COUNTRIES.size).toBe(249);
    for (const country of COUNTRIES.values()) {
      expect(country.code).toMatch(/^[A-Z]{2}$/u);
      expect(country.callingCode).toMatch(/^[1-9]\d{0,2}$/u);
    }
  });

  test('gives no name to two countries', () => {
    const owners = new Map<string, string>();
    for (const country of COUNTRIES.values()) {
      for (const name of country.names) {
        const key = countryNameKey(name);
        expect(owners.get(key) ?? country.code, `${name} of ${country.code}`).toBe(country.code);
        owners.set(key, country.code);
      }
    }
  });
});

describe('callingCodeOf', () => {
  test.each([
    ['US', '1'],
    ['ca', '1'],
    ['JM', '1'],
    ['GB', '44'],
    ['FR', '33'],
    ['IN', '91'],
    ['KZ', '7'],
    ['AE', '971'],
    ['XX', undefined],
  ])('gives %s the calling code %s', (code, callingCode) => {
    expect(callingCodeOf(code)).toBe(callingCode);
  });
});

describe('countryCode', () => {
  test.each([
    ['gb', 'GB'],
    ['Great Britain', 'GB'],
    ['Ivory Coast', 'CI'],
    ['Czech Republic', 'CZ'],
    ['Åland Islands', 'AX'],
    ['Viet Nam', 'VN'],
    ['Narnia', undefined],
  ])('reads %j as %s', (input, code) => {
    expect(countryCode(input)).toBe(code);
  });
});

describe('leadingCallingCode', () => {
  test.each([
    ['447700900123', '44'],
    ['4407700900123', '44'],
    ['390612345678', '39'],
    ['14472342344', '1'],
    ['74951234567', '7'],
    ['5491123456789', '54'],
    ['35312345678', '353'],
    ['99901234567', undefined],
    ['', undefined],
  ])('finds the calling code of %j: %s', (digits, expected) => {
    expect(leadingCallingCode(digits)).toBe(expected);
  });

  test('calling codes are prefix-free, so the first match is the only one', () => {
    const codes = [...new Set([...COUNTRIES.values()].map((country) => country.callingCode))];
    const prefixed = codes.filter((code) => codes.some((other) => other !== code && other.startsWith(code)));
    expect(prefixed).toEqual([]);
  });
});
