import { describe, expect, test } from 'vitest';
import { hashNormalized, isSha256Hex, sha256Hex } from './hash.js';

describe('sha256Hex', () => {
  test.each([
    ['person@example.com', '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345'],
    ['raphaël', 'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7'],
    ['8.8.8.8', '838c4c2573848f58e74332341a7ca6bc5cd86a8aec7d644137d53b4d597f10f5'],
  ])('hashes the UTF-8 bytes of %j to lowercase hex', (input, digest) => {
    expect(sha256Hex(input)).toBe(digest);
  });
});

describe('isSha256Hex', () => {
  test.each([
    ['d74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d', true],
    ['D74DCEF7E1DBA5AED01B62BC932AB1A7848ED9A590CA029AA958A1BF82B6993D', true],
    ['d74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993', false],
    ['g74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d', false],
    [' d74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d', false],
    ['', false],
  ])('says %j is a digest: %s', (input, expected) => {
    expect(isSha256Hex(input)).toBe(expected);
  });
});

describe('hashNormalized', () => {
  test('passes an uppercase digest through lowercased instead of hashing it again', () => {
    expect(hashNormalized('D74DCEF7E1DBA5AED01B62BC932AB1A7848ED9A590CA029AA958A1BF82B6993D')).toBe(
      'd74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d',
    );
  });

  test('hashes a plain normalised value', () => {
    expect(hashNormalized('john')).toBe('96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a');
  });
});
