import express, { type Router } from 'express';
import type { Store } from '@datafirst/store';
import type { Logger } from 'pino';
import { knownFields, queryString, throwIfAny } from './admin-input.js';
import { adminRoute } from './admin-route.js';
import { noOutcomes, trendDays, trendsOf, type OutcomeTotals } from './trends.js';

const MAX_DAYS = 366;

/** Totals as the admin API answers them. */
const totalsJson = (totals: OutcomeTotals) => ({
  delivered: totals.delivered,
  skipped: totals.skipped,
  failed: totals.failed,
  purchases: totals.purchases,
  revenue: totals.revenue,
});

/**
 * Trends: delivered, skipped and failed deliveries and delivered purchase revenue per day, per
 * integration and per source, read from the counts the store keeps (never the events).
 */
export function trendRoutes(options: { store: Store; logger?: Logger }): Router {
  const { store } = options;
  const router = express.Router();

  router.get(
    '/trends',
    adminRoute(async (req, res) => {
      const errors = knownFields(req.query, ['days', 'source_id', 'integration_id']).map((error) =>
        error.replace('unknown field', 'unknown parameter'),
      );
      const count = req.query.days === undefined ? 30 : Number(req.query.days);
      if (!Number.isInteger(count) || count < 1 || count > MAX_DAYS) errors.push(`days: an integer from 1 to ${MAX_DAYS}`);
      throwIfAny(errors);
      const sourceId = queryString(req.query.source_id);
      const integrationId = queryString(req.query.integration_id);
      const days = trendDays(count, Date.now());
      const [rows, sources, integrations] = await Promise.all([
        store.admin.dailyOutcomes({ from: days[0]!, sourceId, integrationId }),
        store.listSources(),
        store.listIntegrations(),
      ]);
      const trends = trendsOf(rows, days);
      // Every integration and source the filters cover is listed, quiet ones too; deleted ones
      // only while their counts are in the window.
      const coveredIntegrations = integrations.filter(
        (i) => (!sourceId || i.sourceId === sourceId) && (!integrationId || i.id === integrationId),
      );
      const coveredSources = integrationId ? [] : sources.filter((s) => !sourceId || s.id === sourceId);
      const integrationIds = [...new Set([...coveredIntegrations.map((i) => i.id), ...trends.byIntegration.keys()])];
      const sourceIds = [
        ...new Set([
          ...coveredSources.map((s) => s.id),
          ...coveredIntegrations.map((i) => i.sourceId),
          ...trends.bySource.keys(),
        ]),
      ];
      const integrationById = new Map(integrations.map((i) => [i.id, i]));
      const sourceName = new Map(sources.map((s) => [s.id, s.name]));
      res.json({
        days: count,
        from: days[0],
        to: days[days.length - 1],
        source_id: sourceId ?? null,
        integration_id: integrationId ?? null,
        per_day: trends.perDay.map(({ day, ...totals }) => ({ day, ...totalsJson(totals) })),
        totals: totalsJson(trends.total),
        integrations: integrationIds.map((id) => {
          const counted = trends.byIntegration.get(id);
          const integration = integrationById.get(id);
          return {
            integration_id: id,
            integration_name: integration?.name ?? '(deleted)',
            source_id: integration?.sourceId ?? counted?.sourceId ?? null,
            ...totalsJson(counted ?? noOutcomes()),
          };
        }),
        sources: sourceIds.map((id) => ({
          source_id: id,
          source_name: sourceName.get(id) ?? '(deleted)',
          ...totalsJson(trends.bySource.get(id) ?? noOutcomes()),
        })),
      });
    }),
  );

  return router;
}
