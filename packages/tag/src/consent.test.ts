import { describe, expect, it } from 'vitest';
import { advertisingAllowed, gpcOptOut } from './consent.js';

describe('advertisingAllowed', () => {
  it.each([
    // gpcOptedOut, stored choice, data-consent, allowed
    [false, undefined, undefined, true],
    [false, undefined, 'granted', true],
    [false, undefined, 'denied', false],
    [false, 'granted', 'denied', true],
    [false, 'denied', 'granted', false],
    [false, 'denied', undefined, false],
    [true, undefined, undefined, false],
    [true, 'granted', 'granted', false],
  ] as const)('with GPC opt-out %s, choice %s and default %s: %s', (optedOut, choice, siteDefault, allowed) => {
    expect(advertisingAllowed(optedOut, choice, siteDefault)).toBe(allowed);
  });
});

describe('gpcOptOut', () => {
  it.each([
    [true, undefined, true],
    [true, 'honour', true],
    [true, 'ignore', false],
    [false, undefined, false],
    [false, 'ignore', false],
  ] as const)('with GPC %s and data-gpc %s: %s', (gpc, attribute, optedOut) => {
    expect(gpcOptOut(gpc, attribute)).toBe(optedOut);
  });
});
