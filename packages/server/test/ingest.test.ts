import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  // The worker is off: these tests look at what the collector stores, not what it sends.
  collector = await startTestCollector(['--no-worker']);
});
afterAll(() => collector.stopAndClean());

const track = (messageId: string, extra: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Product Viewed',
  anonymousId: 'anon-1',
  messageId,
  properties: { product_id: 'SKU-1' },
  ...extra,
});

async function storedMessageIds(): Promise<string[]> {
  const res = await collector.admin('/v1/admin/events?limit=500');
  const body = (await res.json()) as { events: { message: { messageId: string } }[] };
  return body.events.map((e) => e.message.messageId);
}

describe('POST /v1/batch', () => {
  it('stores a valid batch and answers 200 {"success":true}', async () => {
    const res = await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track('ok-1'), track('ok-2')] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect(await storedMessageIds()).toEqual(expect.arrayContaining(['ok-1', 'ok-2']));
  });

  it('accepts text/plain bodies, as the browser tag sends them to avoid a CORS preflight', async () => {
    const res = await collector.post('/v1/batch', JSON.stringify({ writeKey: WRITE_KEY, batch: [track('plain-1')] }), {
      'content-type': 'text/plain;charset=UTF-8',
    });
    expect(res.status).toBe(200);
    expect(await storedMessageIds()).toContain('plain-1');
  });

  it('takes the write key as the Basic auth user (the scheme in any case) or as ?writeKey=', async () => {
    const basic = `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`;
    expect((await collector.post('/v1/batch', { batch: [track('basic-1')] }, { authorization: basic })).status).toBe(200);
    const lower = basic.replace('Basic', 'basic');
    expect((await collector.post('/v1/batch', { batch: [track('basic-2')] }, { authorization: lower })).status).toBe(200);
    expect((await collector.post(`/v1/batch?writeKey=${WRITE_KEY}`, { batch: [track('query-1')] })).status).toBe(200);
    expect(await storedMessageIds()).toEqual(expect.arrayContaining(['basic-1', 'basic-2', 'query-1']));
  });

  it('refuses an unknown key in the Authorization header before reading the body', async () => {
    // Read and parsed, this body would be a 400: the 401 comes first, for no decompression and no parse.
    const basic = `Basic ${Buffer.from('wk_unknown:').toString('base64')}`;
    const res = await collector.post('/v1/batch', '{"batch": [', { authorization: basic });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ success: false, error: 'unknown write key' });
  });

  it("answers malformed JSON with 400 and the parser's reason, and stores nothing", async () => {
    const res = await collector.post('/v1/batch', '{"batch": [', { 'content-type': 'text/plain' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { success: boolean; error: string };
    expect(body.success).toBe(false);
    expect(body.error).toMatch(/^malformed JSON: /);
  });

  it('refuses properties nested 3,000 deep with 400 naming the depth limit, and takes 32 levels', async () => {
    // The message is level 1 and its properties, the outermost of nested(n), level 2: nested(31) makes 32.
    const nested = (levels: number): unknown => {
      let value: unknown = 'bottom';
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    const deep = await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      batch: [track('deep-1', { properties: nested(3000) })],
    });
    expect(deep.status).toBe(400);
    expect(await deep.json()).toEqual({
      success: false,
      error: 'JSON nested too deeply: a message may nest objects and arrays at most 32 levels',
    });
    const single = await collector.post('/v1/track', { writeKey: WRITE_KEY, ...track('deep-2', { properties: nested(32) }) });
    expect(single.status).toBe(400);
    const atLimit = await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      batch: [track('deep-3', { properties: nested(31) })],
    });
    expect(atLimit.status).toBe(200);
    const stored = await storedMessageIds();
    expect(stored).toContain('deep-3');
    expect(stored).not.toContain('deep-1');
    expect(stored).not.toContain('deep-2');
  });

  it('refuses a body with bytes that are not UTF-8 with 400 saying so', async () => {
    const text = JSON.stringify({ writeKey: WRITE_KEY, batch: [track('latin1-1', { properties: { name: 'JOSÉ' } })] });
    const bytes = Buffer.from(text, 'latin1'); // É as the single byte 0xC9: not UTF-8
    const res = await fetch(collector.url + '/v1/batch', {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ success: false, error: 'body is not valid UTF-8: send JSON encoded as UTF-8' });
    expect(await storedMessageIds()).not.toContain('latin1-1');
  });

  it('answers with a Content-Length, not chunked, so the whole answer is one write', async () => {
    const res = await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track('length-1')] });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('16');
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(await res.text()).toBe('{"success":true}');
    const refused = await collector.post('/v1/batch', '{"batch": [', { 'content-type': 'text/plain' });
    expect(Number(refused.headers.get('content-length'))).toBe(Buffer.byteLength(await refused.text()));
    expect(refused.headers.get('transfer-encoding')).toBeNull();
  });

  it('takes a UTF-8 body that starts with a byte order mark, and keeps its non-ASCII text', async () => {
    const text = JSON.stringify({ writeKey: WRITE_KEY, batch: [track('bom-1', { properties: { name: 'JOSÉ' } })] });
    const res = await fetch(collector.url + '/v1/batch', {
      method: 'POST',
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const events = (await (await collector.admin('/v1/admin/events?limit=500')).json()) as {
      events: { message: { messageId: string; properties?: { name?: string } } }[];
    };
    expect(events.events.find((e) => e.message.messageId === 'bom-1')?.message.properties?.name).toBe('JOSÉ');
  });

  it('answers 200 naming each bad message and why, as Segment does, and keeps the good messages of the same batch', async () => {
    const res = await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      batch: [
        track('mixed-good-1'),
        { type: 'purchase', messageId: 'mixed-bad-type', anonymousId: 'a' },
        { type: 'track', messageId: 'mixed-no-event', anonymousId: 'a' },
        track('mixed-good-2'),
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      accepted: 2,
      rejected: [
        {
          index: 1,
          messageId: 'mixed-bad-type',
          errors: ['type: must be one of track, page, screen, identify, group, alias'],
        },
        { index: 2, messageId: 'mixed-no-event', errors: ['event: a track call needs an event name'] },
      ],
    });
    const stored = await storedMessageIds();
    expect(stored).toEqual(expect.arrayContaining(['mixed-good-1', 'mixed-good-2']));
    expect(stored).not.toContain('mixed-bad-type');
    expect(stored).not.toContain('mixed-no-event');
  });

  it('refuses a request without a write key or with an unknown one with 401', async () => {
    const missing = await collector.post('/v1/batch', { batch: [track('nokey-1')] });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: string }).error).toMatch(/missing write key/);
    const unknown = await collector.post('/v1/batch', { writeKey: 'wk_nope', batch: [track('nokey-2')] });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ success: false, error: 'unknown write key' });
  });

  it('refuses a body over 4 MB with 413 and keeps nothing', async () => {
    const big = { writeKey: WRITE_KEY, batch: [track('big-1', { properties: { blob: 'x'.repeat(4200 * 1024) } })] };
    const res = await collector.post('/v1/batch', big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toBe('request body larger than 4194304 bytes');
    expect(await storedMessageIds()).not.toContain('big-1');
  });

  it('refuses a batch that is not an array', async () => {
    const res = await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: {} });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ success: false, error: 'batch: must be an array of messages' });
  });

  it("gives each message the batch's context, its own keys winning, and refuses a message whose context is not an object", async () => {
    const res = await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      context: { locale: 'en-GB', timezone: 'Europe/London' },
      batch: [
        track('ctx-own', { context: { locale: 'fr-FR' } }),
        track('ctx-none'),
        // Spread into the batch's context, this string would become 60,000 keys, one per character.
        track('ctx-string', { context: 'x'.repeat(60_000) }),
      ],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      success: true,
      accepted: 2,
      rejected: [{ index: 2, messageId: 'ctx-string', errors: ['context: Invalid input: expected object, received string'] }],
    });
    const listed = await collector.admin('/v1/admin/events?limit=500');
    const { events } = (await listed.json()) as { events: { message: { messageId: string; context: object } }[] };
    const contextOf = (id: string) => events.find((event) => event.message.messageId === id)?.message.context;
    expect(contextOf('ctx-own')).toMatchObject({ locale: 'fr-FR', timezone: 'Europe/London' });
    expect(contextOf('ctx-none')).toMatchObject({ locale: 'en-GB', timezone: 'Europe/London' });
  });

  it('refuses a message holding the NUL character, wherever it is, and keeps the rest of the batch', async () => {
    const body = JSON.stringify({
      writeKey: WRITE_KEY,
      batch: [
        track('nul-name', { event: 'Product\u0000Viewed' }),
        track('nul-deep', { properties: { sku: ['a', 'b\u0000'] } }),
        track('nul-none'),
      ],
    });
    expect(body).toContain('\\u0000');
    const res = await collector.post('/v1/batch', body);
    expect(res.status).toBe(200);
    const refused =
      'message: holds the NUL character (\\u0000), which no string of an event may hold (PostgreSQL cannot store it, and no destination wants it)';
    expect(await res.json()).toEqual({
      success: true,
      accepted: 1,
      rejected: [
        { index: 0, messageId: 'nul-name', errors: [refused] },
        { index: 1, messageId: 'nul-deep', errors: [refused] },
      ],
    });
    const stored = await storedMessageIds();
    expect(stored).toContain('nul-none');
    expect(stored).not.toContain('nul-name');
  });

  it('cuts a page URL, referrer and title, and a user agent, longer than the schema takes, rather than refuse the event', async () => {
    const url = `https://shop.example/search?q=${'%E6%97%A5'.repeat(2000)}`;
    const page = { url, path: '/search', search: url.slice(url.indexOf('?')), referrer: url, title: 't'.repeat(2000) };
    const userAgent = `Mozilla/5.0 (crawler; ${'x'.repeat(3000)})`;
    const res = await collector.post('/v1/batch', {
      writeKey: WRITE_KEY,
      batch: [track('long-url', { context: { page, userAgent } })],
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    const listed = await collector.admin('/v1/admin/events?limit=500');
    const { events } = (await listed.json()) as {
      events: { message: { messageId: string; context: { page: Record<string, string>; userAgent: string } } }[];
    };
    const context = events.find((event) => event.message.messageId === 'long-url')!.message.context;
    expect(context.userAgent).toBe(userAgent.slice(0, 1024));
    const stored = context.page;
    expect(stored.url).toBe(url.slice(0, 4096));
    expect(stored.search).toHaveLength(4096);
    expect(stored.referrer).toHaveLength(4096);
    expect(stored.title).toHaveLength(1024);
    expect(stored.path).toBe('/search');
  });

  it('stores a repeated messageId once and still answers 200', async () => {
    await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track('dup-1')] });
    const again = await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track('dup-1')] });
    expect(again.status).toBe(200);
    expect((await storedMessageIds()).filter((id) => id === 'dup-1')).toHaveLength(1);
  });
});

describe('single-message endpoints', () => {
  it('accepts /v1/track, /v1/page and /v1/identify with the type implied', async () => {
    const auth = { writeKey: WRITE_KEY, anonymousId: 'single-1' };
    expect((await collector.post('/v1/track', { ...auth, event: 'Signed Up', messageId: 'single-track' })).status).toBe(200);
    expect((await collector.post('/v1/page', { ...auth, name: 'Home', messageId: 'single-page' })).status).toBe(200);
    expect(
      (await collector.post('/v1/identify', { ...auth, traits: { email: 'a@b.co' }, messageId: 'single-identify' })).status,
    ).toBe(200);
    expect(await storedMessageIds()).toEqual(expect.arrayContaining(['single-track', 'single-page', 'single-identify']));
    const res = await collector.admin('/v1/admin/events?limit=500');
    const { events } = (await res.json()) as { events: { message: Record<string, unknown> }[] };
    const single = events.find((e) => e.message.messageId === 'single-track')!.message;
    expect(single).not.toHaveProperty('writeKey');
  });

  it('answers a track without an event name, a request with no valid message, with 400 naming the field', async () => {
    const res = await collector.post('/v1/track', { writeKey: WRITE_KEY, anonymousId: 'x', messageId: 'noname' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      success: false,
      error: 'no valid message: all 1 were invalid',
      accepted: 0,
      rejected: [{ index: 0, messageId: 'noname', errors: ['event: a track call needs an event name'] }],
    });
  });
});

describe('enrichment', () => {
  it("adds a browser's IP, user agent, cookies and the ScCid of the page URL, and keeps the sender's own values", async () => {
    await collector.post(
      '/v1/batch',
      {
        writeKey: WRITE_KEY,
        batch: [
          track('enrich-1', { anonymousId: undefined, context: { page: { url: 'https://shop.example.com/?sccid=Click-AbC' } } }),
          track('enrich-2', { context: { ip: '198.51.100.4', userAgent: 'ServerSide/1.0' } }),
        ],
      },
      {
        'user-agent': 'Browser/1.0',
        origin: 'https://shop.example.com',
        cookie: '_scid=scid-cookie; _dfid=anon-cookie; _scclid=old-click',
      },
    );
    const res = await collector.admin('/v1/admin/events?limit=500');
    const { events } = (await res.json()) as { events: { message: any }[] };
    const first = events.find((e) => e.message.messageId === 'enrich-1')!.message;
    expect(first.anonymousId).toBe('anon-cookie');
    expect(first.context.ip).toBe('127.0.0.1');
    expect(first.context.userAgent).toBe('Browser/1.0');
    expect(first.context.snapchat).toEqual({ clickId: 'Click-AbC', cookie1: 'scid-cookie' });
    const second = events.find((e) => e.message.messageId === 'enrich-2')!.message;
    expect(second.context.ip).toBe('198.51.100.4');
    expect(second.context.userAgent).toBe('ServerSide/1.0');
    expect(second.context.snapchat).toEqual({ clickId: 'old-click', cookie1: 'scid-cookie' });
  });

  it("does not pass a backend's own IP and user agent off as its customer's", async () => {
    await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track('server-1')] }, { 'user-agent': 'node' });
    const res = await collector.admin('/v1/admin/events?limit=500');
    const { events } = (await res.json()) as { events: { message: any }[] };
    const stored = events.find((e) => e.message.messageId === 'server-1')!.message;
    expect(stored.context.ip).toBeUndefined();
    expect(stored.context.userAgent).toBeUndefined();
  });

  it('re-issues the identity cookies with Set-Cookie so they outlive script-cookie caps', async () => {
    const res = await collector.post(
      '/v1/batch',
      {
        writeKey: WRITE_KEY,
        batch: [track('cookie-1', { context: { page: { url: 'https://shop.example.com/?ScCid=new-click' } } })],
      },
      { cookie: '_dfid=anon-1; _scid=scid-2; _scclid=new-click', origin: 'https://shop.example.com' },
    );
    expect(res.headers.getSetCookie()).toEqual([
      '_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax',
      '_scid=scid-2; Max-Age=34128000; Path=/; SameSite=Lax',
      '_scclid=new-click; Max-Age=2419200; Path=/; SameSite=Lax',
    ]);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
  });

  it("answers 429 with Retry-After past a source's rate_limit_rps, and never limits a source without one", async () => {
    const sources = (await (await collector.admin('/v1/admin/sources')).json()) as { sources: { id: string }[] };
    const path = `/v1/admin/sources/${sources.sources[0]!.id}`;
    const send = (n: number) => collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track(`rate-${n}`)] });
    const unlimited = await Promise.all(Array.from({ length: 20 }, (_, n) => send(n)));
    expect(unlimited.map((res) => res.status)).toEqual(Array.from({ length: 20 }, () => 200));

    await collector.admin(path, { method: 'PATCH', body: JSON.stringify({ rate_limit_rps: 2 }) });
    const limited = [await send(100), await send(101), await send(102)];
    expect(limited.map((res) => res.status)).toEqual([200, 200, 429]);
    expect(limited[2]!.headers.get('retry-after')).toBe('1');
    expect(await limited[2]!.json()).toEqual({ success: false, error: 'rate limit: this source may send 2 requests a second' });
    expect(await storedMessageIds()).not.toContain('rate-102');
    await collector.admin(path, { method: 'PATCH', body: JSON.stringify({ rate_limit_rps: null }) });
    expect((await send(103)).status).toBe(200);
  });

  it('answers with credentials only for its own site and the origins the source allows; others may send without', async () => {
    const send = (origin: string) =>
      collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: [track(`cors-${origin}`)] }, { origin });
    // The test collector listens on 127.0.0.1: that is its own site, on any port.
    const own = await send('http://127.0.0.1:3000');
    expect([own.status, own.headers.get('access-control-allow-credentials')]).toEqual([200, 'true']);
    const foreign = await send('https://evil.example');
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fetch(collector.url + '/v1/batch', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const sources = (await (await collector.admin('/v1/admin/sources')).json()) as { sources: { id: string }[] };
    const id = sources.sources[0]!.id;
    const patch = await collector.admin(`/v1/admin/sources/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ allowed_origins: ['https://partner.example'] }),
    });
    expect(patch.status).toBe(200);
    expect((await send('https://partner.example')).headers.get('access-control-allow-credentials')).toBe('true');
    expect((await send('https://evil.example')).headers.get('access-control-allow-credentials')).toBeNull();
    await collector.admin(`/v1/admin/sources/${id}`, { method: 'PATCH', body: JSON.stringify({ allowed_origins: [] }) });
  });

  it('sets no Snapchat cookie for a message without advertising consent, only _dfid', async () => {
    const denied = {
      page: { url: 'https://shop.example.com/?ScCid=denied-click' },
      consent: { categoryPreferences: { advertising: false } },
    };
    const res = await collector.post(
      '/v1/batch',
      { writeKey: WRITE_KEY, batch: [track('cookie-denied', { context: denied })] },
      { cookie: '_dfid=anon-1; _scid=scid-3; _scclid=denied-click', origin: 'https://shop.example.com' },
    );
    expect(res.headers.getSetCookie()).toEqual(['_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax']);
  });

  it('sets no Snapchat cookie for a browser that sends Sec-GPC: 1, only _dfid', async () => {
    const res = await collector.post(
      '/v1/batch',
      {
        writeKey: WRITE_KEY,
        batch: [track('cookie-gpc', { context: { page: { url: 'https://shop.example.com/?ScCid=gpc-click' } } })],
      },
      { cookie: '_dfid=anon-1; _scid=scid-4; _scclid=gpc-click', origin: 'https://shop.example.com', 'sec-gpc': '1' },
    );
    expect(res.headers.getSetCookie()).toEqual(['_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax']);
  });

  it('brings back no cookie the browser did not send, so that the answer to an older message cannot undo _df.reset()', async () => {
    const res = await collector.post(
      '/v1/batch',
      {
        writeKey: WRITE_KEY,
        batch: [
          track('cookie-reset', {
            context: { page: { url: 'https://shop.example.com/?ScCid=old-click' }, snapchat: { cookie1: 'scid-old' } },
          }),
        ],
      },
      { cookie: '_dfid=anon-new', origin: 'https://shop.example.com' },
    );
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});

describe('identity cookies of a configured collector', () => {
  it('gives _scclid the attribution window and every cookie the domain it is configured with', async () => {
    const configured = await startTestCollector(['--no-worker', '--attribution-days', '7'], {
      DATAFIRST_COOKIE_DOMAIN: 'shop.example.com',
    });
    try {
      const res = await configured.post(
        '/v1/batch',
        {
          writeKey: WRITE_KEY,
          batch: [
            track('configured-1', {
              context: { page: { url: 'https://www.shop.example.com/?ScCid=week-click' }, snapchat: { cookie1: 'scid-5' } },
            }),
          ],
        },
        { cookie: '_dfid=anon-1; _scid=scid-5; _scclid=week-click', origin: 'https://www.shop.example.com' },
      );
      expect(res.headers.getSetCookie()).toEqual([
        '_dfid=anon-1; Max-Age=34128000; Path=/; SameSite=Lax; Domain=shop.example.com',
        '_scid=scid-5; Max-Age=34128000; Path=/; SameSite=Lax; Domain=shop.example.com',
        '_scclid=week-click; Max-Age=604800; Path=/; SameSite=Lax; Domain=shop.example.com',
      ]);
    } finally {
      await configured.stopAndClean();
    }
  });
});
