import type { Revenue } from './links.js';
import type { DeliveryStatus, Source, SourceChanges } from './store.js';

/**
 * Source management and the numbers the admin UI shows (delivery health, match quality), beside
 * the core Store so that each stays small.
 */
export interface AdminStore {
  /** Changes a source's name or settings; undefined when there is no such source. */
  updateSource(id: string, changes: SourceChanges): Promise<Source | undefined>;
  /**
   * Gives a source a new write key. The current key keeps working for `graceMs` (0: it stops at
   * once), so pages and servers can be updated without losing events. A key rotated out earlier
   * stops at once: only the latest previous key has a grace period.
   */
  rotateWriteKey(id: string, graceMs: number): Promise<Source | undefined>;
  /**
   * Deletes a source, its integrations and its stored events (the raw PII they hold) with their
   * deliveries; deliveries a worker holds right now finish, then find no integration.
   */
  deleteSource(id: string): Promise<boolean>;
  /** Delivery outcomes per minute since `since`, the backlog and the last error. */
  deliveryHealth(query: HealthQuery): Promise<DeliveryHealth>;
  /** Per integration, how many events of the last hour and day carried each identifier. */
  matchQuality(query: MatchQualityQuery): Promise<IntegrationMatchQuality[]>;
  /**
   * What deliveries came to per UTC day of their event's receipt, per integration and source,
   * from counts kept as deliveries reach an outcome (never by reading events). The counts outlive
   * the events: retention and erasure do not lower them.
   */
  dailyOutcomes(query: DailyOutcomesQuery): Promise<DailyOutcomes[]>;
}

export interface DailyOutcomesQuery {
  /** The first day to report, `YYYY-MM-DD` (UTC). */
  from: string;
  sourceId?: string;
  integrationId?: string;
}

/** One day's outcomes of one integration's deliveries for one source. */
export interface DailyOutcomes {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  sourceId: string;
  integrationId: string;
  delivered: number;
  /** Not sent on purpose (unmapped, no consent, switched off…). */
  skipped: number;
  /** Failed for good: refused, or retried until the retry window ran out (dead letters). */
  failed: number;
  /** Delivered events that were purchases. */
  purchases: number;
  /** What those purchases were worth, per currency: never added across currencies. */
  revenue: Revenue;
}

export interface HealthQuery {
  /** Epoch ms of the first minute to report. */
  since: number;
  now: number;
  integrationId?: string;
}

/** What happened to delivery tries in one minute. */
export interface MinuteOutcomes {
  /** The minute's start, ISO 8601. */
  minute: string;
  delivered: number;
  /** Tries that failed and were scheduled again. */
  retried: number;
  /** Tries that failed for good (refused, or dead-lettered). */
  failed: number;
  /** Tries that were parked until a setting is fixed (credentials refused, no page URL…): not failures. */
  parked: number;
}

/** The last try that went wrong. */
export interface LastDeliveryError {
  at: string;
  eventId: number;
  deliveryId: number;
  integrationId: string;
  integrationName: string;
  status: DeliveryStatus;
  httpStatus: number | null;
  reason: string | null;
  reasonCode: string | null;
}

export interface DeliveryHealth {
  /** Only minutes with at least one try, oldest first. */
  perMinute: MinuteOutcomes[];
  backlog: {
    /** Waiting to be sent, now or at a later retry. */
    pending: number;
    /** Of those, due now. */
    due: number;
    /** When the oldest waiting delivery was created; null with no backlog. */
    oldestPendingAt: string | null;
    /** Parked because the destination refused the credentials. */
    blocked: number;
    /** Retried until the retry window ran out; can be replayed. */
    dead: number;
  };
  lastError: LastDeliveryError | null;
}

export interface MatchQualityQuery {
  now: number;
  sourceId?: string;
  integrationId?: string;
}

/**
 * How many events (deliveries) a window holds and how many of them carried each identifier, as
 * the deliveries recorded them. `carrying` holds the identifiers seen in the day (so both windows
 * have the same keys); the caller adds zeros for the ones a destination declares but none carried.
 */
export interface IdentifierCounts {
  events: number;
  carrying: Record<string, number>;
}

export interface IntegrationMatchQuality {
  integrationId: string;
  integrationName: string;
  lastHour: IdentifierCounts;
  lastDay: IdentifierCounts;
}
