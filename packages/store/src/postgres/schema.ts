/**
 * The PostgreSQL schema, version 1: what the SQLite schema came to after its migrations, in
 * PostgreSQL's types. Times are epoch ms (bigint), so that they compare with the numbers the
 * Store interface speaks; messages and other JSON are text, kept byte for byte as serialised
 * (jsonb would refuse a `\u0000` a message may carry); the few queries that look inside cast it.
 */
export const SCHEMA_V1 = `
  CREATE TABLE sources (
    id                       text PRIMARY KEY,
    seq                      bigint GENERATED ALWAYS AS IDENTITY,
    name                     text NOT NULL,
    -- Sealed when a secret key is set; look-ups then go through the keyed digest beside it.
    write_key                text NOT NULL UNIQUE,
    write_key_hash           text UNIQUE,
    previous_write_key       text,
    previous_write_key_hash  text,
    previous_key_expires_at  bigint,
    created_at               bigint NOT NULL,
    allowed_origins          text NOT NULL DEFAULT '[]',
    rate_limit_rps           double precision
  );

  CREATE TABLE integrations (
    id                  text PRIMARY KEY,
    seq                 bigint GENERATED ALWAYS AS IDENTITY,
    source_id           text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    vendor              text NOT NULL,
    name                text NOT NULL,
    enabled             boolean NOT NULL,
    config              text NOT NULL,
    consent_categories  text NOT NULL,
    paused_reason       text,
    created_at          bigint NOT NULL,
    updated_at          bigint NOT NULL
  );
  CREATE INDEX integrations_by_source ON integrations(source_id);

  CREATE TABLE events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id     text NOT NULL,
    message_id    text NOT NULL,
    type          text NOT NULL,
    name          text,
    received_at   bigint NOT NULL,
    message       text NOT NULL,
    -- The debugger's search keys (search-keys.ts); the email only as its identity hash.
    user_id       text,
    anonymous_id  text,
    email_hash    bytea,
    order_id      text,
    click_id      text,
    UNIQUE (source_id, message_id)
  );
  CREATE INDEX events_by_received ON events(received_at);
  CREATE INDEX events_by_user_id ON events(user_id) WHERE user_id IS NOT NULL;
  CREATE INDEX events_by_anonymous_id ON events(anonymous_id) WHERE anonymous_id IS NOT NULL;
  CREATE INDEX events_by_email_hash ON events(email_hash) WHERE email_hash IS NOT NULL;
  CREATE INDEX events_by_order_id ON events(order_id) WHERE order_id IS NOT NULL;
  CREATE INDEX events_by_click_id ON events(click_id) WHERE click_id IS NOT NULL;

  CREATE TABLE deliveries (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id           bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    integration_id     text NOT NULL,
    status             text NOT NULL,
    attempts           integer NOT NULL DEFAULT 0,
    next_attempt_at    bigint NOT NULL,
    lease_owner        text,
    lease_until        bigint NOT NULL DEFAULT 0,
    reason             text,
    reason_code        text,
    -- JSON array of the identifier keys the event carried for its destination.
    identifiers        text NOT NULL DEFAULT '[]',
    payload            text,
    response           text,
    purchase_value     double precision,
    purchase_currency  text,
    created_at         bigint NOT NULL,
    updated_at         bigint NOT NULL,
    retry_from         bigint NOT NULL,
    UNIQUE (event_id, integration_id)
  );
  -- Each lane leases its own due deliveries through this index.
  CREATE INDEX deliveries_due_by_integration ON deliveries(integration_id, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX deliveries_by_integration ON deliveries(integration_id, status);
  CREATE INDEX deliveries_by_status ON deliveries(status);
  CREATE INDEX deliveries_by_updated ON deliveries(updated_at);

  CREATE TABLE delivery_attempts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id   bigint NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    at            bigint NOT NULL,
    status        text NOT NULL,
    http_status   integer,
    reason        text,
    reason_code   text
  );
  CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts(delivery_id);
  CREATE INDEX delivery_attempts_by_at ON delivery_attempts(at);

  -- Traits from identify calls, by 'u:<userId>' and 'a:<anonymousId>'.
  CREATE TABLE profiles (
    source_id   text NOT NULL,
    key         text NOT NULL,
    traits      text NOT NULL,
    updated_at  bigint NOT NULL,
    PRIMARY KEY (source_id, key)
  );

  CREATE TABLE postback_keys (
    source_id   text PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
    key_hash    text NOT NULL,
    hint        text NOT NULL,
    created_at  bigint NOT NULL
  );

  CREATE TABLE links (
    id                           text PRIMARY KEY,
    seq                          bigint GENERATED ALWAYS AS IDENTITY,
    source_id                    text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    name                         text NOT NULL,
    destination_url              text NOT NULL,
    offer_type                   text NOT NULL,
    include_source_integrations  boolean NOT NULL,
    click_id_param               text NOT NULL,
    conversion_window_days       integer NOT NULL,
    events                       text NOT NULL,
    currency                     text,
    archived_at                  bigint,
    created_at                   bigint NOT NULL,
    updated_at                   bigint NOT NULL
  );
  CREATE INDEX links_by_source ON links(source_id);

  CREATE TABLE link_integrations (
    link_id         text NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    integration_id  text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    position        integer NOT NULL,
    PRIMARY KEY (link_id, integration_id)
  );

  CREATE TABLE link_clicks (
    id           text PRIMARY KEY,
    seq          bigint GENERATED ALWAYS AS IDENTITY,
    link_id      text NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    source_id    text NOT NULL,
    ad_click_id  text,
    ip           text,
    user_agent   text,
    referrer     text,
    query        text NOT NULL,
    url          text NOT NULL,
    destination  text NOT NULL,
    gpc          boolean NOT NULL,
    created_at   bigint NOT NULL
  );
  -- One click per ad click id and link: a double tap must not count (or convert) twice.
  CREATE UNIQUE INDEX link_clicks_by_ad_click ON link_clicks(link_id, ad_click_id) WHERE ad_click_id IS NOT NULL;
  CREATE INDEX link_clicks_by_link ON link_clicks(link_id, created_at);

  CREATE TABLE link_conversions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id      text NOT NULL,
    link_id        text NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    click_id       text NOT NULL REFERENCES link_clicks(id) ON DELETE CASCADE,
    txid           text NOT NULL,
    kind           text NOT NULL,
    value          double precision,
    currency       text,
    within_window  boolean NOT NULL,
    received_at    bigint NOT NULL,
    UNIQUE (source_id, txid)
  );
  CREATE INDEX link_conversions_by_click ON link_conversions(click_id, id);
  CREATE INDEX link_conversions_by_link ON link_conversions(link_id, received_at);

  CREATE TABLE admin_sessions (
    id          text PRIMARY KEY,
    expires_at  bigint NOT NULL
  );
  CREATE INDEX admin_sessions_by_expiry ON admin_sessions(expires_at);

  CREATE TABLE delivery_daily_counts (
    day             text NOT NULL,
    integration_id  text NOT NULL,
    status          text NOT NULL,
    reason_code     text NOT NULL DEFAULT '',
    count           bigint NOT NULL,
    PRIMARY KEY (day, integration_id, status, reason_code)
  );

  CREATE TABLE suppressed_identities (
    hash        text PRIMARY KEY,
    created_at  bigint NOT NULL
  );

  CREATE TABLE warehouses (
    id          text PRIMARY KEY,
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    name        text NOT NULL,
    kind        text NOT NULL,
    url         text NOT NULL,
    created_at  bigint NOT NULL,
    updated_at  bigint NOT NULL
  );

  CREATE TABLE syncs (
    id             text PRIMARY KEY,
    seq            bigint GENERATED ALWAYS AS IDENTITY,
    name           text NOT NULL,
    kind           text NOT NULL,
    warehouse_id   text REFERENCES warehouses(id) ON DELETE RESTRICT,
    source_id      text NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    query          text,
    primary_key    text NOT NULL,
    mapping        text NOT NULL,
    action_source  text NOT NULL,
    mode           text NOT NULL,
    every_minutes  integer,
    enabled        boolean NOT NULL,
    lease_owner    text,
    lease_until    bigint NOT NULL DEFAULT 0,
    next_run_at    bigint NOT NULL,
    created_at     bigint NOT NULL,
    updated_at     bigint NOT NULL
  );
  CREATE INDEX syncs_by_warehouse ON syncs(warehouse_id);

  CREATE TABLE sync_runs (
    id           text PRIMARY KEY,
    seq          bigint GENERATED ALWAYS AS IDENTITY,
    sync_id      text NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    trigger      text NOT NULL,
    status       text NOT NULL,
    counts       text NOT NULL,
    row_errors   text NOT NULL,
    error        text,
    started_at   bigint NOT NULL,
    finished_at  bigint
  );
  CREATE INDEX sync_runs_by_sync ON sync_runs(sync_id, started_at);

  CREATE TABLE sync_rows (
    sync_id     text NOT NULL REFERENCES syncs(id) ON DELETE CASCADE,
    row_key     text NOT NULL,
    hash        text NOT NULL,
    status      text NOT NULL,
    updated_at  bigint NOT NULL,
    PRIMARY KEY (sync_id, row_key)
  );

  -- Match quality per minute of the event's receipt; identifier '' counts every delivery.
  CREATE TABLE match_quality_minutes (
    integration_id  text NOT NULL,
    minute          bigint NOT NULL,
    source_id       text NOT NULL,
    identifier      text NOT NULL,
    count           bigint NOT NULL,
    PRIMARY KEY (integration_id, minute, source_id, identifier)
  );

  -- Trends: outcomes per UTC day (days since 1970-01-01) of the event's receipt.
  CREATE TABLE delivery_outcome_days (
    day             bigint NOT NULL,
    integration_id  text NOT NULL,
    source_id       text NOT NULL,
    outcome         text NOT NULL,
    count           bigint NOT NULL,
    PRIMARY KEY (day, integration_id, source_id, outcome)
  );

  -- Millionths of the currency unit, so that sums are exact.
  CREATE TABLE purchase_value_days (
    day             bigint NOT NULL,
    integration_id  text NOT NULL,
    source_id       text NOT NULL,
    currency        text NOT NULL,
    purchases       bigint NOT NULL,
    value_micros    bigint NOT NULL,
    PRIMARY KEY (day, integration_id, source_id, currency)
  );

  -- A delivery's outcome as trends count it: a dead letter failed for good; NULL while it has none.
  CREATE FUNCTION df_outcome(status text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE status WHEN 'delivered' THEN 'delivered' WHEN 'skipped' THEN 'skipped'
                       WHEN 'failed' THEN 'failed' WHEN 'dead' THEN 'failed' END
  $$;

  -- The UTC date (YYYY-MM-DD) of an epoch-ms time.
  CREATE FUNCTION df_day(ms bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(timestamp '1970-01-01' + ms * interval '1 millisecond', 'YYYY-MM-DD')
  $$;

  -- Statement triggers with transition tables: one pass per statement, however many rows a group
  -- commit or a batch's outcomes write. Rows are upserted in key order, so that two transactions
  -- touching the same counters take their locks in the same order and never deadlock.
  CREATE FUNCTION df_deliveries_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO delivery_outcome_days AS t (day, integration_id, source_id, outcome, count)
      SELECT e.received_at / 86400000, n.integration_id, e.source_id, df_outcome(n.status), count(*)
      FROM new_rows n JOIN events e ON e.id = n.event_id
      WHERE df_outcome(n.status) IS NOT NULL
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (day, integration_id, source_id, outcome) DO UPDATE SET count = t.count + excluded.count;
    RETURN NULL;
  END $$;
  CREATE TRIGGER deliveries_inserted AFTER INSERT ON deliveries
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION df_deliveries_inserted();

  CREATE FUNCTION df_deliveries_updated() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    -- A delivery moving on (a failed one replayed, then delivered) moves its count with it.
    WITH moved AS (
      SELECT e.received_at / 86400000 AS day, n.integration_id, e.source_id,
             df_outcome(o.status) AS was, df_outcome(n.status) AS now
      FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN events e ON e.id = n.event_id
      WHERE o.status <> n.status),
    deltas AS (
      SELECT day, integration_id, source_id, was AS outcome, -1 AS delta FROM moved WHERE was IS NOT NULL
      UNION ALL SELECT day, integration_id, source_id, now, 1 FROM moved WHERE now IS NOT NULL)
    INSERT INTO delivery_outcome_days AS t (day, integration_id, source_id, outcome, count)
      SELECT day, integration_id, source_id, outcome, sum(delta) FROM deltas
      GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (day, integration_id, source_id, outcome) DO UPDATE SET count = t.count + excluded.count;

    -- Nothing moves a delivery on from delivered, so revenue is only ever added.
    INSERT INTO purchase_value_days AS t (day, integration_id, source_id, currency, purchases, value_micros)
      SELECT e.received_at / 86400000, n.integration_id, e.source_id, n.purchase_currency, count(*),
             sum(round(n.purchase_value * 1000000)::bigint)
      FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN events e ON e.id = n.event_id
      WHERE o.status <> n.status AND n.status = 'delivered'
        AND n.purchase_value IS NOT NULL AND n.purchase_currency IS NOT NULL
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (day, integration_id, source_id, currency)
        DO UPDATE SET purchases = t.purchases + excluded.purchases, value_micros = t.value_micros + excluded.value_micros;

    -- The worker records what it sent (an email from the profile, say): match quality follows.
    WITH changed AS (
      SELECT o.identifiers AS was, n.identifiers AS now, n.integration_id, e.source_id,
             (e.received_at / 60000) * 60000 AS minute
      FROM old_rows o JOIN new_rows n ON n.id = o.id JOIN events e ON e.id = n.event_id
      WHERE o.identifiers <> n.identifiers),
    deltas AS (
      SELECT integration_id, minute, source_id, j.value AS identifier, -1 AS delta
        FROM changed, jsonb_array_elements_text(changed.was::jsonb) j
      UNION ALL SELECT integration_id, minute, source_id, j.value, 1
        FROM changed, jsonb_array_elements_text(changed.now::jsonb) j)
    INSERT INTO match_quality_minutes AS t (integration_id, minute, source_id, identifier, count)
      SELECT integration_id, minute, source_id, identifier, sum(delta) FROM deltas
      GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (integration_id, minute, source_id, identifier) DO UPDATE SET count = t.count + excluded.count;
    RETURN NULL;
  END $$;
  CREATE TRIGGER deliveries_updated AFTER UPDATE ON deliveries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION df_deliveries_updated();
`;

/**
 * Version 2: what several workers and collectors on one database share (SQLite's migration 34).
 * Lane leases say which worker sends each integration's deliveries; live workers are counted to
 * share lanes fairly; failed sign-ins and ingest token buckets make the admin lockout and a
 * source's rate limit hold across collectors. Every time is epoch ms on the database's clock.
 */
export const SCHEMA_V2_SHARED_STATE = `
  -- One row per integration whose lane a worker holds (or held: lease_until past, free to take).
  -- No foreign key: a lane asked for as its integration is deleted is dropped at the next round.
  CREATE TABLE lane_leases (
    integration_id  text PRIMARY KEY,
    owner           text NOT NULL,
    lease_until     bigint NOT NULL,
    since           bigint NOT NULL
  );
  CREATE INDEX lane_leases_by_owner ON lane_leases(owner);

  -- Workers alive until their last lane round's lease runs out: what a fair share divides by.
  CREATE TABLE lane_workers (
    owner        text PRIMARY KEY,
    alive_until  bigint NOT NULL
  );

  -- Failed admin sign-ins, by client address and under '*' for all of them together.
  CREATE TABLE failed_sign_ins (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key  text NOT NULL,
    at   bigint NOT NULL
  );
  CREATE INDEX failed_sign_ins_by_key ON failed_sign_ins(key, at);
  CREATE INDEX failed_sign_ins_by_time ON failed_sign_ins(at);

  -- A token bucket per key (a rate-limited source): tokens left as of updated_at.
  CREATE TABLE rate_buckets (
    key         text PRIMARY KEY,
    tokens      double precision NOT NULL,
    updated_at  bigint NOT NULL
  );
`;

/**
 * Version 3: a lane's due deliveries indexed in the order they are leased (next_attempt_at, then
 * id), so that a lease can read the batch it takes and stop, rather than read and sort the lane's
 * whole backlog: the deliveries of a backlog share a few milliseconds of next_attempt_at.
 */
export const SCHEMA_V3_DUE_ORDER = `
  CREATE INDEX deliveries_due_in_order ON deliveries(integration_id, next_attempt_at, id) WHERE status = 'pending';
  DROP INDEX deliveries_due_by_integration;
`;

/**
 * Version 4: the delivery triggers never JIT-compile. Their statements read transition tables and
 * expand JSON arrays, whose row estimates (100 rows per array) push a 2,000-row lease or batch of
 * outcomes over jit_above_cost: compiling took about 280 ms per statement, for a few ms of work,
 * on every lease and every completion, and was most of the database's time while draining.
 */
export const SCHEMA_V4_TRIGGERS_WITHOUT_JIT = `
  ALTER FUNCTION df_deliveries_inserted() SET jit = off;
  ALTER FUNCTION df_deliveries_updated() SET jit = off;
`;

/**
 * Version 5: a delivery's event is no longer a foreign key, whose check cost every appended
 * delivery a look-up and a row lock of its event (about a tenth of the database's CPU per
 * appended event), for a row the same transaction had just inserted: only an append inserts
 * deliveries, for the events it inserted. What the key did on delete is a statement trigger:
 * the events retention, erasure or a source's deletion removes take their deliveries (and, by
 * theirs, the deliveries' history) with them.
 */
export const SCHEMA_V5_DELIVERIES_GO_WITH_THEIR_EVENTS = `
  ALTER TABLE deliveries DROP CONSTRAINT deliveries_event_id_fkey;
  CREATE FUNCTION df_events_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
  BEGIN
    DELETE FROM deliveries WHERE event_id IN (SELECT id FROM old_rows);
    RETURN NULL;
  END $$;
  CREATE TRIGGER events_deleted AFTER DELETE ON events
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION df_events_deleted();
`;

/**
 * Version 6: a lease writes little. Deliveries are inserted into half-full pages, so that the new
 * version a lease writes (its owner and expiry, no indexed column) fits beside the old one: a HOT
 * update, which touches none of the table's six indexes (about a sixth of the WAL and of the time
 * of a lease that must insert into each). And the update trigger joins the rows that moved a
 * count to their events once, not three times, and a lease's rows (that move none) not at all.
 */
export const SCHEMA_V6_CHEAP_LEASES = `
  ALTER TABLE deliveries SET (fillfactor = 50);
  CREATE OR REPLACE FUNCTION df_deliveries_updated() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
  BEGIN
    -- One statement, one join of the rows that moved a count to their events, for all three
    -- counts: the rows are found first, so a lease (it moves none) looks up no event.
    WITH moving AS MATERIALIZED (
      SELECT n.event_id, n.integration_id, o.status AS was_status, n.status AS now_status,
             o.identifiers AS was_identifiers, n.identifiers AS now_identifiers, n.purchase_value, n.purchase_currency
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE o.status <> n.status OR o.identifiers <> n.identifiers),
    -- Each one's event by its key (LATERAL … LIMIT 1: never a hash of the whole events table).
    changed AS MATERIALIZED (
      SELECT m.*, e.source_id, e.received_at FROM moving m
      CROSS JOIN LATERAL (SELECT source_id, received_at FROM events WHERE id = m.event_id LIMIT 1) e),
    -- A delivery moving on (a failed one replayed, then delivered) moves its count with it.
    moved AS (
      SELECT received_at / 86400000 AS day, integration_id, source_id,
             df_outcome(was_status) AS was, df_outcome(now_status) AS now
      FROM changed WHERE was_status <> now_status),
    outcome_deltas AS (
      SELECT day, integration_id, source_id, was AS outcome, -1 AS delta FROM moved WHERE was IS NOT NULL
      UNION ALL SELECT day, integration_id, source_id, now, 1 FROM moved WHERE now IS NOT NULL),
    outcomes AS (
      INSERT INTO delivery_outcome_days AS t (day, integration_id, source_id, outcome, count)
        SELECT day, integration_id, source_id, outcome, sum(delta) FROM outcome_deltas
        GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, integration_id, source_id, outcome) DO UPDATE SET count = t.count + excluded.count),
    -- Nothing moves a delivery on from delivered, so revenue is only ever added.
    purchases AS (
      INSERT INTO purchase_value_days AS t (day, integration_id, source_id, currency, purchases, value_micros)
        SELECT received_at / 86400000, integration_id, source_id, purchase_currency, count(*),
               sum(round(purchase_value * 1000000)::bigint)
        FROM changed
        WHERE was_status <> now_status AND now_status = 'delivered'
          AND purchase_value IS NOT NULL AND purchase_currency IS NOT NULL
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, integration_id, source_id, currency)
          DO UPDATE SET purchases = t.purchases + excluded.purchases, value_micros = t.value_micros + excluded.value_micros),
    -- The worker records what it sent (an email from the profile, say): match quality follows.
    identifier_changes AS (
      SELECT was_identifiers AS was, now_identifiers AS now, integration_id, source_id,
             (received_at / 60000) * 60000 AS minute
      FROM changed WHERE was_identifiers <> now_identifiers),
    identifier_deltas AS (
      SELECT integration_id, minute, source_id, j.value AS identifier, -1 AS delta
        FROM identifier_changes, jsonb_array_elements_text(identifier_changes.was::jsonb) j
      UNION ALL SELECT integration_id, minute, source_id, j.value, 1
        FROM identifier_changes, jsonb_array_elements_text(identifier_changes.now::jsonb) j)
    INSERT INTO match_quality_minutes AS t (integration_id, minute, source_id, identifier, count)
      SELECT integration_id, minute, source_id, identifier, sum(delta) FROM identifier_deltas
      GROUP BY 1, 2, 3, 4 HAVING sum(delta) <> 0 ORDER BY 1, 2, 3, 4
      ON CONFLICT (integration_id, minute, source_id, identifier) DO UPDATE SET count = t.count + excluded.count;
    RETURN NULL;
  END $$;
`;

/**
 * Version 7: a delivery's history is no longer a foreign key, whose check cost every recorded try
 * a look-up and a row lock of its delivery (about a tenth of the database's time per completed
 * delivery), for a row the same statement had just updated: only a completion inserts tries, for
 * the deliveries it updated. What the key did on delete is a statement trigger, as for events in
 * version 5: deleted deliveries (their events deleted, by retention, erasure or their source's
 * deletion) take their history with them.
 */
export const SCHEMA_V7_ATTEMPTS_GO_WITH_THEIR_DELIVERIES = `
  ALTER TABLE delivery_attempts DROP CONSTRAINT delivery_attempts_delivery_id_fkey;
  CREATE FUNCTION df_deliveries_deleted() RETURNS trigger LANGUAGE plpgsql SET jit = off AS $$
  BEGIN
    DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM old_rows);
    RETURN NULL;
  END $$;
  CREATE TRIGGER deliveries_deleted AFTER DELETE ON deliveries
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION df_deliveries_deleted();
`;

/**
 * Version 8: the deliveries by status are indexed only where a look-up by status alone needs them:
 * the failed, dead letters and parked ones (the health page, replays of dead letters), a few of
 * a backlog. Pending and delivered ones, nearly all of them, are no longer in that index, so that
 * their insert by ingest and their completion write one index entry less. Counting every status
 * (the metrics) reads deliveries_by_integration instead, an index-only scan as before.
 */
export const SCHEMA_V8_STATUS_INDEX_FOR_THE_FEW = `
  DROP INDEX deliveries_by_status;
  CREATE INDEX deliveries_failed_or_parked ON deliveries(status) WHERE status IN ('failed', 'dead', 'blocked');
`;

/**
 * Version 9: a destination's Retry-After holds the integration's lane back in the database
 * (`lanes.restLane`), so the worker that takes the lane over next waits it out too.
 */
export const SCHEMA_V9_LANE_RESTS = `
  CREATE TABLE lane_rests (
    integration_id  text PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
    -- Until when (epoch ms, the database's clock) no worker leases the integration's deliveries.
    until           bigint NOT NULL
  );
`;

/**
 * Version 10: whether a source's write key is secret (kept on servers) or public (in pages): a
 * server-side source's identify and alias calls are trusted with user ids, a browser source's not.
 */
export const SCHEMA_V10_SERVER_SIDE_SOURCES = `
  ALTER TABLE sources ADD COLUMN server_side boolean NOT NULL DEFAULT false;
`;
