import { describe, expect, it } from 'vitest';
import { consentFor } from './consent-categories.js';

describe('consentFor', () => {
  it.each([
    [{ advertising: true }, 'advertising', true],
    [{ Advertising: false }, 'advertising', false],
    [{ advertising: true }, 'Advertising', true],
    [{ ADVERTISING: true, advertising: false }, 'advertising', false],
    [{ advertising: false, Advertising: true }, 'advertising', false],
    [{ analytics: true }, 'advertising', undefined],
    [{}, 'advertising', undefined],
  ])('reads %j for %j as %j', (preferences, category, expected) => {
    expect(consentFor(preferences, category)).toBe(expected);
  });
});
