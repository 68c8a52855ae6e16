import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

// What Segment's and RudderStack's clients send, as they send it: every spec type, short paths,
// compressed bodies, preflights asking for their own headers, RudderStack's source config.
let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector(['--no-worker']);
});
afterAll(() => collector.stopAndClean());

interface StoredEvent {
  message: Record<string, any>;
  deliveries: { status: string; reason_code: string | null }[];
}

async function storedEvent(messageId: string): Promise<StoredEvent | undefined> {
  const res = await collector.admin('/v1/admin/events?limit=500');
  const { events } = (await res.json()) as { events: StoredEvent[] };
  return events.find((event) => event.message.messageId === messageId);
}

const track = (messageId: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Product Viewed',
  anonymousId: 'anon-eco',
  messageId,
  ...extra,
});

function postBytes(path: string, body: Buffer | string, headers: Record<string, string>): Promise<Response> {
  return fetch(collector.url + path, { method: 'POST', body, headers });
}

describe('every Segment spec type, on every path', () => {
  it.each([
    ['/v1/track', { event: 'Signed Up' }, 'track'],
    ['/v1/t', { event: 'Signed Up' }, 'track'],
    ['/v1/page', { name: 'Home' }, 'page'],
    ['/v1/p', { name: 'Home' }, 'page'],
    ['/v1/screen', { name: 'Cart' }, 'screen'],
    ['/v1/s', { name: 'Cart' }, 'screen'],
    ['/v1/identify', { traits: { email: 'a@b.co' } }, 'identify'],
    ['/v1/i', { traits: { email: 'a@b.co' } }, 'identify'],
    ['/v1/group', { groupId: 'g-1', traits: { plan: 'pro' } }, 'group'],
    ['/v1/g', { groupId: 'g-1', traits: { plan: 'pro' } }, 'group'],
    ['/v1/alias', { previousId: 'anon-eco', userId: 'u-eco' }, 'alias'],
    ['/v1/a', { previousId: 'anon-eco', userId: 'u-eco' }, 'alias'],
  ])('%s stores a %s call', async (path, fields, type) => {
    const messageId = `path-${path.replaceAll('/', '-')}`;
    const res = await collector.post(path, { writeKey: WRITE_KEY, anonymousId: 'anon-eco', messageId, ...fields });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect((await storedEvent(messageId))?.message.type).toBe(type);
  });

  it("takes batches on /v1/b and on RudderStack's /beacon/v1/batch with ?writeKey=", async () => {
    expect((await collector.post('/v1/b', { writeKey: WRITE_KEY, batch: [track('short-batch-1')] })).status).toBe(200);
    expect((await collector.post(`/beacon/v1/batch?writeKey=${WRITE_KEY}`, { batch: [track('beacon-1')] })).status).toBe(200);
    expect((await storedEvent('short-batch-1'))?.message.event).toBe('Product Viewed');
    expect((await storedEvent('beacon-1'))?.message.event).toBe('Product Viewed');
  });

  it('keeps group traits on the event, routes a screen like a page, and sends neither group nor alias', async () => {
    await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      batch: [
        { type: 'group', messageId: 'kinds-group', userId: 'u-1', groupId: 'acme', traits: { name: 'Acme', plan: 'pro' } },
        { type: 'alias', messageId: 'kinds-alias', userId: 'u-1', previousId: 'anon-1' },
        { type: 'screen', messageId: 'kinds-screen', anonymousId: 'anon-1', name: 'Checkout' },
      ],
    });
    const group = await storedEvent('kinds-group');
    expect(group?.message.traits).toEqual({ name: 'Acme', plan: 'pro' });
    expect(group?.deliveries).toEqual([]);
    expect((await storedEvent('kinds-alias'))?.deliveries).toEqual([]);
    expect((await storedEvent('kinds-screen'))?.deliveries.map((d) => d.status)).toEqual(['pending']);
  });
});

describe('compressed bodies', () => {
  const body = (messageId: string) => JSON.stringify({ writeKey: WRITE_KEY, batch: [track(messageId)] });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('decompresses %s whatever the content type claims', async (encoding, compress) => {
    const messageId = `compressed-${encoding}`;
    const res = await postBytes('/v1/batch', compress(body(messageId)), {
      'content-encoding': encoding,
      // rudder-sdk-node labels its gzipped JSON so.
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    expect((await storedEvent(messageId))?.message.event).toBe('Product Viewed');
  });

  it('refuses a decompression bomb with 413, measuring the decompressed size', async () => {
    // 10 KB of gzip that would inflate to 64 MB.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const res = await postBytes('/v1/batch', bomb, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ success: false, error: 'request body larger than 4194304 bytes' });
  });

  it('refuses an unknown encoding with 415 and a body that is not what it claims with 400', async () => {
    const unknown = await postBytes('/v1/batch', body('compressed-zstd'), { 'content-encoding': 'zstd' });
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toEqual({
      success: false,
      error: 'unsupported Content-Encoding "zstd": send gzip, deflate, br or none',
    });
    const corrupt = await postBytes('/v1/batch', body('compressed-corrupt'), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(((await corrupt.json()) as { error: string }).error).toBe(
      'body could not be decompressed as gzip: incorrect header check',
    );
  });
});

describe('CORS preflight', () => {
  it('allows the headers the request asks for, as analytics-next and RudderStack send them', async () => {
    const res = await fetch(`${collector.url}/v1/t`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-retry-count,anonymousid,sentat',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,x-retry-count,anonymousid,sentat');
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });
});

describe("RudderStack's source config", () => {
  it('answers GET /sourceConfig/?writeKey= with the source and no device-mode destinations', async () => {
    const res = await fetch(`${collector.url}/sourceConfig/?p=npm&v=3.34.1&build=modern&writeKey=${WRITE_KEY}`, {
      headers: { origin: 'https://shop.example' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const answer = (await res.json()) as { source: Record<string, unknown> };
    expect(answer.source).toEqual({
      id: collector.source!.id,
      name: collector.source!.name,
      enabled: true,
      workspaceId: 'datafirst',
      config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
      destinations: [],
    });
    const unknown = await fetch(`${collector.url}/sourceConfig?writeKey=wk_nope`);
    expect(unknown.status).toBe(401);
  });
});

describe("the sender's integrations object", () => {
  it.each([
    ['All: false', { All: false }, 'skipped', 'excluded_by_sender'],
    ["Segment's destination name switched off", { 'Snap Conversions Api': false }, 'skipped', 'excluded_by_sender'],
    ['All: false but Snapchat: true', { All: false, Snapchat: true }, 'pending', null],
    ['All: true', { All: true }, 'pending', null],
  ])('%s → %s', async (_, integrations, status, reasonCode) => {
    const messageId = `integrations-${JSON.stringify(integrations)}`;
    await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track(messageId, { integrations })] });
    const stored = await storedEvent(messageId);
    expect(stored?.deliveries.map((d) => [d.status, d.reason_code])).toEqual([[status, reasonCode]]);
  });

  it("applies the batch's integrations to each of its messages, a message's own entries winning", async () => {
    await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      integrations: { All: false },
      batch: [track('batch-integrations-off'), track('batch-integrations-own', { integrations: { Snapchat: true } })],
    });
    const statuses = async (id: string) => (await storedEvent(id))?.deliveries.map((d) => [d.status, d.reason_code]);
    expect(await statuses('batch-integrations-off')).toEqual([['skipped', 'excluded_by_sender']]);
    expect(await statuses('batch-integrations-own')).toEqual([['pending', null]]);
  });
});

describe('time and IP', () => {
  it('takes originalTimestamp, corrected by sentAt, and the first valid IP of a list in context.ip', async () => {
    await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      sentAt: new Date(Date.now() + 3_600_000).toISOString(),
      batch: [
        track('rudder-time', {
          originalTimestamp: new Date(Date.now() + 3_600_000 - 60_000).toISOString(),
          context: { ip: 'unknown, 203.0.113.9, 10.0.0.1' },
        }),
      ],
    });
    const stored = await storedEvent('rudder-time');
    // A sender one hour fast: the event happened a minute before receipt.
    const lag = Date.parse(stored!.message.receivedAt) - Date.parse(stored!.message.timestamp);
    expect(lag).toBeGreaterThanOrEqual(59_000);
    expect(lag).toBeLessThanOrEqual(61_000);
    expect(stored?.message.context.ip).toBe('203.0.113.9');
  });
});

describe('configured limits', () => {
  it('refuses what is over --max-batch-bytes with 413 and lists a message over --max-message-bytes', async () => {
    const small = await startTestCollector(['--no-worker', '--max-batch-bytes', '4096', '--max-message-bytes', '1024']);
    try {
      const over = await small.post('/v1/batch', {
        writeKey: WRITE_KEY,
        batch: [track('limit-big', { properties: { x: 'y'.repeat(5000) } })],
      });
      expect(over.status).toBe(413);
      expect(await over.json()).toEqual({ success: false, error: 'request body larger than 4096 bytes' });
      const mixed = await small.post('/v1/batch', {
        writeKey: WRITE_KEY,
        batch: [track('limit-ok'), track('limit-message', { properties: { x: 'y'.repeat(1100) } })],
      });
      expect(mixed.status).toBe(200);
      expect(await mixed.json()).toEqual({
        success: true,
        accepted: 1,
        rejected: [{ index: 1, messageId: 'limit-message', errors: ['message: larger than 1024 bytes'] }],
      });
    } finally {
      await small.stopAndClean();
    }
  });
});
