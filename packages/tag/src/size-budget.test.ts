import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { distFile } from './testing/dist-files.js';

// gzip at zlib's default level, as the collector's compression middleware serves it.
const gzipBytes = (text: string) => gzipSync(text).length;

describe('the size budget', () => {
  // 2,600 with js-cookie bundled, the cookie library of the project's stack, and 50 more for
  // keeping events flowing: no user id the collector would refuse is kept, and a page of another
  // site falls back to sending without credentials.
  it('keeps _df.js within 2,650 bytes minified and gzipped', () => {
    expect(gzipBytes(distFile('_df.js'))).toBeLessThanOrEqual(2650);
  });

  it('keeps the paste-in snippet within 300 bytes', () => {
    expect(Buffer.byteLength(distFile('snippet.html'))).toBeLessThanOrEqual(300);
  });
});
