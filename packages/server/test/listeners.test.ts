import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BANNER } from '../src/demo/shop.js';
import { ADMIN_TOKEN, startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

// The public listener is what the shop's pages (and every script on them) share an origin with:
// nothing that acts as the admin may answer there. The admin listener has its own port.

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(() => collector.stopAndClean());

describe('the public listener', () => {
  it.each([
    ['GET', '/v1/admin/session'],
    ['POST', '/v1/admin/session'],
    ['GET', '/v1/admin/sources'],
    ['GET', '/admin/'],
    ['GET', '/debugger'],
    ['GET', '/metrics'],
    ['GET', '/snapchat-mock/__mock/requests'],
    ['POST', '/snapchat-mock/v3/x/events'],
  ])('answers 404 to %s %s, with the admin token too', async (method, path) => {
    const res = await fetch(`${collector.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: method === 'POST' ? '{}' : undefined,
      redirect: 'manual',
    });
    expect(res.status).toBe(404);
  });

  it('serves ingest, the tag, the demo shop, /healthz and /readyz', async () => {
    const statuses = await Promise.all([
      collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [{ type: 'track', event: 'Seen', anonymousId: 'a-1' }] }),
      fetch(`${collector.url}/_df.js`),
      fetch(`${collector.url}/`),
      fetch(`${collector.url}/healthz`),
      fetch(`${collector.url}/readyz`),
    ]);
    expect(statuses.map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('the admin listener', () => {
  it('is on its own port and serves the admin API, the admin UI and /metrics', async () => {
    expect(collector.adminPort).not.toBe(collector.port);
    const [sources, ui, metrics] = await Promise.all([
      collector.admin('/v1/admin/sources'),
      fetch(`${collector.adminUrl}/admin/`),
      fetch(`${collector.adminUrl}/metrics`),
    ]);
    expect([sources.status, ui.status, metrics.status]).toEqual([200, 200, 200]);
  });
});

describe("the demo's Snapchat mock", () => {
  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer not-the-admin-token-at-all' }],
  ])('refuses its inspection and fault routes with %s (401)', async (_what, headers: Record<string, string>) => {
    for (const [method, path] of [
      ['GET', '/snapchat-mock/__mock/requests'],
      ['GET', '/snapchat-mock/__mock/events'],
      ['PUT', '/snapchat-mock/__mock/faults'],
    ] as const) {
      const res = await fetch(`${collector.adminUrl}${path}`, { method, headers, body: method === 'PUT' ? '{}' : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it.each(['/snapchat-mock/./__mock/requests', '/snapchat-mock/x/../__mock/requests', '/snapchat-mock/%2e/__mock/faults'])(
    'refuses %s without the token too: dot segments are resolved before the check, as the mock resolves them',
    async (path) => {
      expect(await rawGet(collector.adminPort, path)).toMatch(/^HTTP\/1\.1 401 /);
    },
  );

  it('counts wrong tokens as failed sign-ins: past the limit it answers 429 with Retry-After, and lets the admin in', async () => {
    let refused: Response | undefined;
    for (let i = 0; i < 12 && !refused; i++) {
      const res = await fetch(`${collector.adminUrl}/snapchat-mock/__mock/requests`, {
        headers: { authorization: `Bearer wrong-token-${i}` },
      });
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(401);
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await collector.admin('/snapchat-mock/__mock/requests')).status).toBe(200);
  });

  it('shows what it received to the admin', async () => {
    const res = await collector.admin('/snapchat-mock/__mock/requests');
    expect(res.status).toBe(200);
    expect(Array.isArray(((await res.json()) as { requests: unknown }).requests)).toBe(true);
  });

  it('is where the worker sends in demo mode', () => {
    expect(collector.snapchatApiUrl).toBe(`${collector.adminUrl}/snapchat-mock`);
  });

  it.each(['/', '/index.html', '/product.html', '/cart.html', '/checkout.html', '/thanks.html'])(
    'is announced on the demo shop page %s: nothing reaches Snapchat',
    async (path) => {
      const html = await (await fetch(`${collector.url}${path}`)).text();
      expect(html).toContain(DEMO_BANNER);
      expect(DEMO_BANNER).toContain('Nothing reaches Snapchat.');
    },
  );
});

/** Opens a TCP connection to a URL's port on loopback; resolves once connected. */
function openSocket(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent before it closed the connection, and after how many ms. */
function untilClosed(socket: Socket): Promise<{ received: string; afterMs: number }> {
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve({ received, afterMs: Date.now() - started })));
}

describe('timeouts', () => {
  let slow: TestCollector;
  beforeAll(async () => {
    slow = await startTestCollector([], { DATAFIRST_HEADERS_TIMEOUT_MS: '300', DATAFIRST_BODY_TIMEOUT_MS: '600' });
  });
  afterAll(() => slow.stopAndClean());

  it('cuts a body that trickles in (slow loris) after the body timeout, with a 408', async () => {
    const socket = await openSocket(slow.url);
    const closed = untilClosed(socket);
    socket.write(
      'POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"batch":[',
    );
    const trickle = setInterval(() => socket.write(' '), 100);
    const { received, afterMs } = await closed;
    clearInterval(trickle);
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(afterMs).toBeGreaterThanOrEqual(500);
    expect(afterMs).toBeLessThan(3000);
  });

  it('cuts headers that never end after the headers timeout', async () => {
    const socket = await openSocket(slow.url);
    const closed = untilClosed(socket);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const { received, afterMs } = await closed;
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(afterMs).toBeLessThan(3000);
  });

  it('applies them on the admin listener too', async () => {
    const socket = await openSocket(slow.adminUrl);
    const closed = untilClosed(socket);
    socket.write('POST /v1/admin/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    const { received, afterMs } = await closed;
    expect(received.split('\r\n')[0]).toBe('HTTP/1.1 408 Request Timeout');
    expect(afterMs).toBeLessThan(3000);
  });
});

describe('connections per client address', () => {
  let capped: TestCollector;
  beforeAll(async () => {
    capped = await startTestCollector([], { DATAFIRST_MAX_CONNECTIONS_PER_ADDRESS: '3' });
  });
  afterAll(() => capped.stopAndClean());

  it('closes a connection over the cap at once, and takes one again when another ends', async () => {
    const held = await Promise.all([openSocket(capped.url), openSocket(capped.url), openSocket(capped.url)]);
    // Accepted by the kernel, then closed by the server before it reads a byte.
    const fourth = await openSocket(capped.url);
    const refused = untilClosed(fourth);
    fourth.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await refused).received).toBe('');

    const first = held.shift()!;
    const firstClosed = untilClosed(first);
    first.destroy();
    await firstClosed;
    await expect.poll(async () => (await fetch(`${capped.url}/healthz`)).status).toBe(200);
    for (const socket of held) socket.destroy();
  });

  it('caps only the public listener: the admin stays reachable', async () => {
    const held = await Promise.all([openSocket(capped.url), openSocket(capped.url), openSocket(capped.url)]);
    expect((await capped.admin('/v1/admin/sources')).status).toBe(200);
    for (const socket of held) socket.destroy();
  });
});

/** A GET sent byte for byte as written (fetch would resolve the dot segments itself); the status line and headers. */
function rawGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}
