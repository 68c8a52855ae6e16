import { expect } from 'vitest';
import { ADMIN_TOKEN, type TestCollector } from './start-collector.js';

// Shared by the admin API tests: JSON calls with and without credentials, a signed-in browser-like
// session, and a reader for the live event stream (server-sent events).

/** A pixel id of the right shape (a UUID). */
export const PIXEL_ID = '0b7c6f1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e';
export const OTHER_PIXEL_ID = '1c8d7a2f-3e4b-4c6d-9e0f-1a2b3c4d5e6f';
export const ACCESS_TOKEN = 'capi-token-0123456789-SECRET';

/** The status and parsed JSON body of a response (body undefined when empty). */
export async function answer(res: Response): Promise<{ status: number; body: any }> {
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Calls the admin API with the Bearer token and a JSON body; returns status and body. */
export async function call(collector: TestCollector, method: string, path: string, body?: unknown) {
  return answer(await collector.admin(path, { method, body: body === undefined ? undefined : JSON.stringify(body) }));
}

/**
 * Marks a source server-side (its write key secret: its identify calls may write a user id's
 * profile) or a browser source; by default the test collector's own source.
 */
export async function setServerSide(collector: TestCollector, serverSide: boolean, sourceId?: string): Promise<void> {
  const id = sourceId ?? (await call(collector, 'GET', '/v1/admin/sources')).body.sources[0].id;
  const changed = await call(collector, 'PATCH', `/v1/admin/sources/${id}`, { server_side: serverSide });
  expect(changed).toMatchObject({ status: 200, body: { server_side: serverSide } });
}

/** Calls a path with no credentials at all. */
export async function anonymous(
  collector: TestCollector,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return answer(
    await fetch(collector.adminUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

/** A signed-in admin UI session: its cookie and CSRF token, and calls made with them. */
export interface UiSession {
  cookie: string;
  csrfToken: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

/** Signs in as the admin UI does, with `POST /v1/admin/session`. */
export async function signIn(collector: TestCollector, token: string): Promise<UiSession> {
  const res = await fetch(`${collector.adminUrl}/v1/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  expect(res.status).toBe(201);
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrf_token: csrfToken } = (await res.json()) as { csrf_token: string };
  return {
    cookie,
    csrfToken,
    call: (method, path, body, headers = {}) =>
      anonymous(collector, method, path, body, { cookie, 'x-csrf-token': csrfToken, ...headers }),
  };
}

/** Creates a source through the API; returns its id and its write key (shown this once). */
export async function createSource(collector: TestCollector, name: string): Promise<{ id: string; writeKey: string }> {
  const { status, body } = await call(collector, 'POST', '/v1/admin/sources', { name });
  expect(status).toBe(201);
  return { id: body.id, writeKey: body.write_key };
}

/** Creates a Snapchat integration through the API; returns its JSON. */
export async function createIntegration(collector: TestCollector, sourceId: string, extra: Record<string, unknown> = {}) {
  const { status, body } = await call(collector, 'POST', '/v1/admin/integrations', {
    source_id: sourceId,
    vendor: 'snapchat',
    name: 'Main pixel',
    config: { pixel_id: PIXEL_ID, access_token: ACCESS_TOKEN },
    ...extra,
  });
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}

/** One server-sent event. */
export interface StreamMessage {
  event: string;
  data: any;
}

/** An open live event stream: every message so far, and a way to wait for one. */
export interface EventStream {
  status: number;
  contentType: string | null;
  messages: StreamMessage[];
  /** Resolves with the first message (seen or to come) that matches, or fails after `timeoutMs`. */
  waitFor(match: (message: StreamMessage) => boolean, timeoutMs?: number): Promise<StreamMessage>;
  close(): void;
}

/** Opens `GET /v1/admin/events/stream` (with the Bearer token unless headers are given). */
export async function openStream(collector: TestCollector, query = '', headers?: Record<string, string>): Promise<EventStream> {
  const controller = new AbortController();
  const res = await fetch(`${collector.adminUrl}/v1/admin/events/stream${query}`, {
    headers: headers ?? { authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: controller.signal,
  });
  const messages: StreamMessage[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  if (res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(frame)?.[1];
            const data = /^data: (.*)$/m.exec(frame)?.[1];
            if (event !== undefined) messages.push({ event, data: data === undefined ? undefined : JSON.parse(data) });
            for (const wake of waiters) wake();
          }
        }
      } catch {
        // aborted by close()
      }
      ended = true;
      for (const wake of waiters) wake();
    })();
  }
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    messages,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          } else if (ended) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`the stream ended; messages: ${JSON.stringify(messages.map((m) => m.event))}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message in ${timeoutMs} ms; got ${messages.length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
