import { BACKOFF_CAP_MS, type RetryCode, type SendOutcome } from '@datafirst/destination';
import type { ApiVersion } from './config.js';

/**
 * What to do after Snapchat answered a request: the destination contract's classification
 * (docs/snapchat-capi.md §1.4 says which answer is which).
 */
export type { SendOutcome } from '@datafirst/destination';

/** Snapchat's answer as any HTTP client returns it; `body` is the raw text (or already parsed JSON). */
export interface SnapResponse {
  status: number;
  headers?: Record<string, string | string[] | undefined>;
  body: unknown;
}

type Body = Record<string, unknown>;

function parseBody(body: unknown): Body | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : undefined;
}

function snippet(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** `HTTP 400: <Snap's reason>`, or a snippet of a body that has no reason (an HTML error page). */
function describe(status: number, parsed: Body | undefined, raw: unknown): string {
  const reason = typeof parsed?.reason === 'string' && parsed.reason !== '' ? parsed.reason : snippet(raw);
  return reason === '' ? `HTTP ${status}` : `HTTP ${status}: ${reason}`;
}

function header(headers: SnapResponse['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

/** `Retry-After` (delay seconds or an HTTP-date) in milliseconds from `now`, capped at an hour. */
export function parseRetryAfter(value: string | undefined, now: Date = new Date()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  // Delay-seconds, or an HTTP-date, which always names its weekday and month in letters.
  let ms: number;
  if (/^\d+(?:\.\d+)?$/u.test(text)) ms = Number(text) * 1000;
  else if (/[a-z]/iu.test(text)) ms = Date.parse(text) - now.getTime();
  else return undefined;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(BACKOFF_CAP_MS, Math.max(0, Math.ceil(ms)));
}

function codesOf(errors: unknown): string[] {
  const codes = typeof errors === 'object' && errors !== null ? (errors as Body).codes : undefined;
  return Array.isArray(codes) ? codes.filter((code): code is string => typeof code === 'string') : [];
}

function isIndex(value: unknown, eventCount: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < eventCount;
}

/** The event a v3 error blames: `event` of a send answer, or the first bad `event_logs` entry of a validate answer. */
function blamedEvent(body: Body, eventCount: number): { index: number; reason: string; codes: string[] } | undefined {
  const reason = typeof body.reason === 'string' ? body.reason : 'invalid event';
  if (isIndex(body.event, eventCount)) return { index: body.event, reason, codes: codesOf(body.errors) };
  if (!Array.isArray(body.event_logs)) return undefined;
  for (const [position, log] of body.event_logs.entries()) {
    const entry = parseBody(log);
    if (entry === undefined || entry.status === 'VALID') continue;
    const index = isIndex(entry.event, eventCount) ? entry.event : position;
    const messages = (entry.errors as Body | undefined)?.error_msgs;
    const detail = Array.isArray(messages) && typeof messages[0] === 'string' ? messages[0] : reason;
    if (index < eventCount) return { index, reason: detail, codes: codesOf(entry.errors) };
  }
  return undefined;
}

// A 400 that blames the token or the asset will not get better by retrying or splitting; it
// needs the operator to fix the integration.
const CREDENTIALS_BLAME = /token|unauthori[sz]ed|authenticat|credential|permission|forbidden|pixel|asset/iu;

function classifyRejection(status: number, parsed: Body | undefined, raw: unknown, eventCount: number): SendOutcome {
  const blamed = parsed === undefined ? undefined : blamedEvent(parsed, eventCount);
  if (blamed !== undefined) return { kind: 'invalid_event', ...blamed, reason: `HTTP ${status}: ${blamed.reason}` };
  const reason = describe(status, parsed, raw);
  if (typeof parsed?.reason === 'string' && CREDENTIALS_BLAME.test(parsed.reason)) return { kind: 'credentials', reason };
  // Without an index we cannot tell which event is bad: halves narrow it down; one event is it.
  return eventCount > 1 ? { kind: 'split', reason } : { kind: 'permanent', reason };
}

function v2Failures(parsed: Body | undefined, eventCount: number): { index: number; reason: string }[] {
  const records = parsed?.error_records;
  if (!Array.isArray(records)) return [];
  const failed = new Map<number, string>();
  for (const record of records) {
    const entry = parseBody(record);
    const reason = typeof entry?.reason === 'string' ? entry.reason : 'rejected by Snapchat';
    const indexes = Array.isArray(entry?.record_indexes) ? entry.record_indexes : [];
    for (const index of indexes) if (isIndex(index, eventCount) && !failed.has(index)) failed.set(index, reason);
  }
  return [...failed].sort(([a], [b]) => a - b).map(([index, reason]) => ({ index, reason }));
}

/**
 * Classifies Snapchat's answer to a request of `eventCount` events per the worker table of
 * docs/snapchat-capi.md §1.4: delivered (with v2 record failures), one invalid event, split the batch,
 * bad credentials, retry (honouring `Retry-After`), or permanent failure.
 */
export function classifyResponse(
  apiVersion: ApiVersion,
  response: SnapResponse,
  eventCount: number,
  now: Date = new Date(),
): SendOutcome {
  const { status } = response;
  const parsed = parseBody(response.body);
  if (status >= 200 && status < 300) {
    // A 2xx that still says INVALID (v3) or FAILED without records (v2) is a rejection in disguise.
    const rejected =
      apiVersion === 'v3' ? parsed?.status === 'INVALID' : parsed?.status === 'FAILED' && !Array.isArray(parsed.error_records);
    if (rejected) return classifyRejection(status, parsed, response.body, eventCount);
    return { kind: 'delivered', failed: apiVersion === 'v2' ? v2Failures(parsed, eventCount) : [] };
  }
  const reason = describe(status, parsed, response.body);
  if (status === 400) return classifyRejection(status, parsed, response.body, eventCount);
  if (status === 401 || status === 403 || status === 404) return { kind: 'credentials', reason };
  if (status === 413) {
    return eventCount > 1 ? { kind: 'split', reason } : { kind: 'permanent', reason: `${reason} (one event too large)` };
  }
  if (status === 408 || status === 429 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
    // 3xx: Snap does not redirect, so a redirect is a proxy or base-URL problem someone can fix.
    const retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'), now);
    const code: RetryCode = status === 429 ? 'rate_limited' : status === 408 ? 'timeout' : 'destination_unavailable';
    return retryAfterMs === undefined ? { kind: 'retry', code, reason } : { kind: 'retry', code, reason, retryAfterMs };
  }
  return { kind: 'permanent', reason };
}

const NETWORK_ERRORS: readonly [RegExp, string, RetryCode][] = [
  [/^(TimeoutError|AbortError|UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT|ETIMEDOUT|ESOCKETTIMEDOUT)$/u, 'timed out', 'timeout'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED|ECONNABORTED)$/u, 'connection reset', 'network_error'],
  [/^ECONNREFUSED$/u, 'connection refused', 'network_error'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME)$/u, 'DNS lookup failed', 'network_error'],
  [/^(EHOSTUNREACH|ENETUNREACH|ENETDOWN|EHOSTDOWN)$/u, 'network unreachable', 'network_error'],
  [/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/u, 'TLS failed', 'network_error'],
];

/** The codes and names along an error's `cause` chain, most specific first. */
function errorCodes(error: unknown): { codes: string[]; message: string } {
  const codes: string[] = [];
  let message = '';
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const {
      code,
      name,
      message: text,
      cause,
    } = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof name === 'string') codes.push(name);
    if (message === '' && typeof text === 'string') message = text;
    current = cause;
  }
  return { codes, message: message || String(error) };
}

/** A retry outcome for a request that got no answer (timeout, reset, refused, DNS, TLS), with a clear reason. */
export function classifyNetworkError(error: unknown): SendOutcome {
  const { codes, message } = errorCodes(error);
  for (const [pattern, label, retryCode] of NETWORK_ERRORS) {
    const code = codes.find((candidate) => pattern.test(candidate));
    if (code !== undefined) return { kind: 'retry', code: retryCode, reason: `${label} (${code}): ${message}` };
  }
  return { kind: 'retry', code: 'network_error', reason: `network error: ${message}` };
}
