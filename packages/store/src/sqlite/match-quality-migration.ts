/**
 * Migration 22: match quality counted as deliveries are written, per minute, so the admin view
 * reads at most a day of minutes per integration (bounded rows) instead of counting the day's
 * deliveries at request time (300k a day: 1.6 s of a blocked collector).
 */
export const MATCH_QUALITY_MIGRATION = {
  version: 22,
  name: 'match quality per minute, kept by triggers',
  sql: `
    -- Deliveries per minute of their event's receipt; identifier '' counts all of them, any other
    -- the deliveries that carried that identifier. Minutes older than a day are pruned on read.
    CREATE TABLE match_quality_minutes (
      integration_id  TEXT NOT NULL,
      minute          INTEGER NOT NULL,
      source_id       TEXT NOT NULL,
      identifier      TEXT NOT NULL,
      count           INTEGER NOT NULL,
      PRIMARY KEY (integration_id, minute, source_id, identifier)
    ) WITHOUT ROWID;

    INSERT INTO match_quality_minutes (integration_id, minute, source_id, identifier, count)
      SELECT d.integration_id, (e.received_at / 60000) * 60000, e.source_id, '', count(*)
      FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE e.received_at >= (CAST(strftime('%s', 'now') AS INTEGER) - 86400) * 1000
      GROUP BY 1, 2, 3;
    INSERT INTO match_quality_minutes (integration_id, minute, source_id, identifier, count)
      SELECT d.integration_id, (e.received_at / 60000) * 60000, e.source_id, j.value, count(*)
      FROM deliveries d JOIN events e ON e.id = d.event_id, json_each(d.identifiers) j
      WHERE e.received_at >= (CAST(strftime('%s', 'now') AS INTEGER) - 86400) * 1000
      GROUP BY 1, 2, 3, 4;

    CREATE TRIGGER match_quality_on_insert AFTER INSERT ON deliveries BEGIN
      INSERT INTO match_quality_minutes (integration_id, minute, source_id, identifier, count)
        SELECT NEW.integration_id, (e.received_at / 60000) * 60000, e.source_id, '', 1
        FROM events e WHERE e.id = NEW.event_id
        ON CONFLICT (integration_id, minute, source_id, identifier) DO UPDATE SET count = count + 1;
      INSERT INTO match_quality_minutes (integration_id, minute, source_id, identifier, count)
        SELECT NEW.integration_id, (e.received_at / 60000) * 60000, e.source_id, j.value, 1
        FROM events e, json_each(NEW.identifiers) j
        WHERE e.id = NEW.event_id
        ON CONFLICT (integration_id, minute, source_id, identifier) DO UPDATE SET count = count + 1;
    END;

    -- The worker records what it sent (an email from the profile, say): the counts follow.
    CREATE TRIGGER match_quality_on_identifiers AFTER UPDATE OF identifiers ON deliveries
      WHEN OLD.identifiers <> NEW.identifiers BEGIN
      UPDATE match_quality_minutes SET count = count - 1
        WHERE integration_id = OLD.integration_id
          AND (minute, source_id) = (SELECT (received_at / 60000) * 60000, source_id FROM events WHERE id = OLD.event_id)
          AND identifier IN (SELECT value FROM json_each(OLD.identifiers));
      INSERT INTO match_quality_minutes (integration_id, minute, source_id, identifier, count)
        SELECT NEW.integration_id, (e.received_at / 60000) * 60000, e.source_id, j.value, 1
        FROM events e, json_each(NEW.identifiers) j
        WHERE e.id = NEW.event_id
        ON CONFLICT (integration_id, minute, source_id, identifier) DO UPDATE SET count = count + 1;
    END;
  `,
};
