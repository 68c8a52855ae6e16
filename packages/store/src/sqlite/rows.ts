/**
 * Each table's row as better-sqlite3 returns it: what `SELECT *` gives, column for column. Times
 * are epoch ms, booleans 0/1, lists and objects JSON text.
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
}

export interface IntegrationRow {
  id: string;
  source_id: string;
  vendor: string;
  name: string;
  enabled: 0 | 1;
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

export interface DeliveryAttemptRow {
  id: number;
  delivery_id: number;
  at: number;
  status: string;
  http_status: number | null;
  reason: string | null;
  reason_code: string | null;
}

export interface ProfileRow {
  source_id: string;
  key: string;
  /** JSON object. */
  traits: string;
  updated_at: number;
}

export interface LinkRow {
  id: string;
  source_id: string;
  name: string;
  destination_url: string;
  offer_type: string;
  include_source_integrations: 0 | 1;
  click_id_param: string;
  conversion_window_days: number;
  /** JSON object: smart-link event → destination event name or null. */
  events: string;
  currency: string | null;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface LinkIntegrationRow {
  link_id: string;
  integration_id: string;
  position: number;
}

export interface LinkClickRow {
  id: string;
  link_id: string;
  source_id: string;
  ad_click_id: string | null;
  ip: string | null;
  user_agent: string | null;
  referrer: string | null;
  /** JSON array of [name, value] pairs. */
  query: string;
  url: string;
  destination: string;
  gpc: 0 | 1;
  created_at: number;
}

export interface ConversionRow {
  id: number;
  source_id: string;
  link_id: string;
  click_id: string;
  txid: string;
  kind: string;
  value: number | null;
  currency: string | null;
  within_window: 0 | 1;
  received_at: number;
}

export interface PostbackKeyRow {
  source_id: string;
  key_hash: string;
  hint: string;
  created_at: number;
}
