import type { EnrichedMessage, MessageContext, Traits } from '@datafirst/protocol';
import type { ConfigCheck, ConfigField } from './config-fields.js';
import type { ReasonCode } from './reason-codes.js';

/** What a destination may use besides the message when it builds an event. */
export interface BuildContext {
  /** The clock, for age limits. */
  now: Date;
  /** Traits earlier `identify` calls gave the person; the message's own traits win per field. */
  profileTraits?: Traits;
  /** Marks the event as a test event where the destination has such a thing. */
  testEventCode?: string;
}

/**
 * A built event and the batch it may share a request with, or why it is not sent: `skipped` on
 * purpose, `failed` for good, or `blocked` (parked) until a config change cures it; the code
 * says which (its `outcome` in the reason codes matches the status).
 */
export type BuildResult<Event> =
  { ok: true; event: Event; batchKey: string } | { ok: false; status: BuildRefusalStatus; code: ReasonCode; detail: string };

/** How a refused build is recorded. */
export type BuildRefusalStatus = 'skipped' | 'failed' | 'blocked';

/**
 * What to do after the destination answered a request. Indexes are positions in the request's
 * events, 0-based. Every kind but `delivered` carries a reason code and the detail in words.
 */
export type SendOutcome =
  /** Accepted; single events may still have been refused (`failed`), which fail for good. */
  | { kind: 'delivered'; failed: { index: number; reason: string }[] }
  /** One event is invalid: it fails for good; resend the others now, with the same ids. */
  | { kind: 'invalid_event'; index: number; reason: string; codes: string[] }
  /** The request as a whole was refused: halve the batch and resend each half. */
  | { kind: 'split'; reason: string }
  /** Credentials refused: park the integration's deliveries until its config changes. */
  | { kind: 'credentials'; reason: string }
  /** Try again later, not before `retryAfterMs` when the destination said so. */
  | { kind: 'retry'; code: RetryCode; reason: string; retryAfterMs?: number }
  /** Fails for good; retrying would get the same answer. */
  | { kind: 'permanent'; reason: string };

/** Why a request is to be tried again. */
export type RetryCode = Extract<ReasonCode, 'rate_limited' | 'destination_unavailable' | 'network_error' | 'timeout'>;

/** One request to the destination and its answer. */
export interface SendReport {
  outcome: SendOutcome;
  /** The HTTP status, when an answer came. */
  status?: number;
  /** The answer as data (parsed JSON, or its text), to show in the debugger. */
  response: unknown;
  durationMs: number;
  /** Each event as it was sent (secrets masked), in the order given, to record with its delivery. */
  payloads: unknown[];
  /**
   * `payloads` already as JSON text, when the destination serialised them anyway (to build the
   * request): what is recorded then, so a batch is not serialised a second time.
   */
  payloadJsons?: string[];
  /** The request as sent (secrets masked), for the admin API's test answer. */
  request: { url: string; body: unknown };
}

/** What a purchase is worth. */
export interface Purchase {
  value: number;
  /** ISO 4217 code. */
  currency: string;
}

/** An identifier the destination matches people by, in the order the admin UI shows them. */
export interface IdentifierInfo {
  key: string;
  /** For tables. */
  label: string;
  /** For chips. */
  shortLabel: string;
}

/** The destination's own event names and the mapping it applies when nothing is configured. */
export interface EventVocabulary {
  eventNames: readonly string[];
  /** Site event name (the page key for page views) → destination event name. */
  defaultEventMap: Readonly<Record<string, string>>;
  /** The `event_map` key that stands for page views. */
  pageEventKey: string;
}

/**
 * An ad platform. The worker, the store and the admin API speak only to this: adding a platform
 * is one more implementation, with no change to the pipeline, the store or the worker loop.
 */
export interface Destination<Config = Record<string, unknown>, Event = unknown> {
  /** Stored as the integration's `vendor`. */
  readonly vendor: string;
  /** The platform's name, for people. */
  readonly name: string;
  /**
   * Other names senders give the platform in a message's `integrations` object (Segment's and
   * RudderStack's destination names), besides `vendor` and `name`; compared ignoring case.
   */
  readonly aliases?: readonly string[];
  /** Settings, in the order the form shows them. */
  readonly fields: readonly ConfigField[];
  /** The identifiers match quality is reported for. */
  readonly identifiers: readonly IdentifierInfo[];
  /** Events one request may carry. */
  readonly maxBatchSize: number;
  /**
   * How old an event may be (by its time) for the platform to take it, when it has a limit:
   * producers of old events (warehouse syncs) skip older ones before storing them.
   */
  readonly maxEventAgeMs?: number;
  /** The event names a message may be mapped to, for the admin UI's `event_map` editor. */
  readonly eventVocabulary?: EventVocabulary;

  /** Checks a whole config (defaults filled in, types coerced where the API allows). */
  validateConfig(input: unknown): ConfigCheck<Config>;
  /** Requests a second (with a burst) the integration may send; the worker's token bucket. */
  rateLimit(config: Config): { rps: number; burst: number };
  /**
   * The account an event goes to (a pixel, an app), or undefined when it goes nowhere. Two
   * integrations with the same key would count a conversion twice.
   */
  accountOf(message: EnrichedMessage, config: Config): string | undefined;
  /** Builds the destination's event for a stored message, or says why it must not be sent. */
  build(message: EnrichedMessage, config: Config, context: BuildContext): BuildResult<Event>;
  /**
   * The identifiers (`identifiers` keys) a message carries, and, once built, its event: the
   * event also holds what the person's profile added.
   */
  identifiersOf(message: EnrichedMessage, event?: Event): string[];
  /**
   * What a built event reports as a purchase (its value and currency), when it is one: the
   * revenue trends count once it is delivered.
   */
  purchaseOf?(event: Event): Purchase | undefined;
  /** Sends one request's worth of events (at most `maxBatchSize`, one `batchKey`). */
  send(config: Config, events: Event[]): Promise<SendReport>;
  /** Sends events to the destination's validation endpoint, where it has one: checked, not counted. */
  validate?(config: Config, events: Event[], testEventCode?: string): Promise<SendReport>;
  /** Adds the destination's own first-party identifiers to a message's context at ingest. */
  enrichContext?: ContextEnricher;
  /** A realistic message for the admin's "send a test event". */
  sampleMessage(now: Date, config: Config): EnrichedMessage;
}

/**
 * Adds what a destination's own first-party identifiers say (its cookies, a click id on the
 * landing URL) to a message's context; the sender's values win where the destination says so.
 */
export type ContextEnricher = (context: MessageContext, cookies: Readonly<Record<string, string>>) => MessageContext;

/** Any destination, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each destination has its own config and event types
export type AnyDestination = Destination<any, any>;
