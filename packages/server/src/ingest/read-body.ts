import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** Why a body could not be read; `status` is the HTTP answer that says so. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

// Each accepted Content-Encoding and its streaming decoder. `deflate` is the zlib format, as
// HTTP defines it (RFC 9110 §8.4.1.2).
const DECODERS: Readonly<Record<string, () => NodeJS.ReadWriteStream>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/**
 * Reads a request body whatever its content type claims (the tag sends text/plain to avoid a
 * CORS preflight; rudder-sdk-node gzips JSON labelled application/x-www-form-urlencoded),
 * decompressing `Content-Encoding: gzip | deflate | br` as it streams. The limit applies to the
 * decompressed bytes, and reading stops as soon as it is passed, so a decompression bomb is
 * refused (413) without ever being inflated into memory. Unknown encodings get 415.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const identity = encoding === 'identity' || encoding === '';
  const createDecoder = identity ? undefined : DECODERS[encoding];
  if (!identity && !createDecoder) {
    req.resume();
    return Promise.reject(new BodyError(415, `unsupported Content-Encoding "${encoding}": send gzip, deflate, br or none`));
  }
  const tooLarge = () => new BodyError(413, `request body larger than ${maxBytes} bytes`);
  // Compressed data this large is never a legitimate batch, decompressed or not.
  if (Number(req.headers['content-length']) > maxBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  const decoder = createDecoder?.();
  return new Promise((resolve, reject) => {
    const decoded: Readable = decoder ? (req.pipe(decoder) as unknown as Readable) : req;
    const chunks: Buffer[] = [];
    let size = 0;
    let received = 0;
    let settled = false;
    const fail = (error: BodyError) => {
      if (settled) return;
      settled = true;
      req.unpipe();
      if (decoded !== req) decoded.destroy();
      // Drain what the client still sends, so it reads our answer rather than a reset.
      req.resume();
      reject(error);
    };
    if (decoder) {
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) fail(tooLarge());
      });
    }
    decoded.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        fail(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    decoded.on('end', () => {
      if (settled) return;
      settled = true;
      // Most bodies arrive in one chunk: no copy of it.
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    decoded.on('error', (error: Error) => {
      if (decoded === req) {
        if (!settled) {
          settled = true;
          reject(error);
        }
        return;
      }
      fail(new BodyError(400, `body could not be decompressed as ${encoding}: ${error.message}`));
    });
    if (decoder) {
      req.on('error', (error) => {
        if (!settled) {
          settled = true;
          reject(error);
        }
      });
    }
  });
}
