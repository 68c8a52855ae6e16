import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A shop on another origin than the collector's (another port, so every CORS rule applies, on
// the loopback address as Chromium's Private Network Access rules want), carrying a third-party
// analytics library's browser bundle exactly as npm ships it.

/** The directory of an npm package installed at the repository's root. */
export function packageDir(name: string): string {
  return fileURLToPath(new URL(`../../node_modules/${name}`, import.meta.url));
}

/** A running shop: its origin, and how to stop it. */
export interface ShopServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Starts a shop on 127.0.0.1 that answers every page with `body` and `/vendor/<file>` from
 * `vendorDir`, the library's bundle folder, as a site owner would host it.
 */
export async function startShop(vendorDir: string, body: string): Promise<ShopServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://shop').pathname;
    if (path.startsWith('/vendor/')) {
      try {
        const file = readFileSync(join(vendorDir, path.slice('/vendor/'.length).replaceAll('..', '')));
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(file);
      } catch {
        res.writeHead(404).end('not found');
      }
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(`<!doctype html><html><head><meta charset="utf-8"><title>Checkout</title></head><body>${body}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
