import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filePath, hoursAsMs, httpUrl, InvalidValue, number, onOff, oneOf, proxyHops, wholeNumber } from './option-values.js';

/** What a parser says it expects when it refuses `text`. */
function refusal(parse: (text: string) => unknown, text: string): string {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof InvalidValue) return error.expects;
    throw error;
  }
  throw new Error(`accepted ${text}`);
}

describe('option values', () => {
  it.each([
    ['1', true],
    ['TRUE', true],
    ['Yes', true],
    ['on', true],
    ['0', false],
    ['false', false],
    ['NO', false],
    ['Off', false],
  ])('reads %s as %s', (text, expected) => {
    expect(onOff(text)).toBe(expected);
  });

  it('takes fractions as numbers but not as whole numbers', () => {
    expect(number(1)('1.5')).toBe(1.5);
    expect(refusal(wholeNumber(1), '1.5')).toBe('a whole number of at least 1');
    expect(refusal(wholeNumber(0, 9), '10')).toBe('a whole number from 0 to 9');
  });

  it('refuses text that is not a number, and Infinity', () => {
    expect(refusal(number(0), '')).toBe('a number of at least 0');
    expect(refusal(wholeNumber(0), ' ')).toBe('a whole number of at least 0');
    expect(refusal(number(0), 'Infinity')).toBe('a number of at least 0');
  });

  it('lists the words it takes', () => {
    expect(refusal(oneOf('a', 'b'), 'c')).toBe('a or b');
    expect(refusal(oneOf('a', 'b', 'c'), 'd')).toBe('one of a, b, c');
  });

  it('drops the trailing slash of a URL so paths append cleanly', () => {
    expect(httpUrl('https://tr.snapchat.com/')).toBe('https://tr.snapchat.com');
    expect(refusal(httpUrl, 'file:///etc/passwd')).toBe('an http(s) URL such as https://tr.snapchat.com');
  });

  it('reads proxy hops as Express takes them', () => {
    expect([proxyHops('true'), proxyHops('false'), proxyHops('3')]).toEqual([true, false, 3]);
    expect(refusal(proxyHops, '1.5')).toBe('a number of hops, true or false');
  });

  it('turns hours into milliseconds and paths into absolute ones', () => {
    expect(hoursAsMs('1.5')).toBe(5_400_000);
    expect(filePath('data/x.db')).toBe(resolve('data/x.db'));
  });
});
