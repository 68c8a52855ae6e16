import { describe, expect, test } from 'vitest';
import { sha256Hex } from './hash.js';
import { normalizePhone } from './normalize-phone.js';

describe('normalizePhone: the vectors of snapchat-capi.md §5', () => {
  test.each([
    ['+44 844 412 4653', undefined, '448444124653', 'dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383'],
    ['+44-0447-234-2344', undefined, '444472342344', '19f25a18866af88fc60189c3af85010a0b971cf976053787fe21e004538c20a0'],
    ['0044-447-234-2344', undefined, '444472342344', '19f25a18866af88fc60189c3af85010a0b971cf976053787fe21e004538c20a0'],
    ['+44 0447 234 2344', undefined, '444472342344', '19f25a18866af88fc60189c3af85010a0b971cf976053787fe21e004538c20a0'],
    ['(447)-234-2344', 'US', '14472342344', '34053b331d29734f081bf74160cd33bc2f621b3b6f8ec991500bebf49f14e014'],
    ['+1-(447) 234 2344', undefined, '14472342344', '34053b331d29734f081bf74160cd33bc2f621b3b6f8ec991500bebf49f14e014'],
    ['+91 2111111', undefined, '912111111', 'bc77d64d7045fe44795ed926df37231a0cfb6ec6b74588c512790e9f143cc492'],
    ['07700 900123', 'GB', '447700900123', '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
  ])('normalises %j (default %s) to %s with SHA-256 %s', (input, country, normalised, digest) => {
    expect(normalizePhone(input, country)).toBe(normalised);
    expect(sha256Hex(normalised)).toBe(digest);
  });

  test('omits a national number when no default country is set, instead of assuming 1', () => {
    expect(normalizePhone('(447)-234-2344')).toBeUndefined();
  });
});

describe('normalizePhone: a country code written straight before the number', () => {
  // Each group is one number in several spellings: all must give the same digits and digest.
  test.each([
    ['+4407700900123', undefined, '447700900123', '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
    ['+44 07700 900123', undefined, '447700900123', '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
    ['004407700900123', undefined, '447700900123', '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
    ['+447700900123', undefined, '447700900123', '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
    ['07700 900123', 'GB', '447700900123', '033134b911b137918338415ee3d20a064b24773d36a3b02e8b99fdd3fcd6b4cd'],
    // Italy keeps its leading 0 in national numbers, but Snap's rule drops it: every form agrees.
    ['+390612345678', undefined, '39612345678', '22a07a06a54af007511fc3097026bb325b2463c9f2e8c340073cffd50686a172'],
    ['+39 06 1234 5678', undefined, '39612345678', '22a07a06a54af007511fc3097026bb325b2463c9f2e8c340073cffd50686a172'],
    ['06 1234 5678', 'IT', '39612345678', '22a07a06a54af007511fc3097026bb325b2463c9f2e8c340073cffd50686a172'],
    ['+49030123456', undefined, '4930123456', 'ac75546db905289f50bd750fd5648fec0719074ce391521b2372abeae9110668'],
    ['+330612345678', undefined, '33612345678', '8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661'],
    // Three-digit and one-digit calling codes are found the same way.
    ['+5491123456789', undefined, '5491123456789', 'e9a22549bbbbccb976d0c751b7e5ea194ae62fa6a6f1ba97e9e9940441acde71'],
    ['+74951234567', undefined, '74951234567', '0db1f8fe9abe3d3f789ac6cd9de8d39cfc9d2fc9a31e76010f0fa5b377e50235'],
  ])('normalises %j (default %s) to %s with SHA-256 %s', (input, country, normalised, digest) => {
    expect(normalizePhone(input, country)).toBe(normalised);
    expect(sha256Hex(normalised)).toBe(digest);
  });

  test('keeps the digits of a number whose start is no calling code', () => {
    expect(normalizePhone('+999 0123 4567')).toBe('99901234567');
  });
});

describe('normalizePhone: edge cases', () => {
  test.each([
    // The literal (0) of "+44 (0)20…" is the trunk prefix written out, not a digit.
    ['+44 (0)20 7946 0958', undefined, '442079460958'],
    ['+442079460958', undefined, '442079460958'],
    ['+44 20 7946 0958', undefined, '442079460958'],
    ['00 44 20 7946 0958', undefined, '442079460958'],
    ['+ 44 20 7946 0958', undefined, '442079460958'],
    ['+33 6 12 34 56 78', undefined, '33612345678'],
    ['+49.30.123456', undefined, '4930123456'],
    ['+1 (555) 123-4567', 'GB', '15551234567'],
    ['1 447 234 2344', 'US', '14472342344'],
    ['447-234-2344', 'ca', '14472342344'],
    ['020 7946 0958', 'GB', '442079460958'],
    ['06 12 34 56 78', 'FR', '33612345678'],
    ['0612345678', 'FR', '33612345678'],
    [4472342344, 'US', '14472342344'],
    ['9 123 4567', 'KZ', '791234567'],
    [
      'D74DCEF7E1DBA5AED01B62BC932AB1A7848ED9A590CA029AA958A1BF82B6993D',
      undefined,
      'd74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d',
    ],
  ])('normalises %j (default %s) to %s', (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });

  test.each<[input: string | null, country: string | undefined, why: string]>([
    ['+44 123', undefined, 'fewer than 7 digits'],
    ['+1234567890123456', undefined, 'more than 15 digits'],
    ['12 34', 'GB', 'too short with its country code'],
    ['07700 900123', 'XX', 'an unknown default country'],
    ['07700 900123', 'GBR', 'a default country that is not ISO-2'],
    ['call me', 'US', 'no digits'],
    ['', 'US', 'nothing'],
    [null, 'US', 'no value'],
  ])('omits %j (default %s): %s', (input, country) => {
    expect(normalizePhone(input, country)).toBeUndefined();
  });
});
