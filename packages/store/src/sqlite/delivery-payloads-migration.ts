import type { Migration } from './migrations.js';
import { HAS_OUTCOME, OUTCOME } from './outcome-days-migration.js';

/**
 * Migration 35: a delivery's payload and answer in a table of their own. A delivery row is
 * written three times (queued, leased, completed) and sits under four indexes; at about 150 bytes
 * it shares its page with some 25 others. The kilobyte of payload the completion used to add
 * grew every row in place, so pages split and were rewritten as a backlog drained: half of a
 * completion's time. Written once beside it, the payload costs one append to a table no other
 * write touches (completion 52 → 30 µs per delivery, measured on a million-event backlog).
 *
 * The triggers that count outcomes per day are split by direction at the same time: a delivery
 * reaching delivered only adds a count, and no longer also looks up its event to take one away.
 */
export const DELIVERY_PAYLOADS_MIGRATION: Migration = {
  version: 35,
  name: 'delivery payloads and answers beside the delivery rows; outcome-day triggers split',
  sql: `
    CREATE TABLE delivery_payloads (
      delivery_id  INTEGER PRIMARY KEY REFERENCES deliveries(id) ON DELETE CASCADE,
      payload      TEXT,
      response     TEXT
    );
    INSERT INTO delivery_payloads (delivery_id, payload, response)
      SELECT id, payload, response FROM deliveries WHERE payload IS NOT NULL OR response IS NOT NULL;
    ALTER TABLE deliveries DROP COLUMN payload;
    ALTER TABLE deliveries DROP COLUMN response;

    DROP TRIGGER outcome_days_on_change;
    -- A count leaves the outcome a delivery had (a failed one replayed)…
    CREATE TRIGGER outcome_days_on_leaving AFTER UPDATE OF status ON deliveries
      WHEN OLD.status <> NEW.status AND ${HAS_OUTCOME('OLD.status')} BEGIN
      UPDATE delivery_outcome_days SET count = count - 1
        WHERE integration_id = OLD.integration_id
          AND (day, source_id) = (SELECT e.received_at / 86400000, e.source_id FROM events e WHERE e.id = OLD.event_id)
          AND outcome = ${OUTCOME('OLD.status')};
    END;
    -- …and joins the one it reaches, with a delivered purchase's revenue (nothing moves a delivery
    -- on from delivered, so revenue is only ever added).
    CREATE TRIGGER outcome_days_on_reaching AFTER UPDATE OF status ON deliveries
      WHEN OLD.status <> NEW.status AND ${HAS_OUTCOME('NEW.status')} BEGIN
      INSERT INTO delivery_outcome_days (day, integration_id, source_id, outcome, count)
        SELECT e.received_at / 86400000, NEW.integration_id, e.source_id, ${OUTCOME('NEW.status')}, 1
        FROM events e WHERE e.id = NEW.event_id
        ON CONFLICT (day, integration_id, source_id, outcome) DO UPDATE SET count = count + 1;
      INSERT INTO purchase_value_days (day, integration_id, source_id, currency, purchases, value_micros)
        SELECT e.received_at / 86400000, NEW.integration_id, e.source_id, NEW.purchase_currency, 1,
               CAST(round(NEW.purchase_value * 1000000) AS INTEGER)
        FROM events e
        WHERE NEW.status = 'delivered' AND NEW.purchase_value IS NOT NULL AND NEW.purchase_currency IS NOT NULL
          AND e.id = NEW.event_id
        ON CONFLICT (day, integration_id, source_id, currency)
          DO UPDATE SET purchases = purchases + 1, value_micros = value_micros + excluded.value_micros;
    END;
  `,
};
