import { describe, expect, test } from 'vitest';
import { isSnapCurrency, SNAP_CURRENCIES } from './currencies.js';
import { snapCurrency } from './custom-data.js';

describe('SNAP_CURRENCIES', () => {
  test('holds the 177 active ISO 4217 codes, without the testing and no-currency codes', () => {
    expect(SNAP_CURRENCIES.size).toBe(177);
    expect([...SNAP_CURRENCIES].every((code) => /^[A-Z]{3}$/u.test(code))).toBe(true);
  });

  test.each([
    // Refused by the earlier 60-code list, yet real currencies shops price in.
    'ARS',
    'BDT',
    'LKR',
    'UYU',
    'KHR',
    'XAF',
    'XPF',
    // Recent ISO 4217 additions.
    'VED',
    'SLE',
    'ZWG',
    'XCG',
    // Funds codes and units of List One.
    'CLF',
    'USN',
    'XDR',
    'XAU',
  ])('accepts %s in any case', (code) => {
    expect(isSnapCurrency(code)).toBe(true);
    expect(isSnapCurrency(code.toLowerCase())).toBe(true);
  });

  test.each([
    ['XTS', 'the testing code'],
    ['XXX', 'the no-currency code'],
    ['HRK', 'withdrawn for the euro in 2023'],
    ['ZWL', 'replaced by ZWG in 2024'],
    ['ANG', 'replaced by XCG in 2025'],
    ['BGN', 'withdrawn for the euro in 2026'],
    ['BTC', 'not an ISO currency'],
    ['XBT', 'not an ISO currency'],
    ['US', 'too short'],
    ['USDT', 'too long'],
  ])('refuses %s: %s', (code) => {
    expect(isSnapCurrency(code)).toBe(false);
  });
});

describe('snapCurrency over the full list', () => {
  test.each([
    ['ars', 'ARS'],
    [' uyu ', 'UYU'],
    ['Ved', 'VED'],
    ['hrk', undefined],
  ])('reads %j as %s', (input, expected) => {
    expect(snapCurrency(input)).toBe(expected);
  });
});
