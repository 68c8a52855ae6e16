import type { Message, MessageType, Traits } from '@datafirst/protocol';
import type { Ids } from './identity.js';
import { VERSION } from './version.js';

/** A message as the tag sends it: always with the fields the queue and the dedup rely on. */
export type TagMessage = Message & { messageId: string; anonymousId: string; timestamp: string };

/** One call, with the time and URL of the moment it was made (the stub records them too). */
export interface Call {
  type: MessageType;
  event?: string;
  name?: string;
  properties?: Record<string, unknown>;
  traits?: Traits;
  /** Milliseconds since the epoch. */
  time: number;
  url: string;
}

/** What the tag knows about the page and the visitor when it builds a message. */
export interface CallState {
  title: string;
  referrer: string;
  locale: string;
  ids: Ids;
  userId?: string;
  advertising: boolean;
  messageId: string;
}

/** Builds the Segment-spec message for one call. Undefined fields vanish when it is serialised. */
export function buildMessage(call: Call, state: CallState): TagMessage {
  const url = new URL(call.url);
  // The fragment never names another page, and it can carry secrets (OAuth implicit-flow tokens).
  url.hash = '';
  return {
    type: call.type,
    event: call.event,
    name: call.name,
    properties: call.properties,
    traits: call.traits,
    userId: state.userId,
    anonymousId: state.ids.anonymousId,
    messageId: state.messageId,
    timestamp: new Date(call.time).toISOString(),
    context: {
      page: { url: url.href, path: url.pathname, referrer: state.referrer, title: state.title, search: url.search },
      locale: state.locale,
      library: { name: 'datafirst.js', version: VERSION },
      snapchat: { clickId: state.ids.clickId, cookie1: state.ids.cookie1 },
      consent: { categoryPreferences: { advertising: state.advertising } },
    },
  };
}
