import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers allowed when a preflight asks for none, or for a list we will not echo. */
const DEFAULT_ALLOWED_HEADERS = 'Content-Type, Authorization';

/** Longest `Access-Control-Request-Headers` echoed back; longer lists get the default. */
export const MAX_REQUESTED_HEADERS_LENGTH = 1024;

// Header names are HTTP tokens (RFC 9110 §5.6.2): echoing only tokens and commas keeps the answer
// from ever carrying anything the browser did not ask for, or a line break.
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

/**
 * The headers a preflight allows: those the request asks for (analytics-next adds
 * `X-Retry-Count` on retries; RudderStack's SDK sends `AnonymousId` and `SentAt`), when the list
 * is a well-formed header list of bounded length; else Content-Type and Authorization.
 */
export function allowedHeaders(requested: string | undefined): string {
  const list = requested?.trim() ?? '';
  if (list === '' || list.length > MAX_REQUESTED_HEADERS_LENGTH || !HEADER_LIST.test(list)) return DEFAULT_ALLOWED_HEADERS;
  return list;
}

/**
 * Lets a page of another origin read the answer and receive its first-party cookies: the tag may
 * be served from another origin than the site's (e.g. a collect. subdomain).
 */
export function allowOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'Origin');
  }
}

/** Answers a CORS preflight for a path that takes `methods`. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, methods: string): void {
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-methods': methods,
    'access-control-allow-headers': allowedHeaders(Array.isArray(requested) ? requested.join(',') : requested),
    'access-control-max-age': '86400',
    vary: 'Origin, Access-Control-Request-Headers',
  });
  res.end();
}
