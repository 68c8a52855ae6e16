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
    ['an escaped backslash, then an escaped quote', '{"a":"\\\\\\"{","b":{}}', 2],
    ['three escaped backslashes before the closing quote', '{"a":"\\\\\\\\\\\\"}', 1],
    ['a string that never ends', '{"a":"{{{', 1],
    ['brackets after an unterminated escape', '{"a":"\\', 1],
  ])('%s: %s → %i', (_, text, depth) => {
    expect(jsonDepth(text, 32)).toBe(depth);
  });

  it('stops at the limit plus one, without recursion, however deep the text', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(jsonDepth(deep, 32)).toBe(33);
    expect(jsonDepth('['.repeat(32) + ']'.repeat(32), 32)).toBe(32);
  });

  it('counts as a scan of every character does, on texts of quotes, backslashes and brackets', () => {
    // The reference: one character at a time, a backslash in a string skipping the next one.
    const reference = (text: string): number => {
      let depth = 0;
      let deepest = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
        else if (c === '}' || c === ']') depth--;
      }
      return deepest;
    };
    const alphabet = ['"', '\\', '{', '}', '[', ']', 'a', ','];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 5000; n++) {
      const text = Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(
        '',
      );
      expect(jsonDepth(text, 1000), text).toBe(reference(text));
    }
  });
});
