import { describe, expect, test } from 'vitest';
import { sha256Hex } from './hash.js';
import { normalizeCity, normalizeCountry, normalizeState, normalizeZip } from './normalize-address.js';

const HASHED_UPPER = 'D74DCEF7E1DBA5AED01B62BC932AB1A7848ED9A590CA029AA958A1BF82B6993D';
const HASHED = 'd74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d';

describe('normalizeCity (ct)', () => {
  test('normalises the spec vector "A Fake City" to afakecity', () => {
    expect(normalizeCity('A Fake City')).toBe('afakecity');
    expect(sha256Hex('afakecity')).toBe('1124cc23f339ed92484e266352b16ef7abaa3951a0d936e13c0f60a59a67512a');
  });

  test.each([
    ['Los Angeles', 'losangeles'],
    ['St. Louis', 'stlouis'],
    ['Saint-Étienne', 'saintétienne'],
    ['Saint-E\u0301tienne', 'saintétienne'],
    ['München', 'münchen'],
    ['District 9', 'district9'],
    [HASHED_UPPER, HASHED],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeCity(input)).toBe(expected);
  });

  test.each([['---'], [''], [undefined]])('omits %j', (input) => {
    expect(normalizeCity(input)).toBeUndefined();
  });
});

describe('normalizeState (st)', () => {
  test('normalises the spec vector CA to ca', () => {
    expect(normalizeState('CA')).toBe('ca');
    expect(sha256Hex('ca')).toBe('6959097001d10501ac7d54c0bdb8db61420f658f2922cc26e46d536119a31126');
  });

  test.each([
    ['California', 'ca'],
    ['  new york ', 'ny'],
    ['NEW-HAMPSHIRE', 'nh'],
    ['N.Y.', 'ny'],
    ['District of Columbia', 'dc'],
    ['Washington', 'wa'],
    ['Washington, D.C.', 'dc'],
    ['Puerto Rico', 'pr'],
    ['Ontario', 'ontario'],
    ['Île-de-France', 'îledefrance'],
    [HASHED_UPPER, HASHED],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeState(input)).toBe(expected);
  });

  test.each([['.'], [''], [null]])('omits %j', (input) => {
    expect(normalizeState(input)).toBeUndefined();
  });
});

describe('normalizeZip (zp)', () => {
  test('normalises the spec vector 1234 to 1234', () => {
    expect(normalizeZip('1234')).toBe('1234');
    expect(sha256Hex('1234')).toBe('03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4');
  });

  test.each([
    ['94107', '94107'],
    ['94107-1234', '94107'],
    ['94107 1234', '94107'],
    ['941071234', '94107'],
    [94107, '94107'],
    ['SW1A 1AA', 'sw1a1aa'],
    ['K1A 0B1', 'k1a0b1'],
    ['100-0001', '1000001'],
    [HASHED_UPPER, HASHED],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeZip(input)).toBe(expected);
  });

  test.each([[' - '], [''], [undefined]])('omits %j', (input) => {
    expect(normalizeZip(input)).toBeUndefined();
  });
});

describe('normalizeCountry (country)', () => {
  test('normalises the spec vector Bolivia to bo', () => {
    expect(normalizeCountry('Bolivia')).toBe('bo');
    expect(sha256Hex('bo')).toBe('3d099d0f13df9d0bb4427a6ce99d61b988861761e286d6e34b17d6371b46b13f');
  });

  test.each([
    ['US', 'us'],
    ['us', 'us'],
    [' gb ', 'gb'],
    ['United States', 'us'],
    ['USA', 'us'],
    ['U.S.A.', 'us'],
    ['United Kingdom', 'gb'],
    ['UK', 'gb'],
    ['the Netherlands', 'nl'],
    ["Côte d'Ivoire", 'ci'],
    ['Cote d Ivoire', 'ci'],
    ['Bosnia & Herzegovina', 'ba'],
    ['Türkiye', 'tr'],
    ['Turkey', 'tr'],
    ['GERMANY', 'de'],
    ['Korea, Republic of', 'kr'],
    [HASHED_UPPER, HASHED],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeCountry(input)).toBe(expected);
  });

  test.each([['XX'], ['USAA'], ['Atlantis'], ['DEU'], [''], [1]])('omits %j, which names no country', (input) => {
    expect(normalizeCountry(input)).toBeUndefined();
  });
});
