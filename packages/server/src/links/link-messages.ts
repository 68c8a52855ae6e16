import { LIMITS, type EnrichedMessage, type MessageContext, type Traits } from '@datafirst/protocol';
import type { Conversion, Link, LinkClick } from '@datafirst/store';
import type { PlannedEvent } from './conversion-events.js';

/** How the collector treats consent for requests that carry none. */
export interface ConsentPolicy {
  consentDefault: 'granted' | 'denied';
  honorGpc: boolean;
}

/**
 * Advertising consent for a click and its conversions. Neither a redirect nor a postback carries
 * a consent choice, so the collector's default applies, as for any event without one; a click
 * whose browser sent Global Privacy Control opts the click and its conversions out.
 */
export function clickConsent(click: Pick<LinkClick, 'gpc'>, policy: ConsentPolicy): boolean {
  return policy.consentDefault === 'granted' && !(click.gpc && policy.honorGpc);
}

function clip(text: string | null, max: number): string | undefined {
  return text === null || text === '' ? undefined : text.slice(0, max);
}

// What Snapchat matches a server-side event on: the fan's IP and user agent as the click saw
// them (postbacks come from the offer network's servers), and the ScCid of the ad.
function clickContext(
  click: LinkClick,
  pageUrl: string,
  planned: PlannedEvent,
  consent: boolean,
  referrer?: string,
): MessageContext {
  const context: MessageContext = {
    page: { url: pageUrl.slice(0, LIMITS.maxUrlLength), ...(referrer ? { referrer: clip(referrer, LIMITS.maxUrlLength) } : {}) },
    snapchat: { ...(click.adClickId ? { clickId: click.adClickId } : {}), eventName: planned.snapchatEvent },
    consent: { categoryPreferences: { advertising: consent } },
  };
  const ip = clip(click.ip, 64);
  const userAgent = clip(click.userAgent, LIMITS.maxUserAgentLength);
  if (ip) context.ip = ip;
  if (userAgent) context.userAgent = userAgent;
  return context;
}

/** The message a click is stored as: its event is sent from the link URL the fan opened. */
export function clickMessage(
  link: Link,
  click: LinkClick,
  planned: PlannedEvent,
  consent: boolean,
  receivedAt: Date,
): EnrichedMessage {
  return {
    type: 'track',
    event: planned.name,
    messageId: planned.messageId,
    // The click id stands for the fan: the click and all its conversions share it in the debugger.
    anonymousId: click.id,
    timestamp: click.createdAt,
    receivedAt: receivedAt.toISOString(),
    properties: { link_id: link.id, link_name: link.name, offer_type: link.offerType, click_id: click.id },
    context: clickContext(click, click.url, planned, consent, click.referrer ?? undefined),
  };
}

/** What a postback adds to a conversion's message besides the conversion itself. */
export interface ConversionExtras {
  userId?: string;
  traits: Traits;
  /** False when we made the txid up: then it is no order id Snapchat could deduplicate on. */
  txidGiven: boolean;
}

/** The message one event of a conversion is stored as: it happened at the destination the fan was sent to. */
export function conversionMessage(
  link: Link,
  click: LinkClick,
  conversion: Conversion,
  planned: PlannedEvent,
  extras: ConversionExtras,
  consent: boolean,
  receivedAt: Date,
): EnrichedMessage {
  const properties: Record<string, unknown> = {
    link_id: link.id,
    link_name: link.name,
    click_id: click.id,
    txid: conversion.txid,
    postback_event: conversion.kind,
  };
  if (planned.withValue) {
    if (conversion.value !== null) properties.value = conversion.value;
    if (conversion.currency !== null) properties.currency = conversion.currency;
    // Snapchat also deduplicates purchases by order id, a second guard against counting a sale twice.
    if (extras.txidGiven) properties.order_id = conversion.txid;
  }
  const context = clickContext(click, click.destination, planned, consent);
  if (Object.keys(extras.traits).length > 0) context.traits = extras.traits;
  return {
    type: 'track',
    event: planned.name,
    messageId: planned.messageId,
    anonymousId: click.id,
    ...(extras.userId ? { userId: extras.userId } : {}),
    timestamp: conversion.receivedAt,
    receivedAt: receivedAt.toISOString(),
    properties,
    context,
  };
}
