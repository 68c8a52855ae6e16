import { randomUUID } from 'node:crypto';
import type { ContextEnricher } from '@datafirst/destination';
import type { EnrichedMessage, Message } from '@datafirst/protocol';
import { firstValidIp } from './first-valid-ip.js';
import { consentFor } from './consent-categories.js';

/** What the collector knows about the HTTP request a message came in. */
export interface RequestFacts {
  ip?: string;
  userAgent?: string;
  /** First-party cookies sent with the request. */
  cookies: Record<string, string>;
  /** The browser sent `Sec-GPC: 1` (Global Privacy Control). */
  gpc: boolean;
}

export interface EnrichOptions {
  receivedAt: Date;
  /** The batch's `sentAt`, used when the message has none. */
  batchSentAt?: string;
  consentDefault: 'granted' | 'denied';
  honorGpc: boolean;
  /** What destinations add from their own first-party identifiers (cookies, landing-URL click ids). */
  enrichers?: readonly ContextEnricher[];
}

/**
 * The event time: the sender's timestamp (`timestamp`, else RudderStack's `originalTimestamp`;
 * pass the one found), corrected for the sender's clock skew when `sentAt`
 * is known (receivedAt − (sentAt − timestamp)), and never later than receipt.
 */
export function correctTimestamp(timestamp: string | undefined, sentAt: string | undefined, receivedAt: Date): string {
  const received = receivedAt.getTime();
  const at = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) return isoOf(receivedAt);
  const sent = sentAt ? Date.parse(sentAt) : NaN;
  const corrected = Number.isNaN(sent) ? at : received - (sent - at);
  return corrected >= received ? isoOf(receivedAt) : new Date(corrected).toISOString();
}

// The receipt time as ISO 8601, written into every message of a request (twice, when it has no
// timestamp): made once per request rather than per message, as the messages share it.
let lastMs = NaN;
let lastIso = '';

/** A time as ISO 8601; the last one asked for is kept. */
function isoOf(time: Date): string {
  const ms = time.getTime();
  if (ms !== lastMs) {
    lastIso = time.toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/**
 * A shallow copy of an object's own properties (but `omit`), as `{ ...value }` makes it. Every
 * event is copied like this a few times; V8's object spread measured several times slower than
 * this loop on messages (5.5 µs instead of 14 µs an event for the whole enrichment).
 */
function copyOf<T extends object>(value: T | undefined, omit?: string): T {
  const copy: Record<string, unknown> = {};
  if (value !== undefined) for (const key of Object.keys(value)) if (key !== omit) copy[key] = value[key as keyof T];
  return copy as T;
}

/**
 * Fills in what the collector knows and the sender may not: ids, receipt time, client IP and
 * user agent, what destinations read from first-party cookies and the page URL, and consent. Values the sender
 * gave win (server-side callers set `context.ip` for their end user, a list reduced to its first
 * valid address), except GPC, which only ever narrows consent.
 */
export function enrichMessage(message: Message, facts: RequestFacts, options: EnrichOptions): EnrichedMessage {
  let context = copyOf(message.context ?? {});
  context.ip = (context.ip === undefined ? undefined : firstValidIp(context.ip)) ?? facts.ip;
  context.userAgent ??= facts.userAgent;

  for (const enrich of options.enrichers ?? []) context = enrich(context, facts.cookies);

  // What every ad destination needs, kept as `advertising` whatever casing the sender used.
  const preferences = copyOf(context.consent?.categoryPreferences ?? {});
  preferences.advertising =
    facts.gpc && options.honorGpc ? false : (consentFor(preferences, 'advertising') ?? options.consentDefault === 'granted');
  const consent = copyOf(context.consent ?? {});
  consent.categoryPreferences = preferences;
  context.consent = consent;

  // The message without `sentAt` (the time is corrected by it), and what enrichment adds.
  const enriched = copyOf(message, 'sentAt') as EnrichedMessage;
  enriched.anonymousId = message.anonymousId ?? facts.cookies._dfid;
  enriched.messageId = message.messageId ?? randomUUID();
  enriched.timestamp = correctTimestamp(
    message.timestamp ?? message.originalTimestamp,
    message.sentAt ?? options.batchSentAt,
    options.receivedAt,
  );
  enriched.receivedAt = isoOf(options.receivedAt);
  enriched.context = context;
  return enriched;
}
