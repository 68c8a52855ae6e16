import { afterEach, describe, expect, it, vi } from 'vitest';
import { uuid } from './uuid.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('uuid', () => {
  it('uses crypto.randomUUID where the page is a secure context', () => {
    vi.stubGlobal('crypto', { randomUUID: () => '0f6b3c9e-0000-4000-8000-000000000000' });
    expect(uuid()).toBe('0f6b3c9e-0000-4000-8000-000000000000');
  });

  it('builds a random UUID v4 from crypto.getRandomValues on plain http', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => real.getRandomValues(bytes) });
    const ids = Array.from({ length: 200 }, () => uuid());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(200);
  });

  it.each([
    [0x00, '10000000-1000-4000-8000-100000000000'],
    [0xff, 'efffffff-efff-4fff-bfff-efffffffffff'],
  ])('keeps the version and variant digits whatever the random bytes (all %i)', (byte, id) => {
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes.fill(byte) });
    expect(uuid()).toBe(id);
    expect(uuid()).toMatch(V4);
  });
});
