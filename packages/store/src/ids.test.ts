import { describe, expect, it } from 'vitest';
import { newId, newWriteKey, randomToken } from './ids.js';

describe('ids', () => {
  it('draws random tokens from letters and digits only', () => {
    const tokens = Array.from({ length: 200 }, () => randomToken(16));
    expect(tokens.every((token) => /^[A-Za-z0-9]{16}$/.test(token))).toBe(true);
    expect(new Set(tokens).size).toBe(200);
  });

  it('prefixes ids and write keys so a person can tell them apart', () => {
    expect(newId('src')).toMatch(/^src_[\w-]{16}$/);
    expect(newId('int', 3)).toMatch(/^int_[\w-]{4}$/);
    expect(newWriteKey()).toMatch(/^wk_[\w-]{24}$/);
  });
});
