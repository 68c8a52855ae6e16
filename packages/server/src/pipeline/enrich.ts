import { randomUUID } from 'node:crypto';
import type { EnrichedMessage, Message } from '@datafirst/protocol';

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
}

/** Reads the `ScCid` query parameter from a URL, matching its name in any casing. */
export function clickIdFromUrl(url: string | undefined): string | undefined {
  // Runs for every message: most URLs carry no click id, and a full URL parse costs microseconds.
  if (!url || !/sccid=/i.test(url)) return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  for (const [key, value] of params) {
    if (key.toLowerCase() === 'sccid' && value) return value;
  }
  return undefined;
}

/**
 * The event time: the sender's timestamp, corrected for the sender's clock skew when `sentAt`
 * is known (receivedAt − (sentAt − timestamp)), and never later than receipt.
 */
export function correctTimestamp(timestamp: string | undefined, sentAt: string | undefined, receivedAt: Date): string {
  const received = receivedAt.getTime();
  const at = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) return receivedAt.toISOString();
  const sent = sentAt ? Date.parse(sentAt) : NaN;
  const corrected = Number.isNaN(sent) ? at : received - (sent - at);
  return new Date(Math.min(corrected, received)).toISOString();
}

/**
 * Fills in what the collector knows and the sender may not: ids, receipt time, client IP and
 * user agent, first-party cookies, the click id on the page URL, and consent. Values the sender
 * gave win (server-side callers set `context.ip` for their end user), except GPC, which only
 * ever narrows consent.
 */
export function enrichMessage(message: Message, facts: RequestFacts, options: EnrichOptions): EnrichedMessage {
  const context = { ...(message.context ?? {}) };
  context.ip ??= facts.ip;
  context.userAgent ??= facts.userAgent;

  const snapchat = { ...(context.snapchat ?? {}) };
  // The landing URL's ScCid is the latest click, so it wins over an older cookie value.
  snapchat.clickId = clickIdFromUrl(context.page?.url) ?? snapchat.clickId ?? facts.cookies._scclid;
  snapchat.cookie1 ??= facts.cookies._scid;
  if (snapchat.clickId === undefined) delete snapchat.clickId;
  if (snapchat.cookie1 === undefined) delete snapchat.cookie1;
  context.snapchat = snapchat;

  const preferences = { ...(context.consent?.categoryPreferences ?? {}) };
  if (preferences.advertising === undefined) preferences.advertising = options.consentDefault === 'granted';
  if (facts.gpc && options.honorGpc) preferences.advertising = false;
  context.consent = { ...(context.consent ?? {}), categoryPreferences: preferences };

  const { sentAt, ...rest } = message;
  return {
    ...rest,
    anonymousId: message.anonymousId ?? facts.cookies._dfid,
    messageId: message.messageId ?? randomUUID(),
    timestamp: correctTimestamp(message.timestamp, sentAt ?? options.batchSentAt, options.receivedAt),
    receivedAt: options.receivedAt.toISOString(),
    context,
  };
}
