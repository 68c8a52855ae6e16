import { describe, expect, it } from 'vitest';
import { createSecretBox, isSealed, SecretKeyError } from './secret-box.js';

const KEY = 'k'.repeat(32);

describe('createSecretBox', () => {
  it('seals with a fresh IV each time and opens what it sealed', () => {
    const box = createSecretBox(KEY);
    const first = box.seal('token-1', 'integration int_1 access_token');
    const second = box.seal('token-1', 'integration int_1 access_token');
    expect(first).not.toBe(second);
    expect(isSealed(first)).toBe(true);
    expect(first).not.toContain('token-1');
    expect(box.open(first, 'integration int_1 access_token')).toBe('token-1');
  });

  it('refuses a sealed value moved to another row or field', () => {
    const box = createSecretBox(KEY);
    const sealed = box.seal('token-1', 'integration int_1 access_token');
    expect(() => box.open(sealed, 'integration int_2 access_token')).toThrow(SecretKeyError);
  });

  it('refuses a sealed value under another key, naming the setting to fix', () => {
    const sealed = createSecretBox(KEY).seal('token-1', 'ctx');
    expect(() => createSecretBox('x'.repeat(32)).open(sealed, 'ctx')).toThrow(/DATAFIRST_SECRET_KEY/);
    expect(() => createSecretBox().open(sealed, 'ctx')).toThrow(/encrypted at rest/);
  });

  it('passes values stored before a key was set through unchanged', () => {
    expect(createSecretBox(KEY).open('plain-token', 'ctx')).toBe('plain-token');
    expect(createSecretBox().seal('plain-token', 'ctx')).toBe('plain-token');
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => createSecretBox('short')).toThrow(
      'the secret key must be at least 32 characters (try: openssl rand -base64 32)',
    );
  });

  it('digests a write key the same way every time, and only with a key', () => {
    const box = createSecretBox(KEY);
    expect(box.digest('wk_1')).toBe(box.digest('wk_1'));
    expect(box.digest('wk_1')).not.toBe(box.digest('wk_2'));
    expect(createSecretBox().digest('wk_1')).toBeUndefined();
  });
});
