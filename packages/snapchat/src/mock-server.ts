import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { MockTokenMap } from './mock-auth.js';
import {
  createMockFaultQueue,
  jsonReply,
  mockFaultReply,
  type MockFault,
  type MockFaultSpec,
  type MockReply,
} from './mock-faults.js';
import { handleMockRoute, matchMockRoute, type MockRoute } from './mock-routes.js';
import { createMockStore, type MockEvent, type MockEventFilter, type MockRequest, type MockStore } from './mock-store.js';

export type { MockTokenMap } from './mock-auth.js';
export type { MockFault, MockFaultMode, MockFaultRoute, MockFaultSpec } from './mock-faults.js';
export type { MockEvent, MockEventFilter, MockRecordedResponse, MockRequest, MockRouteName } from './mock-store.js';
export { MOCK_SUCCESS_REASON } from './mock-routes.js';

/** How to build a Snapchat mock. */
export interface SnapchatMockOptions {
  /** The mock's clock, for event-time and dedup windows (default: the real clock). */
  now?: () => Date;
  /** Access token → allowed asset ids. Omitted = demo mode: any non-empty token is accepted. */
  tokens?: MockTokenMap;
  /** Where the mock is mounted inside another server, e.g. `/snapchat-mock`. */
  basePath?: string;
  /** Largest body accepted before answering 413 (default 10 MB; Snap documents no limit). */
  maxBodyBytes?: number;
  /** Decides probabilistic faults (default Math.random). */
  random?: () => number;
  /** Most requests kept for inspection, oldest dropped first (default 10 000). */
  maxRequests?: number;
  /** Most accepted events kept, oldest dropped first (default 100 000). */
  maxEvents?: number;
}

/** What the mock saw and how it misbehaves, readable and settable from tests. */
export interface SnapchatMockState {
  /** Every request to a Snapchat path (not the control routes), in arrival order. */
  requests(): MockRequest[];
  clearRequests(): void;
  /** Accepted events, in arrival order. */
  events(filter?: MockEventFilter): MockEvent[];
  /** Forgets accepted events, test-event logs and the dedup windows. */
  clearEvents(): void;
  /** Replaces the armed faults; throws a TypeError for a bad spec. */
  setFaults(faults: MockFault | MockFault[]): void;
  clearFaults(): void;
  /** The armed faults, with what is left of their counts. */
  faults(): MockFaultSpec[];
}

/** A mock that can be mounted as a node request handler inside another server. */
export interface SnapchatMockHandler extends SnapchatMockState {
  /** Serves the Snapchat paths and the `/__mock/*` control routes; strips `basePath` when present. */
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

/** A mock listening on its own port. */
export interface SnapchatMock extends SnapchatMockState {
  /** Base URL to use as `SNAPCHAT_API_URL`, including `basePath`. */
  url: string;
  port: number;
  /** Stops listening and destroys open connections, hanging ones included. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const CONTROL_PREFIX = '/__mock/';

/** Creates a Snapchat-faithful mock (docs/snapchat-capi.md §8) as a node request handler plus its state. */
export function createSnapchatMock(options: SnapchatMockOptions = {}): SnapchatMockHandler {
  const now = options.now ?? (() => new Date());
  const basePath = normalizeBasePath(options.basePath);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const store = createMockStore({ maxRequests: options.maxRequests ?? 10_000, maxEvents: options.maxEvents ?? 100_000 });
  const faults = createMockFaultQueue(options.random);

  const state: SnapchatMockState = {
    requests: () => store.requests(),
    clearRequests: () => store.clearRequests(),
    events: (filter) => store.events(filter),
    clearEvents: () => store.clearEvents(),
    setFaults: (list) => faults.set(list),
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
  };

  async function serveSnapchat(req: http.IncomingMessage, res: http.ServerResponse, url: URL, path: string): Promise<void> {
    const route = matchMockRoute(path);
    const body = await readBody(req, maxBodyBytes);
    const record = store.addRequest({
      receivedAt: now().toISOString(),
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: definedHeaders(req.headers),
      bodyBytes: body.bytes,
      rawBody: body.text,
      body: parseJsonOrUndefined(body.text),
      route: route?.name ?? null,
      assetId: route?.assetId ?? url.searchParams.get('asset_id') ?? null,
      fault: null,
      response: null,
    });
    const reply = (answer: MockReply): void => {
      record.response = { status: answer.status, headers: answer.headers, body: parseJsonOrText(answer.text) };
      writeReply(res, answer);
    };

    if (route === undefined) return reply(jsonReply(404, { status: 'FAILED', reason: 'Not found' }));
    if (req.method !== route.method) {
      return reply(jsonReply(405, { status: 'FAILED', reason: 'Method not allowed' }, { allow: route.method }));
    }
    if (body.tooLarge) return reply(jsonReply(413, { status: 'INVALID', reason: 'Request body too large' }));

    // Faults stand for trouble in front of Snap, so they strike before auth and validation.
    const faultKind = faultRoute(route);
    const fault = faultKind === undefined ? undefined : faults.take(faultKind);
    record.fault = fault ?? null;
    if (fault?.mode === 'status' || fault?.mode === 'rate_limit') return reply(mockFaultReply(fault));
    if (fault?.mode === 'hang') return;
    if (fault?.mode === 'reset') return void req.socket.destroy();
    if (fault?.mode === 'delay') {
      const stillOpen = await waitUnlessClosed(res, fault.ms ?? 0);
      if (!stillOpen) return;
    }

    const nowMs = now().getTime();
    const outcome = handleMockRoute({
      route,
      query: url.searchParams,
      authorization: req.headers.authorization,
      rawBody: body.text,
      nowMs,
      tokens: options.tokens,
      store,
    });
    if (record.assetId === null) record.assetId = outcome.assetId;
    for (const accepted of outcome.accepted) store.accept(accepted, record.id, nowMs);
    for (const entry of outcome.testLogs) store.logTestEvent(entry);
    // Accepted, then cut off before the answer: the sender must retry with the same event_ids.
    if (fault?.mode === 'reset_after_accept') return void req.socket.destroy();
    reply(outcome.reply);
  }

  async function serveControl(req: http.IncomingMessage, res: http.ServerResponse, url: URL, path: string): Promise<void> {
    const body = await readBody(req, maxBodyBytes);
    writeReply(res, controlReply(req.method ?? 'GET', path, url.searchParams, body, store, faults));
  }

  return {
    ...state,
    handle(req, res) {
      const url = new URL(stripBasePath(req.url ?? '/', basePath), 'http://mock.invalid');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const serve = path.startsWith(CONTROL_PREFIX) ? serveControl : serveSnapchat;
      serve(req, res, url, path).catch((error: unknown) => {
        if (res.headersSent || res.destroyed) return void res.destroy();
        writeReply(res, jsonReply(500, { status: 'FAILED', reason: `Mock error: ${String(error)}` }));
      });
    },
  };
}

/** Starts a mock on its own HTTP server (port 0 picks a free port; host defaults to 127.0.0.1). */
export async function startSnapchatMock(
  options: SnapchatMockOptions & { port?: number; host?: string } = {},
): Promise<SnapchatMock> {
  const { port: wantedPort = 0, host = '127.0.0.1', ...mockOptions } = options;
  const { handle, ...state } = createSnapchatMock(mockOptions);
  const sockets = new Set<Socket>();
  const server = http.createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    ...state,
    url: `http://${urlHost(host)}:${port}${normalizeBasePath(options.basePath)}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging and keep-alive connections would hold close() open for ever.
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

function controlReply(
  method: string,
  path: string,
  query: URLSearchParams,
  body: RequestBody,
  store: MockStore,
  faults: ReturnType<typeof createMockFaultQueue>,
): MockReply {
  const resource = path.slice(CONTROL_PREFIX.length);
  const allowed: Record<string, string[]> = {
    requests: ['GET', 'DELETE'],
    events: ['GET', 'DELETE'],
    faults: ['GET', 'PUT', 'DELETE'],
  };
  if (!Object.hasOwn(allowed, resource)) return jsonReply(404, { error: `no control route ${path}` });
  const methods = allowed[resource]!; // an own key: checked just above
  if (!methods.includes(method)) {
    return jsonReply(405, { error: `${method} is not allowed on ${path}` }, { allow: methods.join(', ') });
  }
  if (method === 'DELETE') {
    if (resource === 'requests') store.clearRequests();
    else if (resource === 'events') store.clearEvents();
    else faults.clear();
    return { status: 204, headers: {}, text: '' };
  }
  if (resource === 'requests') return jsonReply(200, { requests: store.requests() });
  if (resource === 'events') {
    const filter: MockEventFilter = {};
    const assetId = query.get('assetId');
    if (assetId) filter.assetId = assetId;
    const test = query.get('test');
    if (test === 'true' || test === 'false') filter.test = test === 'true';
    else if (test !== null) return jsonReply(400, { error: 'test must be true or false' });
    return jsonReply(200, { events: store.events(filter) });
  }
  if (method === 'PUT') {
    if (body.tooLarge) return jsonReply(413, { error: 'body too large' });
    try {
      faults.set(JSON.parse(body.text) as MockFault | MockFault[]);
    } catch (error) {
      const message = error instanceof SyntaxError ? 'body is not valid JSON' : (error as Error).message;
      return jsonReply(400, { error: message });
    }
  }
  return jsonReply(200, { faults: faults.list() });
}

function faultRoute(route: MockRoute): 'send' | 'validate' | undefined {
  return route.kind === 'send' || route.kind === 'validate' ? route.kind : undefined;
}

interface RequestBody {
  text: string;
  bytes: number;
  tooLarge: boolean;
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<RequestBody> {
  // Mounted behind a body parser, the stream is already spent: fall back to what it parsed.
  if (req.readableEnded) {
    const parsed = (req as { body?: unknown }).body;
    let text = '';
    if (typeof parsed === 'string') text = parsed;
    else if (Buffer.isBuffer(parsed)) text = parsed.toString('utf8');
    else if (parsed !== undefined) text = JSON.stringify(parsed);
    const bytes = Buffer.byteLength(text);
    return { text, bytes, tooLarge: bytes > limit };
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Past the limit keep draining, so the client reads our 413 instead of a reset.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= limit) chunks.push(chunk);
    else chunks.length = 0;
  }
  const tooLarge = bytes > limit;
  return { text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), bytes, tooLarge };
}

function waitUnlessClosed(res: http.ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

function writeReply(res: http.ServerResponse, reply: MockReply): void {
  if (res.destroyed) return;
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.status !== 204) headers['content-length'] = Buffer.byteLength(reply.text);
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : reply.text);
}

function definedHeaders(headers: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value;
  return result;
}

function parseJsonOrUndefined(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseJsonOrText(text: string): unknown {
  return text === '' ? undefined : (parseJsonOrUndefined(text) ?? text);
}

function normalizeBasePath(basePath: string | undefined): string {
  const trimmed = (basePath ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

// Express strips its mount path before calling us; a plain node server does not. Handle both.
function stripBasePath(url: string, basePath: string): string {
  if (basePath === '' || !url.startsWith(basePath)) return url;
  const rest = url.slice(basePath.length);
  if (rest === '') return '/';
  return rest.startsWith('/') || rest.startsWith('?') ? rest : url;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
