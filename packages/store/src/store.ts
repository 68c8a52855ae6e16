import type { EnrichedMessage, Traits } from '@datafirst/protocol';
import type { AdminStore } from './admin.js';
import type { LaneStore } from './lanes.js';
import type { LimitStore } from './limits.js';
import type { LinkStore } from './links.js';
import type { PrivacyStore, SessionStore } from './privacy.js';
import type { SyncStore } from './syncs.js';

/** A place events come from (a website, a backend); authenticated by its write key. */
export interface Source {
  id: string;
  name: string;
  writeKey: string;
  createdAt: string;
  /** Set while the key a rotation replaced still works: until then (ISO 8601). */
  previousKeyExpiresAt?: string;
  /** Origins (`https://shop.example`) whose pages get CORS answers with credentials, beside the collector's own site. */
  allowedOrigins: string[];
  /** Most ingest requests a second; null: no limit (the default: a site never throttles its own traffic). */
  rateLimitRps: number | null;
  /**
   * True for a source whose write key stays on servers, never in a page: its identify calls may
   * write a user id's profile and its alias calls link profiles. False (the default) for a browser
   * source, whose key anyone can read: its calls add traits to their own anonymous id only.
   */
  serverSide: boolean;
}

/** What an admin may change of a source; a field left out stays as it is. */
export interface SourceChanges {
  name?: string;
  allowedOrigins?: string[];
  rateLimitRps?: number | null;
  serverSide?: boolean;
}

/** A destination attached to a source: one account of one ad platform. */
export interface Integration {
  id: string;
  sourceId: string;
  /** Which destination it sends to; the store keeps it as given. */
  vendor: string;
  name: string;
  enabled: boolean;
  /** Vendor settings, secrets included; the admin API masks them. */
  config: Record<string, unknown>;
  /** Consent categories an event must be granted to reach this integration. */
  consentCategories: string[];
  /** Why deliveries are paused (the destination refused the credentials); null while delivering. */
  pausedReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewIntegration {
  sourceId: string;
  vendor: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  consentCategories: string[];
}

export type IntegrationPatch = Partial<Pick<Integration, 'name' | 'enabled' | 'config' | 'consentCategories'>>;

/**
 * Where a delivery stands.
 * - `pending`: waiting to be sent (or re-sent at `nextAttemptAt`);
 * - `delivered`: the destination accepted it;
 * - `skipped`: deliberately not sent (unmapped, no consent, insufficient identifiers…);
 * - `failed`: the destination refused it for good, or it could never be built;
 * - `blocked`: parked until a setting changes (the reason code says which: refused credentials,
 *   a missing site URL…); requeued when it is saved;
 * - `dead`: retried until the retry window ran out; can be replayed, like `failed`.
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'skipped' | 'failed' | 'blocked' | 'dead';

/** An event as stored, with the id the store gave it. */
export interface StoredEvent {
  id: number;
  sourceId: string;
  message: EnrichedMessage;
}

/** A delivery (one event to one integration) with its current state. */
export interface Delivery {
  id: number;
  eventId: number;
  integrationId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  /** Why it is not (yet) delivered, in words a person can act on. */
  reason: string | null;
  /** The stable code of `reason` (see the destination package's reason codes); null without one. */
  reasonCode: string | null;
  /** The identifiers the event carried for this destination (its declared keys), as last recorded. */
  identifiers: string[];
  /** The vendor payload as sent (hashed PII only). */
  payload: unknown;
  /** The vendor's last answer. */
  response: unknown;
  updatedAt: string;
  /** Epoch ms when the current retry window began (creation, or the last replay). */
  retryFrom: number;
}

/** One try at sending a delivery, kept as its history. */
export interface DeliveryAttempt {
  at: string;
  status: DeliveryStatus;
  httpStatus: number | null;
  reason: string | null;
  reasonCode: string | null;
}

/** A leased delivery, with what the worker needs to build and send it. */
export interface LeasedDelivery {
  delivery: Delivery;
  event: StoredEvent;
  integration: Integration;
  /** The database clock when the lease was taken (epoch ms): the worker's "now" for retry windows. */
  leasedAt: number;
}

/** What the worker learnt about one delivery. */
export interface DeliveryResult {
  deliveryId: number;
  status: DeliveryStatus;
  reason?: string | null;
  /** The stable code of `reason`. */
  reasonCode?: string | null;
  /** When given, replaces the delivery's stored identifiers (e.g. with those the sent payload had). */
  identifiers?: string[];
  payload?: unknown;
  /** `payload` as JSON text, when the caller has it already: stored as it is, instead of `payload`. */
  payloadJson?: string;
  response?: unknown;
  httpStatus?: number | null;
  /** For `pending`: try again this long after now, on the database's clock. */
  retryInMs?: number;
  /** Count this result as a try (false for a batch split, which is not the event's fault). */
  countsAsAttempt?: boolean;
  /** The purchase the built event reports (its value and currency), for revenue once delivered. */
  purchase?: Purchase;
}

/** What a purchase event is worth, as the destination was sent it. */
export interface Purchase {
  value: number;
  /** ISO 4217 code. */
  currency: string;
}

/** An event with every delivery it produced, for the debugger. */
export interface EventRecord extends StoredEvent {
  deliveries: (Delivery & { integrationName: string; history: DeliveryAttempt[] })[];
}

/** A delivery to create with its event: `pending`, or `skipped`/`blocked` with the reason. */
export interface NewDelivery {
  integrationId: string;
  status: 'pending' | 'skipped' | 'blocked';
  reason?: string;
  /** The stable code of `reason`. */
  reasonCode?: string;
  /** The identifiers the event carries for this destination, for match quality. */
  identifiers?: string[];
}

/** A validated, enriched message and the deliveries it should produce. */
export interface NewEvent {
  message: EnrichedMessage;
  deliveries: NewDelivery[];
  /**
   * The sender cannot prove who the user is (a browser, whose write key is public): its identify
   * calls add traits to its own anonymous id's profile only, never to a user id's, and its alias
   * calls link no profiles. Unset, the sender is trusted (a server, whose write key is secret).
   */
  anonymousProfileOnly?: boolean;
}

export interface AppendResult {
  /** Messages stored now. */
  stored: number;
  /** Messages already stored before (same source and messageId): acknowledged, not stored twice. */
  duplicates: number;
  /** The message ids of those duplicates, in the order given. */
  duplicateIds: string[];
}

export interface LeaseRequest {
  owner: string;
  limit: number;
  /** How long the lease lasts, from the database's clock. */
  leaseMs: number;
  /** Only this integration's deliveries (a worker lane). */
  integrationId?: string;
  /**
   * With `integrationId`: lease only while `owner` holds that integration's lane (`lanes`), on
   * the database's clock, so a worker whose lane was taken over sends no more of it.
   */
  requireLane?: boolean;
}

/** Whose profile to look up. */
export interface Person {
  userId?: string;
  anonymousId?: string;
}

/** The statuses a delivery can be replayed from: given up on, or refused for good. */
export type ReplayableStatus = Extract<DeliveryStatus, 'dead' | 'failed'>;

/** Which deliveries to replay; every given condition must hold. */
export interface ReplayFilter {
  /** Deliveries with one of these statuses; default `['dead']` (the dead letters). */
  statuses?: readonly ReplayableStatus[];
  /** Only this delivery (the debugger's row). */
  deliveryId?: number;
  integrationId?: string;
  /** Events received at or after this time (epoch ms). */
  from?: number;
  /** Events received before this time (epoch ms). */
  to?: number;
  /** Deliveries whose reason contains this text. */
  reason?: string;
  /** Deliveries with exactly this reason code. */
  reasonCode?: string;
}

/**
 * Who or what to find events by; every identifier given must match (see search-keys.ts). The
 * email is compared by its identity hash only: no raw email is stored or compared for it.
 */
export interface EventSearch {
  userId?: string;
  anonymousId?: string;
  /**
   * Events whose traits carry this email, and the events of the user and anonymous ids that
   * carried it (a shop's later page views and orders come with its ids only).
   */
  email?: string;
  /** `properties.order_id`. */
  orderId?: string;
  /** The ad click id of the event's context (`context.snapchat.clickId`, from `ScCid`). */
  clickId?: string;
}

export interface EventQuery {
  sourceId?: string;
  integrationId?: string;
  status?: DeliveryStatus;
  name?: string;
  limit?: number;
  /** Only events with a store id above this (for live polling). */
  afterId?: number;
  /** Only events with a delivery changed at or after this (epoch ms), for live updates. */
  updatedSince?: number;
  /** Only events of this person, order or click. */
  search?: EventSearch;
}

/**
 * Durable storage behind one async interface: SQLite (one file, the embedded default) and
 * PostgreSQL (several collectors and workers on one database) implement it.
 */
export interface Store {
  createSource(input: { name: string; writeKey?: string }): Promise<Source>;
  listSources(): Promise<Source[]>;
  getSource(id: string): Promise<Source | undefined>;
  findSourceByWriteKey(writeKey: string): Promise<Source | undefined>;

  createIntegration(input: NewIntegration): Promise<Integration>;
  getIntegration(id: string): Promise<Integration | undefined>;
  listIntegrations(sourceId?: string): Promise<Integration[]>;
  updateIntegration(id: string, patch: IntegrationPatch): Promise<Integration | undefined>;
  deleteIntegration(id: string): Promise<boolean>;

  /**
   * Stores validated messages of one source, their deliveries and profile updates, in one
   * transaction; resolves only once the write is durable. A messageId the source already sent
   * is acknowledged but stored (and delivered) once.
   */
  appendEvents(sourceId: string, events: NewEvent[]): Promise<AppendResult>;

  /** For each person, the traits `getProfileTraits` would give, in one look-up. */
  profileTraitsFor(sourceId: string, people: readonly Person[]): Promise<(Traits | undefined)[]>;

  /** The traits earlier `identify` calls stored for this user or anonymous id (userId wins). */
  getProfileTraits(sourceId: string, userId?: string, anonymousId?: string): Promise<Traits | undefined>;

  /**
   * Leases due pending deliveries so that no other worker sends them until the lease ends. Due
   * and lease times are on the database's clock, so workers on other machines agree on them. An
   * integration whose lane rests (`lanes.restLane`) has none due until its rest is over.
   */
  leaseDeliveries(request: LeaseRequest): Promise<LeasedDelivery[]>;

  /** Records outcomes and releases the leases. */
  completeDeliveries(owner: string, results: DeliveryResult[]): Promise<void>;

  /** Recent events with their deliveries, newest first. */
  listEvents(query: EventQuery): Promise<EventRecord[]>;

  /** Integrations that have pending deliveries due now (the database's clock) and do not rest: the lanes with work. */
  dueIntegrations(): Promise<string[]>;

  /** Pauses an integration whose credentials were refused: its pending deliveries become blocked. */
  pauseIntegration(id: string, reason: string): Promise<void>;

  /**
   * Lifts a pause (credentials changed): blocked deliveries are pending again, due now, with a
   * fresh retry window (the time parked does not count); returns how many.
   */
  resumeIntegration(id: string): Promise<number>;

  /**
   * Requeues an integration's deliveries parked (`blocked`) with one of these reason codes, after
   * a change of the settings that cure them: pending again, due now, with a fresh retry window,
   * and the code `config_changed`. Returns how many.
   */
  requeueParked(integrationId: string, reasonCodes: readonly string[]): Promise<number>;

  /**
   * Puts matching deliveries (dead letters by default, or failed ones) back in the queue with a
   * fresh retry window and the code `replayed`; returns how many.
   */
  replayDeliveries(filter: ReplayFilter): Promise<number>;

  /** Deliveries by status, for the backlog and health views. */
  countDeliveries(): Promise<Record<DeliveryStatus, number>>;

  /**
   * Calls `listener` when deliveries were queued (stored pending, or made pending again), by this
   * process or, on a shared database server, any other; returns the function that stops it. A
   * wake-up only: workers still look on their own now and then, so none is ever required.
   */
  onDeliveriesQueued(listener: () => void): () => void;

  /** Smart links, their clicks and conversions, and postback keys. */
  readonly links: LinkStore;

  /** Source management, delivery health and match quality, for the admin API. */
  readonly admin: AdminStore;

  /** Admin sign-in sessions. */
  readonly sessions: SessionStore;

  /** Retention, erasure and the suppression list. */
  readonly privacy: PrivacyStore;
  /** Warehouses, syncs, their runs and row states. */
  readonly syncs: SyncStore;

  /** Which worker owns each integration's delivery lane. */
  readonly lanes: LaneStore;

  /** Failed sign-ins and ingest rate limits, shared by every collector on the database. */
  readonly limits: LimitStore;

  close(): Promise<void>;
}
