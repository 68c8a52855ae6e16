import { describe, expect, it } from 'vitest';
import { cookieAttributes } from './cookies.js';

// What reaches document.cookie through js-cookie is in browser.test.ts.
describe('cookieAttributes', () => {
  it.each([
    [[395, true, undefined] as const, { 'max-age': '34128000', sameSite: 'Lax', secure: true, domain: undefined }],
    [[28, false, undefined] as const, { 'max-age': '2419200', sameSite: 'Lax', secure: false, domain: undefined }],
    [[395, true, 'shop.example'] as const, { 'max-age': '34128000', sameSite: 'Lax', secure: true, domain: 'shop.example' }],
    [[0, true, undefined] as const, { 'max-age': '0', sameSite: 'Lax', secure: true, domain: undefined }],
  ])('gives %j the attributes %j', ([days, secure, domain], attributes) => {
    expect(cookieAttributes(days, secure, domain)).toStrictEqual(attributes);
  });
});
