import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, compressTag, matchesEtag } from './tag-asset.js';

describe('chooseEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br', 'br'],
    ['deflate', 'identity'],
    ['GZIP', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['br;q=0.8, gzip;q=0.8', 'br'],
    ['gzip;q=0, br;q=0', 'identity'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0', 'identity'],
    ['identity', 'identity'],
  ])('answers Accept-Encoding %j with %s', (header, encoding) => {
    expect(chooseEncoding(header)).toBe(encoding);
  });
});

describe('matchesEtag', () => {
  it.each([
    [undefined, false],
    ['"abc"', true],
    ['W/"abc"', true],
    ['"x", "abc"', true],
    ['*', true],
    ['"abcd"', false],
    ['abc', false],
  ])('matches If-None-Match %j against "abc": %s', (header, matches) => {
    expect(matchesEtag(header, '"abc"')).toBe(matches);
  });
});

describe('compressTag', () => {
  const source = Buffer.from('!function(){var t="tag";console.log(t,t,t,t)}();'.repeat(40));
  const asset = compressTag(source);

  it('keeps the tag in every coding, each decoding to the same bytes', () => {
    expect(asset.identity.body).toBe(source);
    expect(gunzipSync(asset.gzip.body)).toStrictEqual(source);
    expect(brotliDecompressSync(asset.br.body)).toStrictEqual(source);
    expect(asset.br.body.length).toBeLessThan(asset.gzip.body.length);
    expect(asset.gzip.body.length).toBeLessThan(source.length);
  });

  it('gives each coding its own strong ETag, from the content', () => {
    const hash = asset.identity.etag.slice(1, -1);
    expect(hash).toMatch(/^[\w-]{22}$/);
    expect([asset.identity.etag, asset.gzip.etag, asset.br.etag]).toEqual([`"${hash}"`, `"${hash}-gzip"`, `"${hash}-br"`]);
    expect(compressTag(Buffer.from(source)).identity.etag).toBe(asset.identity.etag);
    expect(compressTag(Buffer.from('other')).identity.etag).not.toBe(asset.identity.etag);
  });
});
