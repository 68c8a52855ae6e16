import { describe, expect, test } from 'vitest';
import { normalizeBirthday } from './normalize-birthday.js';

describe('normalizeBirthday (db)', () => {
  test.each([
    ['1990-05-15', '19900515'],
    ['1990-5-7', '19900507'],
    ['1990/05/15', '19900515'],
    ['1990.05.15', '19900515'],
    ['1990-05-15T00:00:00.000Z', '19900515'],
    ['1990-05-15 10:00', '19900515'],
    ['19900515', '19900515'],
    [19900515, '19900515'],
    ['15.05.1990', '19900515'],
    ['25/12/1990', '19901225'],
    ['12/25/1990', '19901225'],
    ['05/05/1990', '19900505'],
    ['2000-02-29', '20000229'],
    [
      'D74DCEF7E1DBA5AED01B62BC932AB1A7848ED9A590CA029AA958A1BF82B6993D',
      'd74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d',
    ],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeBirthday(input)).toBe(expected);
  });

  test.each([
    ['03/04/1990', 'day and month could be either'],
    ['1990-13-01', 'no month 13'],
    ['1990-02-30', 'no 30 February'],
    ['1900-02-29', '1900 was no leap year'],
    ['1850-01-01', 'before 1900'],
    ['May 15, 1990', 'a written-out month'],
    ['1990', 'a year alone'],
    ['', 'nothing'],
  ])('omits %j: %s', (input) => {
    expect(normalizeBirthday(input)).toBeUndefined();
  });
});
