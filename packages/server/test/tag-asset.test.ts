// The browser tag as the running collector serves it: precompressed, with an ETag.
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageFile } from '../src/package-files.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
const tag = readFileSync(packageFile('@datafirst/tag', 'dist', '_df.js'));

beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(async () => {
  await collector?.stopAndClean();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw request for the tag (fetch would decompress the body and hide its coding). */
function getTag(headers: Record<string, string>, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${collector.url}/_df.js`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The headers every answer for the tag carries. */
const common = {
  'cache-control': 'public, max-age=300',
  'content-type': 'text/javascript; charset=utf-8',
  vary: 'Accept-Encoding',
};

describe('GET /_df.js', () => {
  it('serves the tag as built to a client that accepts no compression', async () => {
    const answer = await getTag({ 'accept-encoding': 'identity' });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ ...common, 'content-length': String(tag.length) });
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers.etag).toMatch(/^"[\w-]{22}"$/);
    expect(answer.body).toStrictEqual(tag);
  });

  it('serves it gzipped to a client that accepts gzip only', async () => {
    const answer = await getTag({ 'accept-encoding': 'gzip, deflate' });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ ...common, 'content-encoding': 'gzip', 'content-length': String(answer.body.length) });
    expect(answer.headers.etag).toMatch(/^"[\w-]{22}-gzip"$/);
    expect(gunzipSync(answer.body)).toStrictEqual(tag);
  });

  it('serves it brotli-compressed to a browser, smaller than gzip', async () => {
    const answer = await getTag({ 'accept-encoding': 'gzip, deflate, br, zstd' });
    const gzipped = await getTag({ 'accept-encoding': 'gzip' });
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({ ...common, 'content-encoding': 'br', 'content-length': String(answer.body.length) });
    expect(answer.headers.etag).toMatch(/^"[\w-]{22}-br"$/);
    expect(brotliDecompressSync(answer.body)).toStrictEqual(tag);
    expect(answer.body.length).toBeLessThan(gzipped.body.length);
  });

  it('answers 304 without a body when the browser holds the same representation', async () => {
    const first = await getTag({ 'accept-encoding': 'br' });
    const again = await getTag({ 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.headers).toMatchObject({ etag: first.headers.etag, vary: 'Accept-Encoding' });
    expect(again.body.length).toBe(0);
    // Another coding is another representation: it is sent in full.
    const gzip = await getTag({ 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) });
    expect(gzip.status).toBe(200);
    expect(gunzipSync(gzip.body)).toStrictEqual(tag);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await getTag({ 'accept-encoding': 'gzip, br' });
    const head = await getTag({ 'accept-encoding': 'gzip, br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers).toMatchObject({
      ...common,
      'content-encoding': 'br',
      'content-length': String(get.body.length),
      etag: get.headers.etag,
    });
    expect(head.body.length).toBe(0);
  });
});
