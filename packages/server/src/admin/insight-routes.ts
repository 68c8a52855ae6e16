import express, { type Router } from 'express';
import { REASON_CODES, type DestinationRegistry, type ReasonInfo } from '@datafirst/destination';
import type { IdentifierCounts, IntegrationMatchQuality, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { BadRequest, queryString } from './admin-input.js';
import { adminRoute } from './admin-route.js';

export interface InsightRoutesOptions {
  store: Store;
  destinations: DestinationRegistry;
  logger?: Logger;
}

const MINUTE_MS = 60_000;
// Counting a day of events reads each one's JSON: about a second per 200,000 events. Pages refresh
// every 30 s and several people may watch, so a slow count is reused for a while; a quick one
// (a small site) is not, so numbers are fresh right after sending test traffic.
const MATCH_QUALITY_TTL_MS = 10_000;
const SLOW_COUNT_MS = 250;

/** Counts of the identifiers `keys`, zeros included, and each one's share of the events. */
function countsJson(counts: IdentifierCounts | undefined, keys: readonly string[]) {
  const events = counts?.events ?? 0;
  const carrying = Object.fromEntries(keys.map((key) => [key, counts?.carrying[key] ?? 0]));
  const share = Object.fromEntries(
    keys.map((key) => [key, events === 0 ? null : Math.round((carrying[key]! / events) * 1000) / 1000]),
  );
  return { events, carrying, share };
}

/**
 * Delivery health, match quality, and what the UI draws its forms and labels from: the
 * destinations with their declared settings, and the reason codes.
 */
export function insightRoutes(options: InsightRoutesOptions): Router {
  const { store, destinations } = options;
  const identifierKeysOf = (vendor: string) => destinations.get(vendor)?.identifiers.map((info) => info.key) ?? [];
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler);
  const matchCache = new Map<string, { at: number; value: Promise<IntegrationMatchQuality[]> }>();
  const countMatches = (sourceId: string | undefined, integrationId: string | undefined) => {
    const key = `${sourceId ?? ''}|${integrationId ?? ''}`;
    const now = Date.now();
    const cached = matchCache.get(key);
    if (cached && now - cached.at < MATCH_QUALITY_TTL_MS) return { at: cached.at, value: cached.value };
    for (const [old, entry] of matchCache) if (now - entry.at >= MATCH_QUALITY_TTL_MS) matchCache.delete(old);
    const value = store.admin.matchQuality({ now, sourceId, integrationId });
    const forget = () => matchCache.get(key)?.value === value && matchCache.delete(key);
    // Requests arriving while it counts share the answer; afterwards only a slow one is kept.
    value.then(() => Date.now() - now < SLOW_COUNT_MS && forget(), forget);
    matchCache.set(key, { at: now, value });
    return { at: now, value };
  };

  router.get(
    '/delivery-health',
    route(async (req, res) => {
      const minutes = req.query.minutes === undefined ? 60 : Number(req.query.minutes);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)
        throw new BadRequest(['minutes: an integer from 1 to 1440']);
      const integrationId = queryString(req.query.integration_id);
      const now = Date.now();
      const first = Math.floor(now / MINUTE_MS) * MINUTE_MS - (minutes - 1) * MINUTE_MS;
      const health = await store.admin.deliveryHealth({ since: first, now, integrationId });
      // Every minute of the window, quiet ones as zeros, so a chart's x axis is time.
      const byMinute = new Map(health.perMinute.map((m) => [m.minute, m]));
      const perMinute = Array.from({ length: minutes }, (_, index) => {
        const minute = new Date(first + index * MINUTE_MS).toISOString();
        const found = byMinute.get(minute);
        return {
          minute,
          delivered: found?.delivered ?? 0,
          retried: found?.retried ?? 0,
          failed: found?.failed ?? 0,
          parked: found?.parked ?? 0,
        };
      });
      const total = (key: 'delivered' | 'retried' | 'failed' | 'parked') => perMinute.reduce((sum, m) => sum + m[key], 0);
      const { backlog, lastError } = health;
      res.json({
        window_minutes: minutes,
        integration_id: integrationId ?? null,
        per_minute: perMinute,
        totals: { delivered: total('delivered'), retried: total('retried'), failed: total('failed'), parked: total('parked') },
        backlog: {
          pending: backlog.pending,
          due: backlog.due,
          oldest_pending_at: backlog.oldestPendingAt,
          blocked: backlog.blocked,
          dead: backlog.dead,
        },
        last_error: lastError && {
          at: lastError.at,
          event_id: lastError.eventId,
          delivery_id: lastError.deliveryId,
          integration_id: lastError.integrationId,
          integration_name: lastError.integrationName,
          status: lastError.status,
          http_status: lastError.httpStatus,
          reason_code: lastError.reasonCode,
          reason: lastError.reason,
        },
      });
    }),
  );

  router.get(
    '/match-quality',
    route(async (req, res) => {
      const sourceId = queryString(req.query.source_id);
      const integrationId = queryString(req.query.integration_id);
      const counting = countMatches(sourceId, integrationId);
      const [counted, integrations] = await Promise.all([counting.value, store.listIntegrations(sourceId)]);
      const byId = new Map(counted.map((entry) => [entry.integrationId, entry]));
      // Every integration is listed, those without events too: "no events" is worth seeing.
      const listed = integrations.filter((integration) => !integrationId || integration.id === integrationId);
      res.json({
        counted_at: new Date(counting.at).toISOString(),
        identifiers: [...new Set(destinations.all().flatMap((d) => d.identifiers.map((info) => info.key)))],
        integrations: listed.map((integration) => {
          const entry = byId.get(integration.id);
          const keys = identifierKeysOf(integration.vendor);
          return {
            integration_id: integration.id,
            integration_name: integration.name,
            source_id: integration.sourceId,
            last_hour: countsJson(entry?.lastHour, keys),
            last_day: countsJson(entry?.lastDay, keys),
          };
        }),
      });
    }),
  );

  router.get(
    '/destinations',
    route(async (_req, res) => {
      res.json({
        destinations: destinations.all().map((destination) => ({
          vendor: destination.vendor,
          name: destination.name,
          fields: destination.fields,
          identifiers: destination.identifiers,
          event_names: destination.eventVocabulary?.eventNames ?? [],
          default_event_map: destination.eventVocabulary?.defaultEventMap ?? {},
        })),
      });
    }),
  );

  // The Snapchat vocabulary the event-mapping editor offers, as earlier versions served it.
  router.get(
    '/snapchat',
    route(async (_req, res) => {
      const snapchat = destinations.get('snapchat');
      if (!snapchat) return void res.status(404).json({ error: 'this deployment has no Snapchat destination' });
      const field = (key: string) => snapchat.fields.find((f) => f.key === key)?.options?.map((option) => option.value) ?? [];
      res.json({
        event_names: snapchat.eventVocabulary?.eventNames ?? [],
        default_event_map: snapchat.eventVocabulary?.defaultEventMap ?? {},
        action_sources: field('action_source'),
        api_versions: field('api_version'),
      });
    }),
  );

  router.get(
    '/reason-codes',
    route(async (_req, res) => {
      res.json({
        reason_codes: Object.entries(REASON_CODES).map(([code, info]: [string, ReasonInfo]) => ({
          code,
          outcome: info.outcome,
          label: info.label,
          fix: info.fix ?? null,
        })),
      });
    }),
  );

  return router;
}
