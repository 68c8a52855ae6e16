import express, { type Request, type Response, type Router } from 'express';
import { LIMITS, validateMessage, type EnrichedMessage, type MessageError } from '@datafirst/protocol';
import type { NewEvent, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import type { SourceDirectory } from '../source-directory.js';
import type { Metrics } from '../metrics.js';
import { clickIdFromUrl, enrichMessage } from './enrich.js';
import { identityCookie, parseCookies } from './cookies.js';
import { routeDeliveries } from './route-deliveries.js';
import { writeKeyOf } from './write-key.js';

export interface IngestOptions {
  store: Store;
  directory: SourceDirectory;
  logger: Logger;
  metrics: Metrics;
  consentDefault: 'granted' | 'denied';
  honorGpc: boolean;
  now?: () => Date;
}

type Endpoint = 'batch' | 'track' | 'page' | 'identify';

class IngestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The Segment-compatible ingest API: `POST /v1/batch`, `/v1/track`, `/v1/page`, `/v1/identify`. */
export function ingestRouter(options: IngestOptions): Router {
  const router = express.Router();
  // Bodies are read as text whatever their type: the tag sends text/plain to avoid a CORS
  // preflight, and reading it ourselves lets malformed JSON get a clear 400.
  const body = express.text({ type: () => true, limit: LIMITS.maxBodyBytes });

  for (const endpoint of ['batch', 'track', 'page', 'identify'] as const) {
    router.options(`/v1/${endpoint}`, (req, res) => {
      allowOrigin(req, res);
      res.set('Access-Control-Allow-Methods', 'POST').set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
      res.set('Access-Control-Max-Age', '86400').status(204).end();
    });
    router.post(`/v1/${endpoint}`, body, (req, res) => {
      handle(endpoint, req, res, options).catch((error: unknown) => {
        if (error instanceof IngestError) {
          options.metrics.rejected.inc({ reason: 'request' });
          res.status(error.status).json({ success: false, error: error.message });
          return;
        }
        options.logger.error({ err: error }, 'ingest failed');
        res.status(500).json({ success: false, error: 'could not store the events; retry' });
      });
    });
  }
  return router;
}

// The tag may be served from another origin than the site's (e.g. a collect. subdomain): let
// it read the answer and receive its first-party cookies.
function allowOrigin(req: Request, res: Response): void {
  const origin = req.headers.origin;
  if (origin) res.set('Access-Control-Allow-Origin', origin).set('Access-Control-Allow-Credentials', 'true').vary('Origin');
}

function parseBody(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') throw new IngestError(400, 'empty body: expected a JSON object');
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
      throw new IngestError(400, `type "${String(body.type)}" does not match the /v1/${endpoint} endpoint`);
    }
    return [{ ...body, type: endpoint }];
  }
  if (!Array.isArray(body.batch)) throw new IngestError(400, 'batch: must be an array of messages');
  if (body.batch.length > LIMITS.maxBatchMessages) {
    throw new IngestError(400, `batch: at most ${LIMITS.maxBatchMessages} messages per request`);
  }
  return body.batch;
}

async function handle(endpoint: Endpoint, req: Request, res: Response, options: IngestOptions): Promise<void> {
  allowOrigin(req, res);
  const body = parseBody(req.body);
  const writeKey = writeKeyOf(req.headers, body, req.query);
  if (!writeKey) throw new IngestError(401, 'missing write key: send it as the Basic auth user, writeKey in the body, or ?writeKey=');
  const source = await options.directory.sourceForWriteKey(writeKey);
  if (!source) throw new IngestError(401, 'unknown write key');

  const raw = messagesOf(endpoint, body);
  const receivedAt = options.now?.() ?? new Date();
  const cookies = parseCookies(req.headers.cookie);
  const facts = {
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    cookies,
    gpc: req.headers['sec-gpc'] === '1',
  };
  const batchSentAt = typeof body.sentAt === 'string' ? body.sentAt : undefined;
  const batchContext = typeof body.context === 'object' && body.context !== null ? body.context : undefined;
  const integrations = await options.directory.integrationsOf(source.id);

  const rejected: MessageError[] = [];
  const events: NewEvent[] = [];
  raw.forEach((input, index) => {
    const messageId = (input as { messageId?: unknown } | null)?.messageId;
    const id = typeof messageId === 'string' ? messageId : undefined;
    if (JSON.stringify(input ?? null).length > LIMITS.maxMessageBytes) {
      rejected.push({ index, messageId: id, errors: [`message: larger than ${LIMITS.maxMessageBytes} bytes`] });
      return;
    }
    const withContext = batchContext && typeof input === 'object' && input !== null
      ? { ...input, context: { ...batchContext, ...((input as { context?: object }).context ?? {}) } }
      : input;
    const result = validateMessage(withContext);
    if (!result.ok) {
      rejected.push({ index, messageId: id, errors: result.errors });
      return;
    }
    const message = enrichMessage(result.message, facts, {
      receivedAt,
      batchSentAt,
      consentDefault: options.consentDefault,
      honorGpc: options.honorGpc,
    });
    events.push({ message, deliveries: routeDeliveries(message, integrations) });
  });

  const { stored, duplicates } = events.length > 0 ? await options.store.appendEvents(source.id, events) : { stored: 0, duplicates: 0 };
  options.metrics.received.inc({ source: source.id }, stored);
  if (duplicates > 0) options.metrics.duplicates.inc({ source: source.id }, duplicates);
  if (rejected.length > 0) options.metrics.rejected.inc({ reason: 'message' }, rejected.length);

  setIdentityCookies(req, res, events.at(-1)?.message);
  if (rejected.length > 0) {
    res.status(400).json({
      success: false,
      error: `${rejected.length} of ${raw.length} messages were invalid; the other ${events.length} were stored`,
      accepted: events.length,
      rejected,
    });
    return;
  }
  res.status(200).json({ success: true });
}

/** Re-issues the tag's identity cookies from the server, so they last beyond script-cookie caps. */
function setIdentityCookies(req: Request, res: Response, message: EnrichedMessage | undefined): void {
  if (!message || !req.headers.origin && !req.headers.cookie && !req.headers.referer) return; // not a browser
  const secure = req.secure;
  const cookies: string[] = [];
  if (message.anonymousId) cookies.push(identityCookie('_dfid', message.anonymousId, secure));
  const snapchat = message.context.snapchat;
  if (snapchat?.cookie1) cookies.push(identityCookie('_scid', snapchat.cookie1, secure));
  // Only a new click restarts the attribution window; re-sending the old one would stretch it.
  const newClick = clickIdFromUrl(message.context.page?.url);
  if (newClick) cookies.push(identityCookie('_scclid', newClick, secure));
  if (cookies.length > 0) res.append('Set-Cookie', cookies);
}
