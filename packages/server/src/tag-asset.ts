// Serves the browser tag (_df.js). Every page of a site loads it, so it is compressed once, when the
// collector starts, and each request only picks the bytes its Accept-Encoding allows.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { RequestHandler } from 'express';

/** A content coding the tag is served in. */
export type TagEncoding = 'br' | 'gzip' | 'identity';

/** One representation of the tag: its bytes and their strong ETag. */
export interface TagRepresentation {
  body: Buffer;
  etag: string;
}

/** The tag in every coding it is served in. */
export type TagAsset = Record<TagEncoding, TagRepresentation>;

/**
 * The tag's bytes as they are, gzipped and brotli-compressed, each at its smallest (the work is
 * done once). Each coding is a different representation, so each gets its own strong ETag, derived
 * from the tag's content: it changes when the tag does, and is the same on every collector.
 */
export function compressTag(source: Buffer): TagAsset {
  const hash = createHash('sha256').update(source).digest('base64url').slice(0, 22);
  const brotli = brotliCompressSync(source, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: source.length,
    },
  });
  return {
    identity: { body: source, etag: `"${hash}"` },
    gzip: { body: gzipSync(source, { level: 9 }), etag: `"${hash}-gzip"` },
    br: { body: brotli, etag: `"${hash}-br"` },
  };
}

/** Reads the built tag from `file` and compresses it; throws, saying how to build it, when it is missing. */
export function loadTagAsset(file: string): TagAsset {
  let source: Buffer;
  try {
    source = readFileSync(file);
  } catch (error) {
    throw new Error(`the browser tag ${file} is missing: run \`npm run build\``, { cause: error });
  }
  return compressTag(source);
}

/**
 * The coding to answer an `Accept-Encoding` header with: the acceptable one (q > 0) of highest
 * weight among br and gzip, br on a tie (it is smaller); `*` stands for a coding not named; no
 * header, or neither acceptable, is identity.
 */
export function chooseEncoding(acceptEncoding: string | undefined): TagEncoding {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [coding = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const q = params.find((param) => param.startsWith('q='));
    if (coding) weights.set(coding, q ? Number(q.slice(2)) || 0 : 1);
  }
  const weight = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  const [br, gzip] = [weight('br'), weight('gzip')];
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

/** Whether an `If-None-Match` header names `etag` (or is `*`), by the weak comparison RFC 9110 asks for. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * The handler of `GET` (and `HEAD`) for the tag: the representation `Accept-Encoding` allows, with
 * `Vary: Accept-Encoding` so that caches keep one per coding, its ETag, and `304 Not Modified` when
 * the browser already holds it. Browsers keep it 5 minutes, so a new tag reaches every page soon.
 */
export function serveTagAsset(asset: TagAsset): RequestHandler {
  return (req, res) => {
    const encoding = chooseEncoding(req.headers['accept-encoding']);
    const { body, etag } = asset[encoding];
    res.set({
      'Cache-Control': 'public, max-age=300',
      'Content-Type': 'text/javascript; charset=utf-8',
      Vary: 'Accept-Encoding',
      ETag: etag,
    });
    if (matchesEtag(req.headers['if-none-match'], etag)) return void res.status(304).end();
    if (encoding !== 'identity') res.set('Content-Encoding', encoding);
    res.set('Content-Length', String(body.length));
    // Node sends no body in answer to HEAD, but the headers of the GET.
    res.end(body);
  };
}
