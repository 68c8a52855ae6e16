import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, answer, call, createIntegration, createSource, signIn } from './admin-helpers.js';
import { ADMIN_TOKEN, startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector(['--no-worker']);
});
afterAll(() => collector.stopAndClean());

const MISSING = { error: 'missing admin token: send Authorization: Bearer <token>' };

// Every admin endpoint, with a body where it takes one.
const ENDPOINTS: [string, string, unknown?][] = [
  ['GET', '/v1/admin/sources'],
  ['POST', '/v1/admin/sources', { name: 'x' }],
  ['GET', '/v1/admin/sources/src_x'],
  ['PATCH', '/v1/admin/sources/src_x', { name: 'y' }],
  ['POST', '/v1/admin/sources/src_x/rotate-key', {}],
  ['DELETE', '/v1/admin/sources/src_x'],
  ['GET', '/v1/admin/integrations'],
  ['POST', '/v1/admin/integrations', {}],
  ['GET', '/v1/admin/integrations/int_x'],
  ['PATCH', '/v1/admin/integrations/int_x', { enabled: false }],
  ['DELETE', '/v1/admin/integrations/int_x'],
  ['POST', '/v1/admin/integrations/int_x/test', {}],
  ['GET', '/v1/admin/events'],
  ['GET', '/v1/admin/events/stream'],
  ['POST', '/v1/admin/deliveries/replay', {}],
  ['GET', '/v1/admin/delivery-health'],
  ['GET', '/v1/admin/match-quality'],
  ['GET', '/v1/admin/snapchat'],
];

describe('admin authentication', () => {
  it.each(ENDPOINTS)('refuses %s %s without a token with 401', async (method, path, body) => {
    const res = await anonymous(collector, method, path, body);
    expect(res).toEqual({ status: 401, body: MISSING });
  });

  it('refuses a wrong Bearer token with 401 and a WWW-Authenticate challenge', async () => {
    const res = await fetch(`${collector.adminUrl}/v1/admin/sources`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toEqual({ error: 'invalid admin token' });
  });

  it('refuses Basic credentials: only the Bearer admin token opens the admin API', async () => {
    const basic = `Basic ${Buffer.from(`${ADMIN_TOKEN}:`).toString('base64')}`;
    expect(await anonymous(collector, 'GET', '/v1/admin/sources', undefined, { authorization: basic })).toEqual({
      status: 401,
      body: MISSING,
    });
  });

  it('marks every admin answer as not to be cached, sniffed or framed', async () => {
    const res = await collector.admin('/v1/admin/sources');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it("answers malformed JSON with 400 and the parser's reason", async () => {
    const res = await collector.admin('/v1/admin/sources', { method: 'POST', body: '{"name":' });
    const { status, body } = await answer(res);
    expect(status).toBe(400);
    expect(body.error).toMatch(/^malformed JSON: /);
  });
});

describe('admin UI sessions', () => {
  it('signs in with the admin token: an HttpOnly, SameSite=Strict cookie and a CSRF token', async () => {
    const res = await fetch(`${collector.adminUrl}/v1/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: ADMIN_TOKEN }),
    });
    expect(res.status).toBe(201);
    const [cookie] = res.headers.getSetCookie();
    expect(cookie).toMatch(/^df_admin=\d+\.[\w-]+\.[\w-]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Strict$/);
    const body = (await res.json()) as { csrf_token: string; expires_at: string };
    expect(body).toEqual({ csrf_token: expect.stringMatching(/^[\w-]{43}$/), expires_at: expect.any(String) });
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(7.9 * 3600_000);
  });

  it('refuses a sign-in without a token with 400 and with a wrong one with 401', async () => {
    expect(await anonymous(collector, 'POST', '/v1/admin/session', {})).toEqual({
      status: 400,
      body: { error: 'token: the admin token is required', errors: ['token: the admin token is required'] },
    });
    expect(await anonymous(collector, 'POST', '/v1/admin/session', { token: 'nope' })).toEqual({
      status: 401,
      body: { error: 'invalid admin token' },
    });
  });

  it('lets a session read without a CSRF token but change nothing without one', async () => {
    const session = await signIn(collector, ADMIN_TOKEN);
    expect((await session.call('GET', '/v1/admin/sources')).status).toBe(200);
    expect(await session.call('POST', '/v1/admin/sources', { name: 'No CSRF' }, { 'x-csrf-token': '' })).toEqual({
      status: 403,
      body: { error: 'missing or invalid CSRF token: send the X-CSRF-Token header that signing in gave' },
    });
    expect(
      (await session.call('POST', '/v1/admin/sources', { name: 'Wrong CSRF' }, { 'x-csrf-token': 'x'.repeat(43) })).status,
    ).toBe(403);
    const created = await session.call('POST', '/v1/admin/sources', { name: 'With CSRF' });
    expect(created.status).toBe(201);
  });

  it("does not accept one session's CSRF token for another session", async () => {
    const first = await signIn(collector, ADMIN_TOKEN);
    const second = await signIn(collector, ADMIN_TOKEN);
    const res = await first.call('POST', '/v1/admin/sources', { name: 'Crossed' }, { 'x-csrf-token': second.csrfToken });
    expect(res.status).toBe(403);
  });

  it('tells a reloaded page its CSRF token again, and signs out for good', async () => {
    const session = await signIn(collector, ADMIN_TOKEN);
    expect(await session.call('GET', '/v1/admin/session')).toEqual({
      status: 200,
      body: { csrf_token: session.csrfToken, expires_at: expect.any(String) },
    });
    expect((await session.call('DELETE', '/v1/admin/session', undefined, { 'x-csrf-token': '' })).status).toBe(403);
    const out = await fetch(`${collector.adminUrl}/v1/admin/session`, {
      method: 'DELETE',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()).toEqual(['df_admin=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict']);
    // The old cookie is dead even if a browser (or a thief) kept it.
    expect(await session.call('GET', '/v1/admin/sources')).toEqual({
      status: 401,
      body: { error: 'session expired or signed out: sign in again' },
    });
    expect(await session.call('GET', '/v1/admin/session')).toEqual({ status: 401, body: { error: 'not signed in' } });
    // The admin UI asks at page load with ?probe=1, and "not signed in" is then an answer, not an error.
    expect(await session.call('GET', '/v1/admin/session?probe=1')).toEqual({ status: 200, body: { signed_in: false } });
  });

  it('keeps sessions, and sign-outs, across a restart', async () => {
    const first = await startTestCollector(['--no-worker']);
    const kept = await signIn(first, ADMIN_TOKEN);
    const signedOut = await signIn(first, ADMIN_TOKEN);
    expect((await signedOut.call('DELETE', '/v1/admin/session')).status).toBe(204);
    await first.close();
    const restarted = await startTestCollector(['--no-worker'], {}, first);
    try {
      const ask = (session: typeof kept) =>
        anonymous(restarted, 'GET', '/v1/admin/sources', undefined, { cookie: session.cookie });
      expect((await ask(kept)).status).toBe(200);
      expect(await ask(signedOut)).toEqual({ status: 401, body: { error: 'session expired or signed out: sign in again' } });
    } finally {
      await restarted.stopAndClean();
    }
  });

  it('refuses a forged or tampered session cookie', async () => {
    const session = await signIn(collector, ADMIN_TOKEN);
    const [name, value] = session.cookie.split('=') as [string, string];
    const [expiry, nonce, mac] = value.split('.') as [string, string, string];
    const later = `${name}=${Number(expiry) + 86_400_000}.${nonce}.${mac}`;
    const res = await anonymous(collector, 'GET', '/v1/admin/sources', undefined, { cookie: later });
    expect(res).toEqual({ status: 401, body: { error: 'session expired or signed out: sign in again' } });
  });
});

describe('failed sign-in limit', () => {
  /** Signs in with `token`, as if from `forwardedFor` when given; answers the status and Retry-After. */
  async function tryToken(target: TestCollector, token: string, forwardedFor?: string) {
    const res = await fetch(`${target.adminUrl}/v1/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      body: JSON.stringify({ token }),
    });
    return { status: res.status, wait: Number(res.headers.get('retry-after')), body: await res.json() };
  }

  it('answers 429 with Retry-After to wrong tokens after 10 a minute from one address, but lets the right token in', async () => {
    const limited = await startTestCollector(['--no-worker']);
    try {
      for (let i = 0; i < 5; i++) expect((await tryToken(limited, `wrong-${i}`)).status).toBe(401);
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${limited.adminUrl}/v1/admin/sources`, { headers: { authorization: `Bearer wrong-${i}` } });
        expect(res.status).toBe(401);
      }
      const refused = await tryToken(limited, 'wrong-again');
      expect(refused.status).toBe(429);
      expect(refused.wait).toBeGreaterThanOrEqual(55);
      expect(refused.wait).toBeLessThanOrEqual(60);
      expect(refused.body).toEqual({ error: `too many failed sign-ins: try again in ${refused.wait} s` });
      expect((await fetch(`${limited.adminUrl}/v1/admin/sources`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
        429,
      );
      // The lockout is for guessers: the admin's own token still works, as a session and as a Bearer.
      expect((await tryToken(limited, ADMIN_TOKEN)).status).toBe(201);
      expect((await limited.admin('/v1/admin/sources')).status).toBe(200);
      // Requests without credentials are not sign-in attempts and are not counted.
      expect((await anonymous(limited, 'GET', '/v1/admin/sources')).status).toBe(401);
    } finally {
      await limited.stopAndClean();
    }
  });

  it('trusts no X-Forwarded-For by default: forged addresses count as the one they came from', async () => {
    const direct = await startTestCollector(['--no-worker']);
    try {
      for (let i = 0; i < 10; i++) expect((await tryToken(direct, `wrong-${i}`, `203.0.113.${i}`)).status).toBe(401);
      expect((await tryToken(direct, 'wrong-10', '203.0.113.10')).status).toBe(429);
    } finally {
      await direct.stopAndClean();
    }
  });

  it('limits wrong tokens from all addresses together to 100 a minute, behind a trusted proxy too', async () => {
    const proxied = await startTestCollector(['--no-worker', '--trust-proxy', '1']);
    try {
      for (let i = 0; i < 100; i++) {
        expect((await tryToken(proxied, `wrong-${i}`, `198.51.100.${i}`)).status).toBe(401);
      }
      expect((await tryToken(proxied, 'wrong-100', '198.51.100.200')).status).toBe(429);
      expect((await tryToken(proxied, ADMIN_TOKEN, '198.51.100.201')).status).toBe(201);
    } finally {
      await proxied.stopAndClean();
    }
  });
});

describe('admin UI pages', () => {
  it('redirects /admin to admin/ relatively, so it works under a proxy path', async () => {
    const res = await fetch(`${collector.adminUrl}/admin?x=1`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('admin/?x=1');
  });

  it('serves the UI with a strict Content-Security-Policy and security headers', async () => {
    const res = await fetch(`${collector.adminUrl}/admin/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'",
    );
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const html = await res.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]+<\/script>|\son\w+=|style=/);
    const script = await fetch(`${collector.adminUrl}/admin/assets/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).not.toBeNull();
  });

  it("sends /debugger to the admin UI's live debugger", async () => {
    const res = await fetch(`${collector.adminUrl}/debugger`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('admin/#/debugger');
  });
});

describe('secrets in answers', () => {
  it('never shows an access token or a write key after creation, whatever the endpoint', async () => {
    const source = await createSource(collector, 'Masked');
    const integration = await createIntegration(collector, source.id);
    const bodies = await Promise.all(
      [
        '/v1/admin/sources',
        `/v1/admin/sources/${source.id}`,
        '/v1/admin/integrations',
        `/v1/admin/integrations/${integration.id}`,
      ].map(async (path) => JSON.stringify((await call(collector, 'GET', path)).body)),
    );
    const patched = await call(collector, 'PATCH', `/v1/admin/integrations/${integration.id}`, { name: 'Masked 2' });
    for (const text of [...bodies, JSON.stringify(patched.body), JSON.stringify(integration)]) {
      expect(text).not.toContain('capi-token-0123456789-SECRET');
      expect(text).not.toContain(source.writeKey);
    }
    expect(integration.config.access_token).toBe('****CRET');
  });
});
