import type { Migration } from './migrations.js';

/**
 * A delivery's outcome as trends count it, in SQL: a dead letter failed for good, like a
 * refusal; NULL while it has none (pending, parked). A CASE, not `status IN (…)`: a trigger runs
 * for every delivery stored, and SQLite builds an IN list's lookup table on each run, which cost
 * the store's appends a quarter of their speed.
 */
export const OUTCOME = (status: string) =>
  `CASE ${status} WHEN 'delivered' THEN 'delivered' WHEN 'skipped' THEN 'skipped' WHEN 'failed' THEN 'failed' WHEN 'dead' THEN 'failed' END`;
export const HAS_OUTCOME = (status: string) => `${OUTCOME(status)} IS NOT NULL`;
// UTC days since 1970-01-01 of the event's receipt.
const DAY = 'e.received_at / 86400000';

/**
 * Migration 31: trends. Deliveries are counted per UTC day of their event's receipt,
 * integration, source and outcome as they reach it, and delivered purchases summed per currency,
 * so 30 days of trends read at most a few thousand rows, never the events. A delivery moving on
 * (a failed one replayed, then delivered) moves its count with it. Deleting events (retention,
 * erasure) leaves the counts, which hold no personal data.
 */
export const OUTCOME_DAYS_MIGRATION: Migration = {
  version: 31,
  name: 'delivery outcomes and purchase revenue per day, kept by triggers',
  sql: `
    -- What a delivered purchase was worth, as the destination reported it when it was sent.
    ALTER TABLE deliveries ADD COLUMN purchase_value REAL;
    ALTER TABLE deliveries ADD COLUMN purchase_currency TEXT;

    CREATE TABLE delivery_outcome_days (
      day             INTEGER NOT NULL,
      integration_id  TEXT NOT NULL,
      source_id       TEXT NOT NULL,
      outcome         TEXT NOT NULL,
      count           INTEGER NOT NULL,
      PRIMARY KEY (day, integration_id, source_id, outcome)
    ) WITHOUT ROWID;

    -- Millionths of the currency unit, so that sums are exact (0.1 + 0.2 is 0.3).
    CREATE TABLE purchase_value_days (
      day             INTEGER NOT NULL,
      integration_id  TEXT NOT NULL,
      source_id       TEXT NOT NULL,
      currency        TEXT NOT NULL,
      purchases       INTEGER NOT NULL,
      value_micros    INTEGER NOT NULL,
      PRIMARY KEY (day, integration_id, source_id, currency)
    ) WITHOUT ROWID;

    -- What is stored already; revenue only from now on (earlier deliveries did not record it).
    INSERT INTO delivery_outcome_days (day, integration_id, source_id, outcome, count)
      SELECT ${DAY}, d.integration_id, e.source_id, ${OUTCOME('d.status')}, count(*)
      FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE ${HAS_OUTCOME('d.status')}
      GROUP BY 1, 2, 3, 4;

    -- Deliveries skipped as they are stored (unmapped, no consent); the rest are pending then.
    CREATE TRIGGER outcome_days_on_insert AFTER INSERT ON deliveries WHEN ${HAS_OUTCOME('NEW.status')} BEGIN
      INSERT INTO delivery_outcome_days (day, integration_id, source_id, outcome, count)
        SELECT ${DAY}, NEW.integration_id, e.source_id, ${OUTCOME('NEW.status')}, 1
        FROM events e WHERE e.id = NEW.event_id
        ON CONFLICT (day, integration_id, source_id, outcome) DO UPDATE SET count = count + 1;
    END;

    CREATE TRIGGER outcome_days_on_change AFTER UPDATE OF status ON deliveries
      WHEN OLD.status <> NEW.status AND (${HAS_OUTCOME('OLD.status')} OR ${HAS_OUTCOME('NEW.status')}) BEGIN
      UPDATE delivery_outcome_days SET count = count - 1
        WHERE ${HAS_OUTCOME('OLD.status')}
          AND integration_id = OLD.integration_id
          AND (day, source_id) = (SELECT e.received_at / 86400000, e.source_id FROM events e WHERE e.id = OLD.event_id)
          AND outcome = ${OUTCOME('OLD.status')};
      INSERT INTO delivery_outcome_days (day, integration_id, source_id, outcome, count)
        SELECT ${DAY}, NEW.integration_id, e.source_id, ${OUTCOME('NEW.status')}, 1
        FROM events e WHERE ${HAS_OUTCOME('NEW.status')} AND e.id = NEW.event_id
        ON CONFLICT (day, integration_id, source_id, outcome) DO UPDATE SET count = count + 1;
      -- Nothing moves a delivery on from delivered, so revenue is only ever added.
      INSERT INTO purchase_value_days (day, integration_id, source_id, currency, purchases, value_micros)
        SELECT ${DAY}, NEW.integration_id, e.source_id, NEW.purchase_currency, 1,
               CAST(round(NEW.purchase_value * 1000000) AS INTEGER)
        FROM events e
        WHERE NEW.status = 'delivered' AND NEW.purchase_value IS NOT NULL AND NEW.purchase_currency IS NOT NULL
          AND e.id = NEW.event_id
        ON CONFLICT (day, integration_id, source_id, currency)
          DO UPDATE SET purchases = purchases + 1, value_micros = value_micros + excluded.value_micros;
    END;
  `,
};
