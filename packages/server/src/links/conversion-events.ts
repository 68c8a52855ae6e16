import type { ConversionHistory, ConversionKind } from '@datafirst/store';
import { serverMessageId } from '../pipeline/server-message-ids.js';

/** The events a smart link reports, as its event configuration names them. */
export const LINK_EVENTS = [
  'click',
  'new_subscriber',
  'first_purchase',
  'repeat_purchase',
  'message_received',
  'fan_sent_3_messages',
] as const;

export type LinkEvent = (typeof LINK_EVENTS)[number];

/** A link's event configuration: each event's Snapchat event name, or null for "not sent". */
export type LinkEventMap = Record<LinkEvent, string | null>;

/** Each link event's default Snapchat event (README.md, "Smart links and postbacks"); each is configurable per link. */
export const DEFAULT_LINK_EVENTS: Readonly<LinkEventMap> = {
  click: 'VIEW_CONTENT',
  new_subscriber: 'SIGN_UP',
  first_purchase: 'PURCHASE',
  repeat_purchase: 'PURCHASE',
  // Every inbound message would be a lot of events for little signal: off unless asked for.
  message_received: null,
  fan_sent_3_messages: 'LEVEL_COMPLETE',
};

/** The track event name each link event is stored under (what the debugger shows). */
export const LINK_EVENT_NAMES: Readonly<Record<LinkEvent, string>> = {
  click: 'Smart Link Click',
  new_subscriber: 'New Subscriber',
  first_purchase: 'First Purchase',
  repeat_purchase: 'Repeat Purchase',
  message_received: 'Message Received',
  fan_sent_3_messages: 'Fan Sent 3+ Messages',
};

/** The conversion kinds a postback's `event` may name, with the spellings offer networks use. */
const KIND_ALIASES: ReadonlyMap<string, ConversionKind> = new Map([
  ['subscribe', 'subscribe'],
  ['subscriber', 'subscribe'],
  ['new_subscriber', 'subscribe'],
  ['subscription', 'subscribe'],
  ['sub', 'subscribe'],
  ['purchase', 'purchase'],
  ['sale', 'purchase'],
  ['tip', 'purchase'],
  ['ppv', 'purchase'],
  ['transaction', 'purchase'],
  ['renewal', 'renewal'],
  ['rebill', 'renewal'],
  ['message', 'message'],
  ['message_received', 'message'],
]);

/** Every `event` value a postback may send. */
export const POSTBACK_EVENT_NAMES: readonly string[] = [...KIND_ALIASES.keys()];

/** The conversion kind a postback's `event` names (any case, `-` or space for `_`), if any. */
export function parseConversionKind(event: string): ConversionKind | undefined {
  return KIND_ALIASES.get(
    event
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
}

/** One event a click or conversion produces: stored as a message, sent unless its Snapchat event is null. */
export interface PlannedEvent {
  linkEvent: LinkEvent;
  /** The stored message's track event name. */
  name: string;
  snapchatEvent: string | null;
  /** Deterministic, so a repeated click or postback is stored (and sent) once. */
  messageId: string;
  /** Whether the conversion's value and currency go with it. */
  withValue: boolean;
}

// "For subscriber and purchase events, Smart Links also sends the conversion value and currency."
const VALUE_EVENTS: ReadonlySet<LinkEvent> = new Set(['new_subscriber', 'first_purchase', 'repeat_purchase']);

/** One link event under the link's mapping, stored with `messageId`. */
export function plannedEvent(linkEvent: LinkEvent, events: LinkEventMap, messageId: string): PlannedEvent {
  return {
    linkEvent,
    name: LINK_EVENT_NAMES[linkEvent],
    snapchatEvent: events[linkEvent],
    messageId,
    withValue: VALUE_EVENTS.has(linkEvent),
  };
}

/** The event a click produces. */
export function clickEvent(clickId: string, events: LinkEventMap): PlannedEvent {
  return plannedEvent('click', events, serverMessageId('click', clickId));
}

/** What one conversion is, and what its click had done before it. */
export interface ConversionFacts {
  kind: ConversionKind;
  txid: string;
  clickId: string;
  history: ConversionHistory;
}

/**
 * The events one conversion produces (README.md, "Smart links and postbacks"):
 * - a subscription is a New Subscriber the first time; a re-subscription produces none;
 * - a purchase (tip, paid message…) is the First Purchase when the click has made no
 *   non-subscription transaction before, else a Repeat Purchase; a renewal is a Repeat Purchase;
 * - a message is a Message Received, and the third one also Fan Sent 3+ Messages, once.
 */
export function conversionEvents(facts: ConversionFacts, events: LinkEventMap): PlannedEvent[] {
  const id = serverMessageId('postback', facts.txid);
  switch (facts.kind) {
    case 'subscribe':
      return facts.history.subscriptionsBefore === 0 ? [plannedEvent('new_subscriber', events, id)] : [];
    case 'purchase':
      return [plannedEvent(facts.history.purchasesBefore === 0 ? 'first_purchase' : 'repeat_purchase', events, id)];
    case 'renewal':
      return [plannedEvent('repeat_purchase', events, id)];
    case 'message': {
      const received = plannedEvent('message_received', events, id);
      // Keyed by the click, not the txid: whatever ids the messages had, the milestone is sent once.
      return facts.history.messagesBefore === 2
        ? [received, plannedEvent('fan_sent_3_messages', events, serverMessageId('thirdMessage', facts.clickId))]
        : [received];
    }
  }
}
