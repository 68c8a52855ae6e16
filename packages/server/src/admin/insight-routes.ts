import express, { type Router } from 'express';
import { ACTION_SOURCES, DEFAULT_EVENT_MAP, PAGE_EVENT_KEY, SNAP_EVENT_NAMES } from '@datafirst/snapchat';
import type { IdentifierCounts, IntegrationMatchQuality, Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { BadRequest, queryString } from './admin-input.js';
import { adminRoute } from './admin-route.js';
import { MATCH_IDENTIFIERS } from './match-identifiers.js';

export interface InsightRoutesOptions {
  store: Store;
  logger?: Logger;
}

const MINUTE_MS = 60_000;
// Counting a day of events reads each one's JSON: about a second per 200,000 events. Pages refresh
// every 30 s and several people may watch, so a slow count is reused for a while; a quick one
// (a small site) is not, so numbers are fresh right after sending test traffic.
const MATCH_QUALITY_TTL_MS = 10_000;
const SLOW_COUNT_MS = 250;

function countsJson(counts: IdentifierCounts) {
  // The store counts only identifiers some event carried: the others are zeros.
  const carrying = Object.fromEntries(MATCH_IDENTIFIERS.map((id) => [id, counts.carrying[id] ?? 0]));
  const share = Object.fromEntries(
    MATCH_IDENTIFIERS.map((id) => [id, counts.events === 0 ? null : Math.round((carrying[id]! / counts.events) * 1000) / 1000]),
  );
  return { events: counts.events, carrying, share };
}

const noEvents = (): IdentifierCounts => ({ events: 0, carrying: {} });

/** Delivery health, match quality, and the Snapchat vocabulary the UI's editors offer. */
export function insightRoutes(options: InsightRoutesOptions): Router {
  const { store, logger } = options;
  const router = express.Router();
  const route = (handler: Parameters<typeof adminRoute>[0]) => adminRoute(handler, logger);
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
        return { minute, delivered: found?.delivered ?? 0, retried: found?.retried ?? 0, failed: found?.failed ?? 0 };
      });
      const total = (key: 'delivered' | 'retried' | 'failed') => perMinute.reduce((sum, m) => sum + m[key], 0);
      const { backlog, lastError } = health;
      res.json({
        window_minutes: minutes,
        integration_id: integrationId ?? null,
        per_minute: perMinute,
        totals: { delivered: total('delivered'), retried: total('retried'), failed: total('failed') },
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
        identifiers: MATCH_IDENTIFIERS,
        integrations: listed.map((integration) => {
          const entry = byId.get(integration.id);
          return {
            integration_id: integration.id,
            integration_name: integration.name,
            source_id: integration.sourceId,
            last_hour: countsJson(entry?.lastHour ?? noEvents()),
            last_day: countsJson(entry?.lastDay ?? noEvents()),
          };
        }),
      });
    }),
  );

  router.get(
    '/snapchat',
    route(async (_req, res) => {
      res.json({
        event_names: SNAP_EVENT_NAMES,
        default_event_map: { [PAGE_EVENT_KEY]: 'PAGE_VIEW', ...DEFAULT_EVENT_MAP },
        action_sources: ACTION_SOURCES,
        api_versions: ['v3', 'v2'],
      });
    }),
  );

  return router;
}
