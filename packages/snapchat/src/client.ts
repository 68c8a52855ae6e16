import { type Dispatcher, request } from 'undici';
import type { SnapchatConfig } from './config.js';
import { classifyNetworkError, classifyResponse, type SendOutcome } from './outcome.js';
import {
  buildSendRequest,
  buildValidationReportRequest,
  maskAccessToken,
  SNAPCHAT_API_URL,
  type SendRequestOptions,
  type ValidationReport,
} from './request.js';
import type { SnapV3Event } from './v3-event.js';

/** Options of {@link SnapchatClient}. */
export interface SnapchatClientOptions {
  /** Snap's host, or the mock's URL in tests and demo mode (default `https://tr.snapchat.com`). */
  baseUrl?: string;
  /** undici dispatcher, e.g. a MockAgent in tests or a pooled Agent in production. */
  dispatcher?: Dispatcher;
  /** Deadline for the whole exchange, answer body included (default 30 s). */
  timeoutMs?: number;
  /** Clock for `Retry-After` dates (default: now). */
  now?: () => Date;
}

/** Everything about one request to Snapchat, for the delivery record and the debugger. */
export interface SendResult {
  /** The URL requested, with the access token masked. */
  url: string;
  /** The request body exactly as sent. */
  body: string;
  /** Each event's JSON as the body carries it, when the request was built from them (v3, no test event code). */
  eventJsons?: string[];
  /** Snap's HTTP status; absent when no answer came. */
  status?: number;
  responseBody?: string;
  headers?: Record<string, string | string[] | undefined>;
  durationMs: number;
  outcome: SendOutcome;
}

/** Snap's answer to a read of its test tools (validate logs or stats). */
export interface ReportResult {
  /** The URL requested, with the access token masked. */
  url: string;
  /** Snap's HTTP status; absent when no answer came. */
  status?: number;
  /** The answer, parsed when it is JSON. */
  body?: unknown;
  /** Why no answer came (timeout, reset, DNS…). */
  error?: string;
  durationMs: number;
}

/** Snap asks for answers within 30 s of sending; a slower exchange is retried. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Sends events to Snapchat's Conversions API (v3, or v2 per config) and classifies the answer.
 * It never throws for HTTP or network failures: every answer, or its absence, is an outcome.
 */
export class SnapchatClient {
  readonly #baseUrl: string;
  readonly #dispatcher: Dispatcher | undefined;
  readonly #timeoutMs: number;
  readonly #now: () => Date;

  constructor(options: SnapchatClientOptions = {}) {
    this.#baseUrl = options.baseUrl ?? SNAPCHAT_API_URL;
    this.#dispatcher = options.dispatcher;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Sends `events` (one asset, at most 2000) and returns what happened. Throws only for a batch
   * that could never be sent (empty, oversized or mixed assets), which is the caller's bug.
   */
  async send(config: SnapchatConfig, events: readonly SnapV3Event[], options: SendRequestOptions = {}): Promise<SendResult> {
    const built = buildSendRequest(this.#baseUrl, config, events, options);
    const apiVersion = config.api_version ?? 'v3';
    const url = maskAccessToken(built.url);
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await request(built.url, {
        method: built.method,
        headers: built.headers,
        body: built.body,
        dispatcher: this.#dispatcher,
        signal: deadline,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const responseBody = await response.body.text();
      const headers = response.headers as Record<string, string | string[] | undefined>;
      const outcome = classifyResponse(
        apiVersion,
        { status: response.statusCode, headers, body: responseBody },
        events.length,
        this.#now(),
      );
      return {
        url,
        body: built.body,
        eventJsons: built.eventJsons,
        status: response.statusCode,
        responseBody,
        headers,
        durationMs: elapsed(),
        outcome,
      };
    } catch (error) {
      const outcome: SendOutcome = deadline.aborted
        ? { kind: 'retry', code: 'timeout', reason: `timed out after ${this.#timeoutMs} ms without a complete answer` }
        : classifyNetworkError(error);
      return { url, body: built.body, eventJsons: built.eventJsons, durationMs: elapsed(), outcome };
    }
  }

  /** Sends `events` to the validate endpoint: Snap checks them and shows them as test events, uncounted. */
  validate(config: SnapchatConfig, events: readonly SnapV3Event[], testEventCode?: string): Promise<SendResult> {
    return this.send(config, events, { validate: true, testEventCode });
  }

  /** Snap's log of the test events of the last 24 hours for an asset (default: the pixel). Never throws. */
  validationLogs(config: SnapchatConfig, assetId?: string): Promise<ReportResult> {
    return this.#report(config, 'logs', assetId);
  }

  /** Snap's counts of test and live events of the past hour for an asset (default: the pixel). Never throws. */
  validationStats(config: SnapchatConfig, assetId?: string): Promise<ReportResult> {
    return this.#report(config, 'stats', assetId);
  }

  async #report(config: SnapchatConfig, report: ValidationReport, assetId: string | undefined): Promise<ReportResult> {
    const built = buildValidationReportRequest(this.#baseUrl, config, report, assetId);
    const url = maskAccessToken(built.url);
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const deadline = AbortSignal.timeout(this.#timeoutMs);
    try {
      const response = await request(built.url, {
        method: built.method,
        headers: built.headers,
        dispatcher: this.#dispatcher,
        signal: deadline,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      const text = await response.body.text();
      return { url, status: response.statusCode, body: parseJsonOrText(text), durationMs: elapsed() };
    } catch (error) {
      const outcome = classifyNetworkError(error);
      const reason = 'reason' in outcome ? outcome.reason : String(error);
      return { url, error: deadline.aborted ? `timed out after ${this.#timeoutMs} ms` : reason, durationMs: elapsed() };
    }
  }
}

function parseJsonOrText(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
