import { describe, expect, test } from 'vitest';
import { sha256Hex } from './hash.js';
import {
  normalizeEmail,
  normalizeExternalId,
  normalizeGender,
  normalizeIp,
  normalizeMobileId,
  normalizeName,
  toText,
} from './normalize.js';

const HASHED_UPPER = 'D74DCEF7E1DBA5AED01B62BC932AB1A7848ED9A590CA029AA958A1BF82B6993D';
const HASHED = 'd74dcef7e1dba5aed01b62bc932ab1a7848ed9a590ca029aa958a1bf82b6993d';
const NFD_RAPHAEL = 'Raphae\u0308l';

describe('toText', () => {
  test.each([
    ['  text  ', 'text'],
    [12345, '12345'],
    [NFD_RAPHAEL, 'Raphaël'],
    ['   ', undefined],
    [Number.NaN, undefined],
    [null, undefined],
    [undefined, undefined],
    [{ email: 'x@y' }, undefined],
    [true, undefined],
  ])('reads %j as %j', (input, expected) => {
    expect(toText(input)).toBe(expected);
  });
});

describe('normalizeEmail (em)', () => {
  test.each([
    ['Person@Example.com', 'person@example.com', '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345'],
    ['    test123@example.com  ', 'test123@example.com', '20b82517b67108ed3a171539dc5dd1da605660249b02f38dd70f572a545c7d18'],
    ['   Test123@gmail.com    ', 'test123@gmail.com', 'cc779c04191c2e736d89e45c11339c8382832bcaf70383f7df94e3d08ba7a6d9'],
  ])('normalises the spec vector %j to %j (SHA-256 %s)', (input, normalised, digest) => {
    expect(normalizeEmail(input)).toBe(normalised);
    expect(sha256Hex(normalizeEmail(input) ?? '')).toBe(digest);
  });

  test.each([
    ['te st@exa mple.com', 'test@example.com'],
    ['JOSÉ@EXAMPLE.COM', 'josé@example.com'],
    [HASHED_UPPER, HASHED],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  test.each([['not-an-email'], ['@example.com'], ['person@'], ['a@b@c'], [''], ['   '], [42], [null]])(
    'omits %j, which is no email',
    (input) => {
      expect(normalizeEmail(input)).toBeUndefined();
    },
  );
});

describe('normalizeName (fn, ln)', () => {
  test.each([
    ['John', 'john', '96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a'],
    ['Raphaël', 'raphaël', 'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7'],
    [NFD_RAPHAEL, 'raphaël', 'e74bb89e718fe1e19c422a48382870399f8bf7ca8dfa008739e75b0be76627b7'],
  ])('normalises the spec vector %j to %j (SHA-256 %s)', (input, normalised, digest) => {
    expect(normalizeName(input)).toBe(normalised);
    expect(sha256Hex(normalizeName(input) ?? '')).toBe(digest);
  });

  test.each([
    ['Mary-Jane', 'maryjane'],
    ["O'Brien", 'obrien'],
    ['  Van Der Berg ', 'vanderberg'],
    ['John3', 'john'],
    ['Zoë', 'zoë'],
    ['Łukasz', 'łukasz'],
    ['ÅSA', 'åsa'],
    ['İlkay', 'ilkay'],
    ['Δημήτρης', 'δημήτρης'],
    [HASHED_UPPER, HASHED],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  test.each([['1234'], ['---'], [''], [undefined]])('omits %j, which has no letters', (input) => {
    expect(normalizeName(input)).toBeUndefined();
  });
});

describe('normalizeGender (ge)', () => {
  test('normalises the spec vector Male to m', () => {
    expect(normalizeGender('Male')).toBe('m');
    expect(sha256Hex('m')).toBe('62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a');
  });

  test.each([
    ['m', 'm'],
    ['M', 'm'],
    [' male ', 'm'],
    ['man', 'm'],
    ['f', 'f'],
    ['Female', 'f'],
    ['WOMAN', 'f'],
    [HASHED_UPPER, HASHED],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeGender(input)).toBe(expected);
  });

  test.each([['non-binary'], ['x'], ['unknown'], ['constructor'], [''], [1]])('omits %j rather than guess', (input) => {
    expect(normalizeGender(input)).toBeUndefined();
  });
});

describe('normalizeExternalId (external_id)', () => {
  test.each([
    ['user1234', 'user1234'],
    ['  User-1234  ', 'user-1234'],
    [98765, '98765'],
    ['ABC|def', 'abc|def'],
    ['User 1234', 'user1234'],
    [' Cust -\t42\n', 'cust-42'],
    ['a\u00a0B', 'ab'],
    [HASHED_UPPER, HASHED],
  ])('removes every whitespace from %j and lowercases it to %j', (input, expected) => {
    expect(normalizeExternalId(input)).toBe(expected);
  });

  test('omits an id that is only whitespace', () => {
    expect(normalizeExternalId(' \t ')).toBeUndefined();
  });

  test('hashes "User 1234" as user1234, not "user 1234"', () => {
    const digest = sha256Hex(normalizeExternalId('User 1234') ?? '');
    expect(digest).toBe('831c237928e6212bedaa4451a514ace3174562f6761f6a157a2fe5082b36e2fb');
    expect(digest).not.toBe('8a82131954f29608f7a0b72dc4878daf7a07197c68a02f5353ee739f08dfa009');
  });

  test('hashes user1234 to the §7.2 digest', () => {
    expect(sha256Hex(normalizeExternalId('user1234') ?? '')).toBe(
      '831c237928e6212bedaa4451a514ace3174562f6761f6a157a2fe5082b36e2fb',
    );
  });

  test.each([[''], ['  '], [null]])('omits %j', (input) => {
    expect(normalizeExternalId(input)).toBeUndefined();
  });
});

describe('normalizeIp (client_ip_address)', () => {
  test.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 8.8.8.8 ', '8.8.8.8'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:0db8:0000:0000:0000:ff00:0042:8329'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::1', '::1'],
    ['::ffff:1', '::ffff:1'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });

  test.each([['unknown'], ['203.0.113'], ['256.1.1.1'], ['203.0.113.7:8080'], [HASHED], [''], [undefined]])(
    'omits %j, which is not an IP address',
    (input) => {
      expect(normalizeIp(input)).toBeUndefined();
    },
  );
});

describe('normalizeMobileId (madid, idfv)', () => {
  test.each([
    ['87A7DEF4-B6E9-4BF7-91B6-66372842007A', '87a7def4-b6e9-4bf7-91b6-66372842007a'],
    [' 87a7def4-b6e9-4bf7-91b6-66372842007a ', '87a7def4-b6e9-4bf7-91b6-66372842007a'],
  ])('lowercases %j to %j', (input, expected) => {
    expect(normalizeMobileId(input)).toBe(expected);
  });

  test('hashes the spec MAID vector for v2', () => {
    expect(sha256Hex(normalizeMobileId('87a7def4-b6e9-4bf7-91b6-66372842007a') ?? '')).toBe(
      '5af103f270fdc673b5e121ea929d1e47b2cee679e2059226a23c4cba37f8c9a9',
    );
  });

  test('omits the all-zero id iOS reports when tracking is limited', () => {
    expect(normalizeMobileId('00000000-0000-0000-0000-000000000000')).toBeUndefined();
  });
});
