import type { IncomingMessage, ServerResponse } from 'node:http';
import { getDomain } from 'tldts';

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
 * The site of a host name (schemeless, ports aside): its registrable domain by the public suffix
 * list, private suffixes included, so each name under `github.io` or `vercel.app` is a site of
 * its own; the host itself for IPs and names under no suffix (`localhost`).
 */
export function siteOf(host: string): string {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(name) || name.includes(':')) return name; // IPv4 or IPv6
  return getDomain(name, { allowPrivateDomains: true }) ?? name;
}

/** The host name of a Host header or an origin's authority, without its port. */
function hostName(authority: string): string {
  return authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '');
}

/**
 * Whether an origin may send with credentials (cookies) and read the answer: a page on the same
 * site as the collector (`https://www.shop.example` for `collect.shop.example`, ports aside), or
 * one the source lists in `allowed_origins`.
 */
export function isCredentialedOrigin(
  origin: string,
  collectorHost: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (allowedOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (collectorHost === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) return false;
  return siteOf(hostName(url.host)) === siteOf(hostName(collectorHost));
}

/**
 * Lets a page of another origin send and read the answer. Only pages the collector trusts get
 * credentials (their first-party cookies): its own site, where the tag is usually served from
 * another origin (a collect. subdomain), and the source's `allowedOrigins`. Any other page may
 * still send, without credentials. Called again once the source is known, to add its origins.
 */
export function allowOrigin(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[] = []): void {
  const origin = req.headers.origin;
  if (!origin) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  if (isCredentialedOrigin(origin, req.headers.host, allowedOrigins)) res.setHeader('access-control-allow-credentials', 'true');
  else res.removeHeader('access-control-allow-credentials');
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
