/**
 * The wire contract between senders (the browser tag, server-side libraries) and the collector.
 * It follows the Segment spec, so existing Segment libraries can point at Datafirst unchanged.
 */

/** The kinds of call Datafirst accepts: every type of the Segment spec. */
export type MessageType = 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';

/** Every message type, in the order errors list them. */
export const MESSAGE_TYPES: readonly MessageType[] = ['track', 'page', 'screen', 'identify', 'group', 'alias'];

/** Traits describing a person; all optional, all raw (hashing happens in the delivery worker). */
export interface Traits {
  email?: string | string[];
  phone?: string | string[];
  firstName?: string;
  lastName?: string;
  gender?: string;
  birthday?: string;
  city?: string;
  state?: string;
  zip?: string;
  postalCode?: string;
  country?: string;
  address?: {
    city?: string;
    state?: string;
    postalCode?: string;
    zip?: string;
    country?: string;
    street?: string;
  };
  [key: string]: unknown;
}

/** Page context captured at call time by the tag. */
export interface PageContext {
  url?: string;
  path?: string;
  referrer?: string;
  title?: string;
  search?: string;
}

/** Snapchat identifiers taken from first-party cookies and the landing URL. */
export interface SnapchatContext {
  /** The `ScCid` click id from the landing URL (kept in the `_scclid` cookie). */
  clickId?: string;
  /** The `_scid` first-party cookie. */
  cookie1?: string;
  /** The Snapchat event to send this message as (e.g. `PURCHASE`), or null to not send it; wins over every mapping. */
  eventName?: string | null;
}

/**
 * Consent as Segment's consent spec carries it: a category is allowed only when it is `true`.
 * A message without `consent` is treated by the collector's default.
 */
export interface ConsentContext {
  categoryPreferences?: Record<string, boolean>;
}

/** The context object carried by every message. */
export interface MessageContext {
  page?: PageContext;
  userAgent?: string;
  /** The person's IP; a list (`"203.0.113.7, 10.0.0.1"`, X-Forwarded-For style) is reduced to its first valid address. */
  ip?: string;
  locale?: string;
  timezone?: string;
  traits?: Traits;
  snapchat?: SnapchatContext;
  consent?: ConsentContext;
  /** Snapchat action source override for this message: `WEB`, `MOBILE_APP` or `OFFLINE`. */
  actionSource?: string;
  /** Ask destinations for limited data use (Snapchat `data_processing_options: ["LDU"]`). */
  limitedDataUse?: boolean;
  app?: { name?: string; version?: string; build?: string; namespace?: string };
  device?: {
    id?: string;
    advertisingId?: string;
    adTrackingEnabled?: boolean;
    manufacturer?: string;
    model?: string;
    type?: string;
  };
  os?: { name?: string; version?: string };
  screen?: { width?: number; height?: number; density?: number };
  network?: { carrier?: string };
  library?: { name?: string; version?: string };
  [key: string]: unknown;
}

/**
 * One call of the Segment spec: `track` (an action), `page` (a web page view), `screen` (an app's
 * screen view), `identify` (who the person is), `group` (the account they belong to), `alias`
 * (a new id for the same person).
 */
export interface Message {
  type: MessageType;
  /** The event name, for `track`. */
  event?: string;
  /** The page or screen name, for `page` and `screen` (optional). */
  name?: string;
  /** The group's id, for `group`. */
  groupId?: string;
  /** The id the person was known by before, for `alias`; linked to `userId`. */
  previousId?: string;
  properties?: Record<string, unknown>;
  traits?: Traits;
  userId?: string;
  anonymousId?: string;
  /** Dedup key, stable across retries; becomes Snapchat's `event_id`. */
  messageId?: string;
  /** When the call was made (ISO 8601), by the sender's clock. */
  timestamp?: string;
  /** When the call was made, as RudderStack's libraries name it; used when `timestamp` is absent. */
  originalTimestamp?: string;
  /** When the sender sent it (ISO 8601); lets the collector correct clock skew. */
  sentAt?: string;
  context?: MessageContext;
  /**
   * Segment's per-destination options, keyed by destination name (e.g.
   * `{ "Snap Conversions Api": { click_id, uuid_c1 } }`); `true`/`false` switch one on or off.
   */
  integrations?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A message as stored: validated, enriched, with the fields the worker relies on filled in. */
export interface EnrichedMessage extends Message {
  messageId: string;
  /** Event time after clock-skew correction, ISO 8601, never in the future. */
  timestamp: string;
  /** When the collector received it, ISO 8601. */
  receivedAt: string;
  context: MessageContext;
}

/** A batch as posted to `POST /v1/batch`. */
export interface Batch {
  batch: Message[];
  sentAt?: string;
  writeKey?: string;
  context?: MessageContext;
}
