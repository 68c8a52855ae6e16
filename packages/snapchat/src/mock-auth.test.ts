import { describe, expect, it } from 'vitest';
import { checkMockAuth, readMockToken } from './mock-auth.js';

describe('readMockToken', () => {
  it.each([
    ['v3', 'access_token=q', undefined, 'q'],
    ['v3', '', 'Bearer h', 'h'],
    ['v3', 'access_token=q', 'Bearer h', 'q'],
    ['v3', 'access_token=', 'bearer h', 'h'],
    ['v3', '', undefined, undefined],
    ['v3', '', 'Basic dXNlcjpwYXNz', undefined],
    ['v2', 'access_token=q', undefined, undefined],
    ['v2', '', 'Bearer  h ', 'h'],
    ['v2', '', 'Bearer ', undefined],
  ] as const)('reads the %s token from query %j and header %j as %j', (version, query, header, expected) => {
    expect(readMockToken(version, new URLSearchParams(query), header)).toBe(expected);
  });
});

describe('checkMockAuth', () => {
  const tokens = { 'token-a': ['pixel-1', 'pixel-2'], 'token-b': [] };

  it.each([
    ['demo mode with any token', undefined, 'anything', ['pixel-9'], 'ok'],
    ['demo mode without a token', undefined, undefined, ['pixel-9'], 'unauthenticated'],
    ['a known token for its asset', tokens, 'token-a', ['pixel-1'], 'ok'],
    ['a known token for all its assets', tokens, 'token-a', ['pixel-1', 'pixel-2'], 'ok'],
    ['a known token for another asset', tokens, 'token-a', ['pixel-3'], 'forbidden'],
    ['a known token for one foreign asset among its own', tokens, 'token-a', ['pixel-1', 'pixel-3'], 'forbidden'],
    ['a token with no assets', tokens, 'token-b', ['pixel-1'], 'forbidden'],
    ['an unknown token', tokens, 'token-z', ['pixel-1'], 'unauthenticated'],
    ['a token named like an Object method', tokens, 'toString', ['pixel-1'], 'unauthenticated'],
    ['no token', tokens, undefined, ['pixel-1'], 'unauthenticated'],
  ] as const)('answers %s with $4', (_label, map, token, assets, expected) => {
    expect(checkMockAuth(map, token, assets)).toBe(expected);
  });
});
