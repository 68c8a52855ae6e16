import { describe, expect, it } from 'vitest';
import { cookieAssignment, cookieValue } from './cookies.js';

describe('cookieValue', () => {
  it.each([
    ['_scid=abc', '_scid', 'abc'],
    ['a=1; _scid=abc; b=2', '_scid', 'abc'],
    ['_scid=Opaque_Token-32chars.x~y', '_scid', 'Opaque_Token-32chars.x~y'],
    ['x_scid=wrong; _scid=right', '_scid', 'right'],
    ['_scclid=abc; _scid=xyz', '_scid', 'xyz'],
    ['_scid=a=b', '_scid', 'a=b'],
    ['_scid=', '_scid', ''],
  ])('reads %s as %s = %s', (cookies, name, value) => {
    expect(cookieValue(cookies, name)).toBe(value);
  });

  it('reads nothing when the cookie is missing', () => {
    expect(cookieValue('_scidx=1; a_scid=2', '_scid')).toBeUndefined();
    expect(cookieValue('', '_scid')).toBeUndefined();
  });
});

describe('cookieAssignment', () => {
  it.each([
    [
      ['_dfid', 'b1f7e8a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b', 395, true, undefined] as const,
      '_dfid=b1f7e8a2-1c3d-4e5f-8a9b-0c1d2e3f4a5b;path=/;max-age=34128000;samesite=lax;secure',
    ],
    [['_scclid', 'cid-1', 28, false, undefined] as const, '_scclid=cid-1;path=/;max-age=2419200;samesite=lax'],
    [
      ['_scid', 'x', 395, true, 'shop.example'] as const,
      '_scid=x;path=/;max-age=34128000;samesite=lax;secure;domain=shop.example',
    ],
    [['_scid', '', 0, true, undefined] as const, '_scid=;path=/;max-age=0;samesite=lax;secure'],
    [
      ['_scclid', 'a;domain=evil.example', 28, true, undefined] as const,
      '_scclid=a%3Bdomain%3Devil.example;path=/;max-age=2419200;samesite=lax;secure',
    ],
  ])('writes %j as %s', ([name, value, days, secure, domain], assignment) => {
    expect(cookieAssignment(name, value, days, secure, domain)).toBe(assignment);
  });
});
