import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS, type EnrichedMessage } from '@datafirst/protocol';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { EventPipeline } from '../pipeline/event-pipeline.js';
import type { SourceDirectory } from '../source-directory.js';
import { clientIp, isSecure } from './client-address.js';
import { identityCookies, parseCookies, type CookiePolicy } from './cookies.js';
import { writeKeyOf } from './write-key.js';

export interface IngestOptions {
  pipeline: EventPipeline;
  directory: SourceDirectory;
  logger: Logger;
  metrics: Metrics;
  trustProxy: number | boolean;
  /** How long `_scclid` lives, in days; matches the tag's `data-attribution-days`. */
  attributionDays: number;
  /** The identity cookies' `Domain`; matches the tag's `data-cookie-domain`. Unset: host-only. */
  cookieDomain?: string;
  now?: () => Date;
}

/** Handles a request if it is for the ingest API, and says whether it was. */
export type IngestHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

type Endpoint = 'batch' | 'track' | 'page' | 'identify';
const ENDPOINTS: Record<string, Endpoint> = {
  '/v1/batch': 'batch',
  '/v1/track': 'track',
  '/v1/page': 'page',
  '/v1/identify': 'identify',
};

class IngestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The Segment-compatible ingest API: `POST /v1/batch`, `/v1/track`, `/v1/page`, `/v1/identify`.
 * It is the hot path, so it is a plain node:http handler in front of Express: Express's routing
 * and middleware would cost several times what validating and storing a message does.
 */
export function createIngestHandler(options: IngestOptions): IngestHandler {
  return (req, res) => {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const endpoint = ENDPOINTS[queryAt < 0 ? url : url.slice(0, queryAt)];
    if (!endpoint) return false;
    allowOrigin(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'Content-Type, Authorization',
        'access-control-max-age': '86400',
      });
      res.end();
      return true;
    }
    if (req.method !== 'POST') {
      reply(res, 405, { success: false, error: `use POST for /v1/${endpoint}` }, { allow: 'POST, OPTIONS' });
      return true;
    }
    const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
    readBody(req)
      .then((text) => handle(endpoint, req, res, text, query, options))
      .catch((error: unknown) => {
        if (error instanceof IngestError) {
          options.metrics.rejected.inc({ reason: 'request' });
          reply(res, error.status, { success: false, error: error.message });
          return;
        }
        options.logger.error({ err: error }, 'ingest failed');
        // Nothing was acknowledged: the sender keeps the events and retries.
        reply(res, 503, { success: false, error: 'could not store the events; retry later' }, { 'retry-after': '5' });
      });
    return true;
  };
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

// The tag may be served from another origin than the site's (e.g. a collect. subdomain): let
// it read the answer and receive its first-party cookies.
function allowOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (origin) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'Origin');
  }
}

/** Reads the body as text whatever its type: the tag sends text/plain to avoid a CORS preflight. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > LIMITS.maxBodyBytes) {
      req.resume();
      reject(new IngestError(413, `request body larger than ${LIMITS.maxBodyBytes} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMITS.maxBodyBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new IngestError(413, `request body larger than ${LIMITS.maxBodyBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(text: string): Record<string, unknown> {
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
  if (endpoint !== 'batch') {
    if (body.type !== undefined && body.type !== endpoint) {
      throw new IngestError(400, `type ${JSON.stringify(body.type)} does not match the /v1/${endpoint} endpoint`);
    }
    // The write key authenticates the request; it is not part of the message to keep.
    const { writeKey: _writeKey, ...message } = body;
    return [{ ...message, type: endpoint }];
  }
  if (!Array.isArray(body.batch)) throw new IngestError(400, 'batch: must be an array of messages');
  if (body.batch.length > LIMITS.maxBatchMessages) {
    throw new IngestError(400, `batch: at most ${LIMITS.maxBatchMessages} messages per request`);
  }
  return body.batch;
}

async function handle(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  query: URLSearchParams,
  options: IngestOptions,
): Promise<void> {
  const body = parseBody(text);
  const writeKey = writeKeyOf(req.headers, body, query.get('writeKey'));
  if (!writeKey)
    throw new IngestError(401, 'missing write key: send it as the Basic auth user, writeKey in the body, or ?writeKey=');
  const source = await options.directory.sourceForWriteKey(writeKey);
  if (!source) throw new IngestError(401, 'unknown write key');

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
  const batchContext = typeof body.context === 'object' && body.context !== null ? body.context : undefined;
  // A batch's context applies to each of its messages; a message's own context wins per key.
  const messages = raw.map((input) => ({
    input:
      batchContext && typeof input === 'object' && input !== null
        ? { ...input, context: { ...batchContext, ...((input as { context?: object }).context ?? {}) } }
        : input,
  }));
  const { accepted, rejected } = await options.pipeline.submit({
    sourceId: source.id,
    receivedAt,
    facts,
    batchSentAt: typeof body.sentAt === 'string' ? body.sentAt : undefined,
    bodyBytes: text.length,
    messages,
  });

  setIdentityCookies(res, accepted.at(-1)?.message, facts.cookies, {
    attributionDays: options.attributionDays,
    domain: options.cookieDomain,
    secure: isSecure(req, options.trustProxy),
  });
  if (rejected.length > 0) {
    reply(res, 400, {
      success: false,
      error: `${rejected.length} of ${raw.length} messages were invalid; the other ${accepted.length} were stored`,
      accepted: accepted.length,
      rejected,
    });
    return;
  }
  reply(res, 200, { success: true });
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
