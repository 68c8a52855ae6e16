import { describe, expect, it } from 'vitest';
import { hashPostbackKey, maskedPostbackKey, newPostbackKey, sourceForPostbackKey } from './postback-key.js';

const stored = (sourceId: string, key: string) => ({
  sourceId,
  keyHash: hashPostbackKey(key),
  hint: key.slice(-4),
  createdAt: '',
});

describe('postback keys', () => {
  it('are long random tokens whose hash and last four characters are kept', () => {
    const { key, hash, hint } = newPostbackKey();
    expect(key).toMatch(/^pbk_[A-Za-z0-9]{32}$/);
    expect(hash).toBe(hashPostbackKey(key));
    expect(hint).toBe(key.slice(-4));
    expect(maskedPostbackKey(stored('src', key))).toBe(`pbk_****${hint}`);
  });

  it('find the source a key belongs to, and nothing for a wrong or empty key', () => {
    const keys = [stored('src_a', 'pbk_aaaa'), stored('src_b', 'pbk_bbbb')];
    expect(sourceForPostbackKey(keys, 'pbk_bbbb')).toBe('src_b');
    expect(sourceForPostbackKey(keys, 'pbk_bbbc')).toBeUndefined();
    expect(sourceForPostbackKey(keys, '')).toBeUndefined();
    expect(sourceForPostbackKey([], 'pbk_aaaa')).toBeUndefined();
  });
});
