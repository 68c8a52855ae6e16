import { isTrue, iso, isoOrNull, type BooleanColumn } from './columns.js';
import type { Conversion, ConversionKind, Link, LinkClick, OfferType, PostbackKey } from './links.js';

/** The smart-link tables' rows as both engines return them, and each as the store returns it. */

export interface LinkRow<Bool extends BooleanColumn = BooleanColumn> {
  id: string;
  source_id: string;
  name: string;
  destination_url: string;
  offer_type: string;
  include_source_integrations: Bool;
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

export interface LinkClickRow<Bool extends BooleanColumn = BooleanColumn> {
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
  gpc: Bool;
  created_at: number;
}

export interface ConversionRow<Bool extends BooleanColumn = BooleanColumn> {
  id: number;
  source_id: string;
  link_id: string;
  click_id: string;
  txid: string;
  kind: string;
  value: number | null;
  currency: string | null;
  within_window: Bool;
  received_at: number;
}

export interface PostbackKeyRow {
  source_id: string;
  key_hash: string;
  hint: string;
  created_at: number;
}

/** A link as the store returns it, with the integrations it sends to in their order. */
export function toLink(row: LinkRow, integrationIds: string[]): Link {
  return {
    id: row.id,
    sourceId: row.source_id,
    name: row.name,
    destinationUrl: row.destination_url,
    offerType: row.offer_type as OfferType,
    integrationIds,
    includeSourceIntegrations: isTrue(row.include_source_integrations),
    clickIdParam: row.click_id_param,
    conversionWindowDays: row.conversion_window_days,
    events: JSON.parse(row.events) as Link['events'],
    currency: row.currency,
    archivedAt: isoOrNull(row.archived_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Links as the store returns them, each with the integrations attached to it (rows in position order). */
export function toLinks(rows: readonly LinkRow[], attached: readonly Omit<LinkIntegrationRow, 'position'>[]): Link[] {
  const byLink = new Map<string, string[]>();
  for (const { link_id, integration_id } of attached) byLink.set(link_id, [...(byLink.get(link_id) ?? []), integration_id]);
  return rows.map((row) => toLink(row, byLink.get(row.id) ?? []));
}

/** A click as the store returns it. */
export function toClick(row: LinkClickRow): LinkClick {
  return {
    id: row.id,
    linkId: row.link_id,
    sourceId: row.source_id,
    adClickId: row.ad_click_id,
    ip: row.ip,
    userAgent: row.user_agent,
    referrer: row.referrer,
    query: JSON.parse(row.query) as LinkClick['query'],
    url: row.url,
    destination: row.destination,
    gpc: isTrue(row.gpc),
    createdAt: iso(row.created_at),
  };
}

/** A conversion as the store returns it. */
export function toConversion(row: ConversionRow): Conversion {
  return {
    id: row.id,
    sourceId: row.source_id,
    linkId: row.link_id,
    clickId: row.click_id,
    txid: row.txid,
    kind: row.kind as ConversionKind,
    value: row.value,
    currency: row.currency,
    withinWindow: isTrue(row.within_window),
    receivedAt: iso(row.received_at),
  };
}

/** A postback key as the store returns it: its hash and hint, never the key. */
export function toPostbackKey(row: PostbackKeyRow): PostbackKey {
  return { sourceId: row.source_id, keyHash: row.key_hash, hint: row.hint, createdAt: iso(row.created_at) };
}
