import { describe, expect, it } from 'vitest';
import { allowedHeaders, isCredentialedOrigin, MAX_REQUESTED_HEADERS_LENGTH, siteOf } from './cors.js';

describe('allowedHeaders', () => {
  it.each([
    ['nothing asked', undefined, 'Content-Type, Authorization'],
    ['an empty list', '  ', 'Content-Type, Authorization'],
    ["analytics-next's retry header", 'content-type,x-retry-count', 'content-type,x-retry-count'],
    [
      "RudderStack's headers",
      'anonymousid, authorization, content-type, sentat',
      'anonymousid, authorization, content-type, sentat',
    ],
    ['a list with a line break', 'content-type\r\nx-evil: 1', 'Content-Type, Authorization'],
    ['a name that is not a token', 'content type', 'Content-Type, Authorization'],
    ['a list too long to echo', `x-${'a'.repeat(MAX_REQUESTED_HEADERS_LENGTH)}`, 'Content-Type, Authorization'],
  ])('%s: %j → %j', (_, requested, allowed) => {
    expect(allowedHeaders(requested)).toBe(allowed);
  });
});

describe('siteOf', () => {
  it.each([
    ['collect.shop.example', 'shop.example'],
    ['shop.example', 'shop.example'],
    ['WWW.Shop.Example.', 'shop.example'],
    ['collect.shop.co.uk', 'shop.co.uk'],
    ['evil.co.uk', 'evil.co.uk'],
    ['shop.github.io', 'shop.github.io'],
    ['www.shop.vercel.app', 'shop.vercel.app'],
    ['collect.shop.com.au', 'shop.com.au'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '[::1]'],
  ])('%s → %s', (host, site) => {
    expect(siteOf(host)).toBe(site);
  });
});

describe('isCredentialedOrigin', () => {
  it.each([
    ['the same site on another subdomain and port', 'https://www.shop.example:8443', 'collect.shop.example', [], true],
    ['the same host over http, another port', 'http://localhost:3000', 'localhost:8080', [], true],
    ['another site', 'https://evil.example', 'collect.shop.example', [], false],
    ['a site that only ends like ours', 'https://notshop.example', 'shop.example', [], false],
    ['another site under the same country suffix', 'https://evil.co.uk', 'collect.shop.co.uk', [], false],
    ["another site under the same hosting provider's suffix", 'https://evil.github.io', 'shop.github.io', [], false],
    [
      'an origin the source allows',
      'https://checkout.partner.example',
      'shop.example',
      ['https://checkout.partner.example'],
      true,
    ],
    [
      'an allowed host on another port',
      'https://checkout.partner.example:444',
      'shop.example',
      ['https://checkout.partner.example'],
      false,
    ],
    ['a null origin', 'null', 'shop.example', [], false],
    ['no Host header', 'https://shop.example', undefined, [], false],
  ])('%s', (_, origin, host, allowed, expected) => {
    expect(isCredentialedOrigin(origin, host, allowed)).toBe(expected);
  });
});
