import { expect, test } from 'vitest';
import { mobileOs } from './mobile-os.js';

test.each([
  ['iOS', 'ios'],
  [' ipados ', 'ios'],
  ['iPhone OS', 'ios'],
  ['Android', 'android'],
  ['Mac OS X', undefined],
  ['', undefined],
  [undefined, undefined],
])('reads the OS name %j as %s', (name, os) => {
  expect(mobileOs(name)).toBe(os);
});
