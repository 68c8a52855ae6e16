import type { DestinationRegistry, ReasonCode } from '@datafirst/destination';
import { LIMITS, validateMessage, type EnrichedMessage, type Message, type MessageError } from '@datafirst/protocol';
import type { AppendResult, Integration, NewDelivery, NewEvent, Store } from '@datafirst/store';
import type { Metrics } from '../metrics.js';
import type { SourceDirectory } from '../source-directory.js';
import { enrichMessage, type RequestFacts } from './enrich.js';
import { withLongContextTextsCut } from './long-context-texts.js';
import { routeDeliveries, type Skip } from './route.js';
import { reservedPrefixOf } from './server-message-ids.js';
import { withoutSuppressed, withoutWriteKey } from './suppression.js';

export interface PipelineOptions {
  store: Store;
  directory: SourceDirectory;
  destinations: DestinationRegistry;
  metrics: Metrics;
  consentDefault: 'granted' | 'denied';
  honorGpc: boolean;
  /** Largest single message, serialised, in bytes; `LIMITS.maxMessageBytes` when unset. */
  maxMessageBytes?: number;
}

/** One message a producer hands in, and where it may go. */
export interface SubmittedMessage {
  /** The message as the producer has it: validated here like any other. */
  input: unknown;
  /** The integrations it goes to; by default the enabled integrations of its source. */
  integrations?: readonly Integration[];
  /** Store it, but send it nowhere, for this reason (a link event switched off, a late conversion). */
  skip?: Skip;
}

/** Messages of one source that arrived together (one HTTP request, one click, one postback). */
export interface Submission {
  sourceId: string;
  receivedAt: Date;
  /** What the request says about the visitor; server-made events have none of it. */
  facts: RequestFacts;
  /** The batch's `sentAt`, for messages without their own. */
  batchSentAt?: string;
  /**
   * The size of the request body the messages came in, when there was one: no message is larger,
   * so only a body over the message limit needs its messages measured.
   */
  bodyBytes?: number;
  /**
   * True when the text the messages were parsed from holds no `\u0000`, the only way a JSON text
   * can carry a NUL: then no message is searched for one.
   */
  withoutNul?: boolean;
  messages: readonly SubmittedMessage[];
  /**
   * True for events the server makes itself (smart-link clicks, postbacks, warehouse syncs): only
   * they may carry the message ids of `server-message-ids.ts`. Unset, the messages are a sender's.
   */
  serverMade?: boolean;
  /**
   * True when the messages came with a browser source's write key, which is public (it is in
   * every page, and a script can send it without a browser's Origin): their identify calls may add
   * traits to their own anonymous id only, never to a user id's profile (anyone could attach their
   * email to someone else's purchases), and their alias calls link no profiles. A server-side
   * source's key is secret, so its senders are trusted with user ids, as are the server's own events.
   */
  publicWriteKey?: boolean;
  /**
   * True for a warehouse sync's rows: a message that every integration it goes to would refuse
   * for good, for what the row itself holds (a purchase without a value, say), is rejected here
   * with the destination's reason rather than stored as a failed delivery. The row then fails and
   * its next run retries it, as it does a row that is no valid event; stored, the retry would be a
   * repeat of its message id and never sent.
   */
  refuseUnsendable?: boolean;
}

export interface SubmissionResult {
  /** The messages that passed validation (and are not of a suppressed person), enriched, with their deliveries. */
  accepted: NewEvent[];
  rejected: MessageError[];
  stored: number;
  /** Accepted but already stored (same source and messageId): not stored or sent twice. */
  duplicates: number;
  /** The message ids of those duplicates. */
  duplicateIds: string[];
  /** Accepted messages of suppressed people (erased with `suppress`): dropped, neither stored nor sent. */
  suppressed: number;
}

/** Facts for events the server makes itself: no request of a visitor's stands behind them. */
export const NO_REQUEST: RequestFacts = { cookies: {}, gpc: false };

/**
 * The one way in for events, whoever produces them (the ingest API, smart-link clicks,
 * postbacks, warehouse syncs): validate → enrich → route to integrations → append durably →
 * count in metrics (the store tells the workers). Resolves only once the events are durable, so a producer
 * may acknowledge them.
 */
export class EventPipeline {
  private readonly enrichers;

  constructor(private readonly options: PipelineOptions) {
    this.enrichers = options.destinations.enrichers();
  }

  /** Runs every step for a submission. Rejected messages are reported, never stored. */
  async submit(submission: Submission): Promise<SubmissionResult> {
    const { store, metrics } = this.options;
    const { accepted: events, rejected } = await this.prepare(submission);
    // People erased with suppression are dropped here, and not counted as stored.
    const { kept, dropped } = await withoutSuppressed(store, events);
    const nothing: AppendResult = { stored: 0, duplicates: 0, duplicateIds: [] };
    const { stored, duplicates, duplicateIds } = kept.length > 0 ? await this.append(submission.sourceId, kept) : nothing;
    metrics.received.inc({ source: submission.sourceId }, stored);
    countSkips(metrics, kept, duplicateIds);
    if (duplicates > 0) metrics.duplicates.inc({ source: submission.sourceId }, duplicates);
    if (rejected.length > 0) metrics.rejected.inc({ reason: 'message' }, rejected.length);
    return { accepted: kept, rejected, stored, duplicates, duplicateIds, suppressed: dropped };
  }

  /** Appends durably, timing the wait for the commit (`datafirst_ingest_store_seconds`). */
  private async append(sourceId: string, events: NewEvent[]): Promise<AppendResult> {
    const started = performance.now();
    const result = await this.options.store.appendEvents(sourceId, events);
    this.options.metrics.storeLatency.observe((performance.now() - started) / 1000);
    return result;
  }

  /**
   * Validates, enriches and routes a submission without storing anything: what `submit` would
   * append, for previews (a warehouse sync's first rows as the events they would become).
   */
  async prepare(submission: Submission): Promise<{ accepted: NewEvent[]; rejected: MessageError[] }> {
    const { directory, destinations } = this.options;
    const rejected: MessageError[] = [];
    const events: NewEvent[] = [];
    let sourceIntegrations: Integration[] | undefined;
    const enrichOptions = {
      receivedAt: submission.receivedAt,
      batchSentAt: submission.batchSentAt,
      consentDefault: this.options.consentDefault,
      honorGpc: this.options.honorGpc,
      enrichers: this.enrichers,
    };
    for (const [index, item] of submission.messages.entries()) {
      const checked = validate(withLongContextTextsCut(withoutWriteKey(item.input)), index, {
        maxBytes: this.options.maxMessageBytes ?? LIMITS.maxMessageBytes,
        bodyBytes: submission.bodyBytes,
        serverMade: submission.serverMade === true,
        mayHoldNul: submission.withoutNul !== true,
      });
      if (!checked.ok) {
        rejected.push(checked.error);
        continue;
      }
      const message = enrichMessage(checked.message, submission.facts, enrichOptions);
      const integrations = item.integrations ?? (sourceIntegrations ??= await directory.integrationsOf(submission.sourceId));
      const deliveries = routeDeliveries(message, integrations, destinations, item.skip);
      const refusal = submission.refuseUnsendable
        ? unsendable(message, deliveries, integrations, destinations, enrichOptions.receivedAt)
        : undefined;
      if (refusal) {
        rejected.push({
          index,
          messageId: message.messageId,
          errors: [`${refusal.code}: ${refusal.detail}`],
          reasonCode: refusal.code,
        });
        continue;
      }
      events.push(submission.publicWriteKey ? { message, deliveries, anonymousProfileOnly: true } : { message, deliveries });
    }
    return { accepted: events, rejected };
  }
}

/**
 * Why every pending delivery of a message would fail for good at its destination's build, for
 * what the message holds: the first such refusal; undefined when one would go (or none is
 * pending). Not enough identifiers is not such a reason: the person's profile, which the worker
 * adds, may hold them.
 */
function unsendable(
  message: EnrichedMessage,
  deliveries: readonly NewDelivery[],
  integrations: readonly Integration[],
  destinations: DestinationRegistry,
  now: Date,
): { code: ReasonCode; detail: string } | undefined {
  let refusal: { code: ReasonCode; detail: string } | undefined;
  for (const delivery of deliveries) {
    if (delivery.status !== 'pending') continue;
    const integration = integrations.find((candidate) => candidate.id === delivery.integrationId);
    const destination = integration && destinations.get(integration.vendor);
    const config = destination?.validateConfig(integration!.config);
    if (!destination || !config?.ok) return undefined;
    const built = destination.build(message, config.config, { now });
    if (built.ok || built.status !== 'failed' || built.code === 'insufficient_identifiers') return undefined;
    refusal ??= { code: built.code, detail: built.detail };
  }
  return refusal;
}

/**
 * Counts the skips decided here (no consent, excluded by the sender, a producer's skip) in
 * `datafirst_deliveries_skipped_total`, as the worker counts those it decides, for the events
 * stored now: a repeat's deliveries were counted with the first.
 */
function countSkips(metrics: Metrics, events: readonly NewEvent[], duplicateIds: readonly string[]): void {
  const repeats = duplicateIds.length > 0 ? new Set(duplicateIds) : undefined;
  for (const { message, deliveries } of events) {
    if (repeats?.has(message.messageId)) continue;
    for (const delivery of deliveries) {
      if (delivery.status !== 'skipped') continue;
      metrics.skipped.inc({ integration: delivery.integrationId, reason: delivery.reasonCode ?? 'skipped' });
    }
  }
}

type Validated = { ok: true; message: Message } | { ok: false; error: MessageError };

interface ValidateOptions {
  maxBytes: number;
  /** The request body's size, when there was one: only a larger body's messages are measured. */
  bodyBytes: number | undefined;
  serverMade: boolean;
  /** False when the text the message came in has no NUL in it, so the message is not searched. */
  mayHoldNul: boolean;
}

const NUL_REFUSED =
  'message: holds the NUL character (\\u0000), which no string of an event may hold (PostgreSQL cannot store it, and no destination wants it)';

/**
 * The message checked against its schema, the size limit, the server's id namespace and the NUL
 * character, or why it is refused.
 */
function validate(input: unknown, index: number, options: ValidateOptions): Validated {
  const { maxBytes, bodyBytes = Infinity, serverMade, mayHoldNul } = options;
  const messageId = (input as { messageId?: unknown } | null)?.messageId;
  const id = typeof messageId === 'string' ? messageId : undefined;
  if (bodyBytes > maxBytes && jsonBytesAtMost(input) > maxBytes && Buffer.byteLength(JSON.stringify(input ?? null)) > maxBytes) {
    return { ok: false, error: { index, messageId: id, errors: [`message: larger than ${maxBytes} bytes`] } };
  }
  const result = validateMessage(input);
  if (!result.ok) return { ok: false, error: { index, messageId: id, errors: result.errors } };
  // The id as it is stored, once the schema has trimmed it: " pb:T2" would be stored as "pb:T2".
  const stored = result.message.messageId;
  const reserved = stored === undefined || serverMade ? undefined : reservedPrefixOf(stored);
  if (reserved !== undefined) {
    return {
      ok: false,
      error: { index, messageId: id, errors: [`messageId: ids starting with "${reserved}" are made by the server`] },
    };
  }
  // Refused here for every engine and producer alike: stored in SQLite but refused by PostgreSQL,
  // one such message failed its whole batch there, and its sender retried it for ever.
  if (mayHoldNul && holdsNul(result.message)) return { ok: false, error: { index, messageId: id, errors: [NUL_REFUSED] } };
  return { ok: true, message: result.message };
}

/** True when a string of the value (a key or a value, at any depth) holds U+0000. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsNul);
  for (const key in value) if (key.includes('\0') || holdsNul((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * An upper bound on the bytes of a value's JSON: a character takes at most 6 bytes (`\u0000`), a
 * number at most 25, each key or item its quotes, colon and comma. Messages without a request
 * body to bound them (server-made ones: link clicks, postbacks, warehouse rows) are far below the
 * limit; this walk says so in a tenth of the time of serialising them to measure.
 */
function jsonBytesAtMost(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 2 + 6 * value.length;
    case 'number':
    case 'bigint':
      return 25;
    case 'boolean':
      return 5;
    case 'object': {
      if (value === null) return 4;
      let bytes = 2;
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) bytes += 1 + jsonBytesAtMost(item);
        return bytes;
      }
      for (const [key, item] of Object.entries(value)) bytes += 4 + 6 * key.length + jsonBytesAtMost(item);
      return bytes;
    }
    default:
      return 0; // undefined and functions are left out of JSON
  }
}
