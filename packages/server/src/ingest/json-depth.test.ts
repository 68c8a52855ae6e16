import { describe, expect, it } from 'vitest';
import { jsonDepth } from './json-depth.js';

describe('jsonDepth', () => {
  it.each([
    ['a number', '1', 0],
    ['an empty object', '{}', 1],
    ['an array in an object', '{"a":[1]}', 2],
    ['siblings count once', '{"a":{},"b":{}}', 2],
    ['brackets inside strings', '{"a":"{[{[{["}', 1],
    ['an escaped quote inside a string', '{"a":"\\"{{{"}', 1],
    ['an escaped backslash before the closing quote', '{"a":"\\\\","b":{}}', 2],
  ])('%s: %s → %i', (_, text, depth) => {
    expect(jsonDepth(text, 32)).toBe(depth);
  });

  it('stops at the limit plus one, without recursion, however deep the text', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(jsonDepth(deep, 32)).toBe(33);
    expect(jsonDepth('['.repeat(32) + ']'.repeat(32), 32)).toBe(32);
  });
});
