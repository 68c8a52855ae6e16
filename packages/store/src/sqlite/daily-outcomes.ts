import type Database from 'better-sqlite3';
import type { DailyOutcomes, DailyOutcomesQuery } from '../admin.js';
import { assembleDailyOutcomes, firstDayOf, type OutcomeDayRow, type PurchaseDayRow } from '../daily-outcomes.js';

interface Params {
  from: number;
  sourceId: string | null;
  integrationId: string | null;
}

const FILTER = `day >= @from AND (@sourceId IS NULL OR source_id = @sourceId)
  AND (@integrationId IS NULL OR integration_id = @integrationId)`;

/**
 * Reads the per-day counts and sums the triggers of outcome-days-migration.ts keep: a row per
 * day, integration, source and outcome (or currency), whatever the number of events.
 */
export function readDailyOutcomes(db: Database.Database, query: DailyOutcomesQuery): DailyOutcomes[] {
  const params: Params = {
    from: firstDayOf(query),
    sourceId: query.sourceId ?? null,
    integrationId: query.integrationId ?? null,
  };
  const outcomes = db
    .prepare<Params, OutcomeDayRow>(
      `SELECT day, integration_id, source_id, outcome, count FROM delivery_outcome_days WHERE ${FILTER} AND count > 0`,
    )
    .all(params);
  const purchases = db
    .prepare<Params, PurchaseDayRow>(
      `SELECT day, integration_id, source_id, currency, purchases, value_micros FROM purchase_value_days WHERE ${FILTER}`,
    )
    .all(params);

  return assembleDailyOutcomes(outcomes, purchases);
}
