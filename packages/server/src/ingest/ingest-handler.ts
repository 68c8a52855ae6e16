import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonObject, LIMITS, type EnrichedMessage } from '@datafirst/protocol';
import { isDatabaseUnavailable, type LimitStore, type Source } from '@datafirst/store';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import type { SourceDirectory } from '../source-directory.js';
import { clientIp, isSecure } from './client-address.js';
import { identityCookies, parseCookies, type CookiePolicy } from './cookies.js';
import { allowOrigin, answerPreflight } from './cors.js';
import { ENDPOINTS, type Endpoint } from './endpoints.js';
import { jsonDepth } from './json-depth.js';
import { BodyError, readBody } from './read-body.js';
import { SOURCE_CONFIG_PATHS, sourceConfigAnswer } from './source-config.js';
import { SourceRateLimiter } from './source-rate-limit.js';
import { basicUser, writeKeyOf } from './write-key.js';

export interface IngestOptions {
  pipeline: EventPipeline;
  directory: SourceDirectory;
  /** Where sources' rate limits are counted, for every collector alike. */
  limits: LimitStore;
  logger: Logger;
  metrics: Metrics;
  trustProxy: number | boolean;
  /** How long `_scclid` lives, in days; matches the tag's `data-attribution-days`. */
  attributionDays: number;
  /** The identity cookies' `Domain`; matches the tag's `data-cookie-domain`. Unset: host-only. */
  cookieDomain?: string;
  /** Largest request body, in bytes, after decompression; `LIMITS.maxBodyBytes` when unset. */
  maxBodyBytes?: number;
  /** Deepest nesting of objects and arrays in one message; `LIMITS.maxJsonDepth` when unset. */
  maxJsonDepth?: number;
  now?: () => Date;
}

/** Handles a request if it is for the ingest API, and says whether it was. */
export type IngestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

class IngestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The Segment-compatible ingest API: `POST /v1/batch`, `/v1/<type>` for every spec type and their
 * short forms, RudderStack's `/beacon/v1/batch`, and the source-config answer RudderStack's
 * browser SDK fetches first. It is the hot path, so it is a plain node:http handler in front of
 * Express: Express's routing and middleware would cost several times what validating and storing
 * a message does.
 */
export function createIngestHandler(given: IngestOptions): IngestHandler {
  const options = { ...given, maxBodyBytes: given.maxBodyBytes ?? LIMITS.maxBodyBytes };
  const limiter = new SourceRateLimiter(options.limits);
  return (req, res) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt < 0 ? url : url.slice(0, queryAt);
    const query = queryAt < 0 ? undefined : url.slice(queryAt + 1);
    if (SOURCE_CONFIG_PATHS.includes(path)) {
      answerSourceConfig(req, res, query, options);
      return true;
    }
    const endpoint = ENDPOINTS[path];
    if (!endpoint) return false;
    allowOrigin(req, res);
    if (req.method === 'OPTIONS') {
      answerPreflight(req, res, 'POST');
      return true;
    }
    if (req.method !== 'POST') {
      reply(res, 405, { success: false, error: `use POST for ${path}` }, { allow: 'POST, OPTIONS' });
      return true;
    }
    handle(endpoint, req, res, query, options, limiter).catch((error: unknown) => {
      if (error instanceof IngestError || error instanceof BodyError) {
        options.metrics.rejected.inc({ reason: 'request' });
        reply(res, error.status, { success: false, error: error.message }, error instanceof IngestError ? error.headers : {});
        return;
      }
      // A client that went away mid-body is no failure of ours: nothing was read, nothing is owed.
      if (req.readableAborted) {
        options.logger.debug({ err: error }, 'ingest request aborted by the client');
        return;
      }
      // The database away is no bug: one line that says so, without a stack, for each request it costs.
      if (isDatabaseUnavailable(error)) {
        options.logger.warn({ err: { message: (error as Error).message } }, 'ingest: the database is unreachable; answered 503');
      } else {
        options.logger.error({ err: error }, 'ingest failed');
      }
      // Nothing was acknowledged: the sender keeps the events and retries.
      reply(res, 503, { success: false, error: 'could not store the events; retry later' }, { 'retry-after': '5' });
    });
    return true;
  };
}

/** The `?writeKey=` of a request's query string: most requests have none, and nothing to parse. */
function writeKeyInQuery(query: string | undefined): string | null {
  return query === undefined ? null : new URLSearchParams(query).get('writeKey');
}

// Nearly every answer is this one: serialised once, not per request.
const SUCCESS = JSON.stringify({ success: true });

/**
 * Answers with a JSON body (a value, or its JSON text already made) and its Content-Length.
 * Without the length, Node sends a small answer chunked: the headers, the chunk and the
 * terminating chunk as several buffers of one writev, where one string in one write will do.
 */
function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** `GET /sourceConfig`: the settings RudderStack's browser SDK loads before it sends anything. */
function answerSourceConfig(req: IncomingMessage, res: ServerResponse, query: string | undefined, options: IngestOptions): void {
  allowOrigin(req, res);
  if (req.method === 'OPTIONS') {
    answerPreflight(req, res, 'GET');
    return;
  }
  if (req.method !== 'GET') {
    reply(res, 405, { success: false, error: 'use GET for /sourceConfig' }, { allow: 'GET, OPTIONS' });
    return;
  }
  const writeKey = writeKeyOf(req.headers, undefined, writeKeyInQuery(query));
  if (!writeKey) {
    reply(res, 401, { success: false, error: 'missing write key: send it as ?writeKey= or the Basic auth user' });
    return;
  }
  options.directory
    .sourceForWriteKey(writeKey)
    .then((source) => {
      if (source) allowOrigin(req, res, source.allowedOrigins);
      if (source) reply(res, 200, sourceConfigAnswer(source));
      else reply(res, 401, { success: false, error: 'unknown write key' });
    })
    .catch((error: unknown) => {
      options.logger.error({ err: error }, 'source config failed');
      reply(res, 503, { success: false, error: 'could not read the source; retry later' }, { 'retry-after': '5' });
    });
}

/**
 * The body's text, or a 400 when its bytes are not UTF-8: such a body is refused rather than
 * stored with U+FFFD in place of what the sender meant (an email or a name, garbled and then
 * hashed). `isUtf8` checks and `toString` decodes in a fraction of the time of a fatal
 * TextDecoder; a byte order mark is dropped, as TextDecoder drops it.
 */
function decodeBody(bytes: Buffer): string {
  if (!isUtf8(bytes)) throw new IngestError(400, 'body is not valid UTF-8: send JSON encoded as UTF-8');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The body as a JSON object, or a 400 saying why not. Nesting is measured on the text, before
 * parsing: a batch's envelope (`{"batch":[`) adds two levels to its messages'.
 */
function parseBody(text: string, endpoint: Endpoint, maxJsonDepth: number): Record<string, unknown> {
  const envelope = endpoint.kind === 'single' ? 0 : 2;
  if (jsonDepth(text, maxJsonDepth + envelope) > maxJsonDepth + envelope) {
    throw new IngestError(400, `JSON nested too deeply: a message may nest objects and arrays at most ${maxJsonDepth} levels`);
  }
  if (text.trim() === '') throw new IngestError(400, 'empty body: expected a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new IngestError(400, `malformed JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new IngestError(400, 'body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

function messagesOf(endpoint: Endpoint, body: Record<string, unknown>): unknown[] {
  if (endpoint.kind === 'single') {
    if (body.type !== undefined && body.type !== endpoint.type) {
      throw new IngestError(400, `type ${JSON.stringify(body.type)} does not match the /v1/${endpoint.type} endpoint`);
    }
    // The write key authenticates the request; it is not part of the message to keep.
    const { writeKey: _writeKey, ...message } = body;
    return [{ ...message, type: endpoint.type }];
  }
  if (!Array.isArray(body.batch)) throw new IngestError(400, 'batch: must be an array of messages');
  if (body.batch.length === 0) throw new IngestError(400, 'batch: no messages');
  if (body.batch.length > LIMITS.maxBatchMessages) {
    throw new IngestError(400, `batch: at most ${LIMITS.maxBatchMessages} messages per request`);
  }
  return body.batch;
}

async function handle(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  query: string | undefined,
  options: IngestOptions & { maxBodyBytes: number },
  limiter: SourceRateLimiter,
): Promise<void> {
  // A key in the Authorization header (where server-side libraries send it) is checked before the
  // body is read: a request with a wrong one, or over its source's rate, costs no decompression and
  // no parse (a 4 KB gzip body can inflate to 4 MB of JSON). Other keys are in the body, or come
  // with it.
  const headerKey = basicUser(req.headers);
  let source = headerKey === undefined ? undefined : await admit(headerKey, req, res, options, limiter);
  const bytes = await readBody(req, options.maxBodyBytes);
  const text = decodeBody(bytes);
  const body = parseBody(text, endpoint, options.maxJsonDepth ?? LIMITS.maxJsonDepth);
  if (source === undefined) {
    const writeKey = writeKeyOf(req.headers, body, writeKeyInQuery(query));
    if (!writeKey)
      throw new IngestError(401, 'missing write key: send it as the Basic auth user, writeKey in the body, or ?writeKey=');
    source = await admit(writeKey, req, res, options, limiter);
  }

  const raw = messagesOf(endpoint, body);
  const receivedAt = options.now?.() ?? new Date();
  // Only a browser's own request says who the visitor is: a backend calling us would otherwise pass
  // its server's IP and user agent off as its customer's. Browsers send Origin with every POST
  // (fetch and sendBeacon alike); server-side clients don't.
  const fromBrowser = req.headers.origin !== undefined;
  const facts = {
    ip: fromBrowser ? clientIp(req, options.trustProxy) : undefined,
    userAgent: fromBrowser ? req.headers['user-agent'] : undefined,
    cookies: parseCookies(req.headers.cookie),
    gpc: req.headers['sec-gpc'] === '1',
  };
  const messages = raw.map((input) => ({ input: endpoint.kind === 'single' ? input : withBatchDefaults(input, body) }));
  const { accepted, rejected } = await options.pipeline.submit({
    sourceId: source.id,
    receivedAt,
    facts,
    batchSentAt: typeof body.sentAt === 'string' ? body.sentAt : undefined,
    bodyBytes: bytes.length,
    withoutNul: !text.includes('\\u0000'),
    messages,
    publicWriteKey: !source.serverSide,
  });

  setIdentityCookies(res, accepted.at(-1)?.message, facts.cookies, {
    attributionDays: options.attributionDays,
    domain: options.cookieDomain,
    secure: isSecure(req, options.trustProxy),
  });
  // As Segment's API answers: a request with something to keep is a success (a client that got
  // an error would resend the whole batch), and the refused messages are listed. Messages of a
  // suppressed person are valid, and dropped in silence: the sender must not learn who opted out.
  if (rejected.length === raw.length) {
    reply(res, 400, { success: false, error: `no valid message: all ${raw.length} were invalid`, accepted: 0, rejected });
    return;
  }
  reply(res, 200, rejected.length > 0 ? { success: true, accepted: accepted.length, rejected } : SUCCESS);
}

/**
 * A message with what its batch gives every message, as Segment's batch API does: the batch's
 * `context` and `integrations`, the message's own winning key by key. A message whose field is not
 * an object keeps it as it came, for validation to refuse: spread, a string would become an
 * object of one key per character.
 */
function withBatchDefaults(input: unknown, body: Record<string, unknown>): unknown {
  if (!isJsonObject(input)) return input;
  let message = input;
  for (const field of ['context', 'integrations'] as const) {
    const shared = body[field];
    const own = message[field];
    if (!isJsonObject(shared) || (own !== undefined && !isJsonObject(own))) continue;
    message = { ...message, [field]: { ...shared, ...own } };
  }
  return message;
}

/** The source of a write key, once it may send now: `401` for an unknown key, `429` past its rate limit. */
async function admit(
  writeKey: string,
  req: IncomingMessage,
  res: ServerResponse,
  options: IngestOptions,
  limiter: SourceRateLimiter,
): Promise<Source> {
  const source = await options.directory.sourceForWriteKey(writeKey);
  if (!source) throw new IngestError(401, 'unknown write key');
  allowOrigin(req, res, source.allowedOrigins);
  if (source.rateLimitRps !== null) {
    const waitS = await limiter.take(source.id, source.rateLimitRps);
    if (waitS > 0) {
      throw new IngestError(429, `rate limit: this source may send ${source.rateLimitRps} requests a second`, {
        'retry-after': String(waitS),
      });
    }
  }
  return source;
}

/** Re-issues the tag's identity cookies from the server, so they last beyond script-cookie caps. */
function setIdentityCookies(
  res: ServerResponse,
  message: EnrichedMessage | undefined,
  held: Record<string, string>,
  policy: CookiePolicy,
): void {
  const cookies = message ? identityCookies(message, held, policy) : [];
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
}
