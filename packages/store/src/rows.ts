import { isTrue, iso, parse, type BooleanColumn } from './columns.js';
import type { DailyDeliveryCount } from './privacy.js';
import type { SealedSecrets } from './sealed-secrets.js';
import type { EnrichedMessage } from '@datafirst/protocol';
import type { Delivery, DeliveryAttempt, DeliveryStatus, Integration, Source, StoredEvent } from './store.js';

/**
 * The core tables' rows as both engines return them, column for column (`SELECT *`), and each as
 * the store returns it. A row with a boolean column takes the engine's form of it as a parameter.
 */

export interface SourceRow {
  id: string;
  name: string;
  /** Sealed when a secret key is set. */
  write_key: string;
  write_key_hash: string | null;
  previous_write_key: string | null;
  previous_write_key_hash: string | null;
  previous_key_expires_at: number | null;
  created_at: number;
  /** JSON array of origins. */
  allowed_origins: string;
  rate_limit_rps: number | null;
  server_side: BooleanColumn;
}

export interface IntegrationRow<Bool extends BooleanColumn = BooleanColumn> {
  id: string;
  source_id: string;
  vendor: string;
  name: string;
  enabled: Bool;
  /** JSON object, its secret keys sealed. */
  config: string;
  /** JSON array of strings. */
  consent_categories: string;
  paused_reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface EventRow {
  id: number;
  source_id: string;
  message_id: string;
  type: string;
  name: string | null;
  received_at: number;
  /** The enriched message, JSON. */
  message: string;
}

/** Of an event's row, what the worker and the event list read: its id, source and message. */
export type StoredEventRow = Pick<EventRow, 'id' | 'source_id' | 'message'>;

export interface DeliveryRow {
  id: number;
  event_id: number;
  integration_id: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number;
  reason: string | null;
  reason_code: string | null;
  /** JSON array of identifier keys. */
  identifiers: string;
  payload: string | null;
  response: string | null;
  created_at: number;
  updated_at: number;
  retry_from: number;
}

/** A delivery's row with its integration's name, NULL once the integration is deleted. */
export type NamedDeliveryRow = DeliveryRow & { integration_name: string | null };

export interface DeliveryAttemptRow {
  id: number;
  delivery_id: number;
  at: number;
  status: string;
  http_status: number | null;
  reason: string | null;
  reason_code: string | null;
}

/** A source as the store returns it, its write key opened. */
export function toSource(row: SourceRow, secrets: SealedSecrets, now: number): Source {
  const expires = row.previous_key_expires_at;
  return {
    id: row.id,
    name: row.name,
    writeKey: secrets.openWriteKey(row.id, row.write_key),
    createdAt: iso(row.created_at),
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    rateLimitRps: row.rate_limit_rps,
    serverSide: isTrue(row.server_side),
    ...(expires !== null && expires > now ? { previousKeyExpiresAt: iso(expires) } : {}),
  };
}

/** An integration as the store returns it: everyone reading one, the worker first, gets its secrets opened. */
export function toIntegration(row: IntegrationRow, secrets: SealedSecrets): Integration {
  return {
    id: row.id,
    sourceId: row.source_id,
    vendor: row.vendor,
    name: row.name,
    enabled: isTrue(row.enabled),
    config: secrets.openConfig(row.id, JSON.parse(row.config) as Record<string, unknown>),
    consentCategories: JSON.parse(row.consent_categories) as string[],
    pausedReason: row.paused_reason,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The `config` column for an integration's config: JSON with its secrets sealed. */
export function configColumn(integrationId: string, config: Record<string, unknown>, secrets: SealedSecrets): string {
  return JSON.stringify(secrets.sealConfig(integrationId, config));
}

/** An event as the store returns it, its message parsed. */
export function toStoredEvent(row: StoredEventRow): StoredEvent {
  return { id: row.id, sourceId: row.source_id, message: JSON.parse(row.message) as EnrichedMessage };
}

/** The name shown for a delivery's integration: its name, or `(deleted)` once it is gone. */
export const integrationNameOrDeleted = (name: string | null): string => name ?? '(deleted)';

/** A delivery as the store returns it. */
export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    integrationId: row.integration_id,
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    reason: row.reason,
    reasonCode: row.reason_code,
    identifiers: JSON.parse(row.identifiers) as string[],
    payload: parse(row.payload),
    response: parse(row.response),
    updatedAt: iso(row.updated_at),
    retryFrom: row.retry_from,
  };
}

/** One attempt at a delivery as the store returns it. */
export function toAttempt(row: DeliveryAttemptRow): DeliveryAttempt {
  return {
    at: iso(row.at),
    status: row.status as DeliveryStatus,
    httpStatus: row.http_status,
    reason: row.reason,
    reasonCode: row.reason_code,
  };
}

/** What retention keeps of deleted events' deliveries: one count per day, integration, status and reason code. */
export interface DeliveryDailyCountRow {
  day: string;
  integration_id: string;
  status: string;
  /** '' for no reason code (the column is part of the primary key, so never NULL). */
  reason_code: string;
  count: number;
}

/** A daily delivery count as the store returns it. */
export function toDailyDeliveryCount(row: DeliveryDailyCountRow): DailyDeliveryCount {
  return {
    day: row.day,
    integrationId: row.integration_id,
    status: row.status,
    reasonCode: row.reason_code === '' ? null : row.reason_code,
    count: row.count,
  };
}
