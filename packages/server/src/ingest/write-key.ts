import type { IncomingHttpHeaders } from 'node:http';

// The scheme of an Authorization header is case-insensitive (RFC 9110 §11.1).
const BASIC = /^basic /i;

/**
 * The write key a request authenticates with, as Segment's HTTP API takes it: the HTTP Basic
 * user, then `writeKey` in the body, then `?writeKey=` (for sendBeacon, which cannot set headers).
 */
export function writeKeyOf(headers: IncomingHttpHeaders, body: unknown, fromQuery: string | null): string | undefined {
  const user = basicUser(headers);
  if (user) return user;
  const fromBody = (body as { writeKey?: unknown } | null)?.writeKey;
  if (typeof fromBody === 'string' && fromBody) return fromBody;
  if (fromQuery) return fromQuery;
  return undefined;
}

/** The user of an HTTP Basic Authorization header, if there is one: the write key, before any body is read. */
export function basicUser(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization === undefined || !BASIC.test(authorization)) return undefined;
  return Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':')[0] || undefined;
}
