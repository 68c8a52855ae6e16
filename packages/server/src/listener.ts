import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capConnectionsPerAddress } from './connection-cap.js';

/** How long a client may take, on any listener: Node's defaults would hold a slow body for 300 s. */
export interface ListenerTimeouts {
  /** Until the request's headers have arrived. */
  headersTimeoutMs: number;
  /** Until the whole request, body included, has arrived. */
  bodyTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  idleTimeoutMs: number;
}

export interface ListenOptions extends ListenerTimeouts {
  port: number;
  host: string;
  /** Open connections one client address may hold; unset, no cap. */
  maxConnectionsPerAddress?: number;
}

/** A listening HTTP server and the URL this machine reaches it at. */
export interface Listener {
  server: Server;
  port: number;
  url: string;
}

/** Starts an HTTP server for `handler` with the given timeouts and connection cap; resolves once it listens. */
export async function listen(handler: RequestListener, options: ListenOptions): Promise<Listener> {
  const server = createServer(
    {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: options.bodyTimeoutMs,
      keepAliveTimeout: options.idleTimeoutMs,
      // How often Node checks the two timeouts above (30 s by default, which would stretch them).
      connectionsCheckingInterval: Math.min(1000, Math.ceil(options.headersTimeoutMs / 2)),
    },
    handler,
  );
  if (options.maxConnectionsPerAddress !== undefined) capConnectionsPerAddress(server, options.maxConnectionsPerAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return { server, port, url: `http://${localHostOf(options.host)}:${port}` };
}

/** The host this machine reaches a bound address at: a wildcard address is reached as localhost. */
export function localHostOf(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** How often a closing listener closes the connections that have gone idle since. */
const CLOSING_SWEEP_MS = 100;

/**
 * Stops accepting and resolves once the connections in flight have finished. A client that keeps
 * sending on its kept-alive connection would otherwise keep the listener open for as long as it
 * sends: every answer from now on says `Connection: close`, and the connections that go idle are
 * closed as they do.
 */
export function closeListener(listener: Listener): Promise<void> {
  const { server } = listener;
  server.prependListener('request', (_req, res) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  });
  return new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), CLOSING_SWEEP_MS);
    server.close(() => {
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
