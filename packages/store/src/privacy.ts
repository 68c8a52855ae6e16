/** Admin sign-in sessions, kept in the database so that a sign-out survives a restart. */
export interface SessionStore {
  /** Records a new session under its id (a random nonce), valid until `expiresAt` (epoch ms). */
  createSession(session: StoredSession): Promise<void>;
  /** The session, unless it was deleted or has expired (on the database's clock). */
  getSession(id: string): Promise<StoredSession | undefined>;
  /** Signs a session out; false when there was none. */
  deleteSession(id: string): Promise<boolean>;
  /** Forgets the sessions that expired; returns how many. */
  expireSessions(): Promise<number>;
}

export interface StoredSession {
  id: string;
  expiresAt: number;
}

/** Whom to erase: any of the identifiers, each matched as the events carry it. */
export interface ErasureRequest {
  userId?: string;
  anonymousId?: string;
  email?: string;
  phone?: string;
}

export interface ErasureCounts {
  events: number;
  profiles: number;
  /** Smart-link clicks (with their conversions). */
  clicks: number;
}

/** What `expireRecordsBefore` removed, by kind. */
export interface ExpiredRecords {
  profiles: number;
  clicks: number;
  syncRuns: number;
}

/** Delivery outcomes of deleted events, per day (UTC, `YYYY-MM-DD`), integration, status and reason code. */
export interface DailyDeliveryCount {
  day: string;
  integrationId: string;
  status: string;
  reasonCode: string | null;
  count: number;
}

/**
 * Retention and erasure: raw events are where raw personal data lives, so they are deleted after
 * the retention period (outcomes kept as daily counts) and on request, and deleted data leaves
 * the database's files too (SQLite at once; PostgreSQL when vacuum reclaims the rows). Suppressed people (by identifier hashes) are dropped at ingest.
 */
export interface PrivacyStore {
  /**
   * Deletes the events received before `before` (epoch ms), their deliveries and attempts, adding
   * their outcomes to the daily counts first; returns how many events went.
   */
  deleteEventsBefore(before: number): Promise<number>;
  /**
   * Retention for the personal data kept beside events, older than `before` (epoch ms): deletes
   * profiles last updated before it, removes from smart-link clicks made before it what tells who
   * clicked (IP, user agent, referrer, query, the URL's query), keeping the click itself for its
   * link's counts and conversion window, and empties the row errors (which quote cells) of sync
   * runs started before it.
   */
  expireRecordsBefore(before: number): Promise<ExpiredRecords>;
  /** The daily counts of deleted events' outcomes, oldest first. */
  dailyDeliveryCounts(): Promise<DailyDeliveryCount[]>;
  /**
   * Deletes every event of the person (those carrying any given identifier, and every event of the
   * user and anonymous ids those carry), their profiles, and the smart-link clicks (with their
   * conversions) they came from. SQLite then makes sure no deleted byte stays in its file;
   * PostgreSQL's deleted rows are gone at COMMIT, their space reclaimed by (auto)vacuum. With
   * `suppress`, in the same transaction, puts the hashes of the given identifiers and of the user
   * and anonymous ids found on the suppression list.
   */
  erasePerson(request: ErasureRequest, options?: { suppress?: boolean }): Promise<ErasureCounts>;
  /** Adds identifier hashes (see `identityHashes`) to the suppression list. */
  suppress(hashes: readonly string[]): Promise<void>;
  /** Which of `hashes` are on the suppression list. */
  suppressedAmong(hashes: readonly string[]): Promise<Set<string>>;
  /** Whether anyone is on the suppression list: mostly no one, and ingest then hashes nothing. */
  hasSuppressed(): Promise<boolean>;
}
