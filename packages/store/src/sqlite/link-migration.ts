/** Migration 4: smart links, their clicks and conversions, and per-source postback keys. */
export const LINKS_MIGRATION = {
  version: 4,
  name: 'smart links, clicks, conversions, postback keys',
  sql: `
    -- Only the key's hash is kept: the key is shown once, when it is made.
    CREATE TABLE postback_keys (
      source_id   TEXT PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
      key_hash    TEXT NOT NULL,
      hint        TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    );

    CREATE TABLE links (
      id                           TEXT PRIMARY KEY,
      source_id                    TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
      name                         TEXT NOT NULL,
      destination_url              TEXT NOT NULL,
      offer_type                   TEXT NOT NULL,
      include_source_integrations  INTEGER NOT NULL,
      click_id_param               TEXT NOT NULL,
      conversion_window_days       INTEGER NOT NULL,
      events                       TEXT NOT NULL,
      currency                     TEXT,
      archived_at                  INTEGER,
      created_at                   INTEGER NOT NULL,
      updated_at                   INTEGER NOT NULL
    );
    CREATE INDEX links_by_source ON links(source_id);

    -- Deleting an integration detaches it from every link.
    CREATE TABLE link_integrations (
      link_id         TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
      integration_id  TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
      position        INTEGER NOT NULL,
      PRIMARY KEY (link_id, integration_id)
    );

    CREATE TABLE link_clicks (
      id           TEXT PRIMARY KEY,
      link_id      TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
      source_id    TEXT NOT NULL,
      sc_click_id  TEXT,
      ip           TEXT,
      user_agent   TEXT,
      referrer     TEXT,
      query        TEXT NOT NULL,
      url          TEXT NOT NULL,
      destination  TEXT NOT NULL,
      gpc          INTEGER NOT NULL,
      created_at   INTEGER NOT NULL
    );
    -- One click per Snapchat click id and link: a double tap must not count (or convert) twice.
    CREATE UNIQUE INDEX link_clicks_by_sc_click ON link_clicks(link_id, sc_click_id) WHERE sc_click_id IS NOT NULL;
    CREATE INDEX link_clicks_by_link ON link_clicks(link_id, created_at);

    -- A txid is unique per source, the scope of a postback key: the same sale reported twice is one sale.
    CREATE TABLE link_conversions (
      id             INTEGER PRIMARY KEY,
      source_id      TEXT NOT NULL,
      link_id        TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
      click_id       TEXT NOT NULL REFERENCES link_clicks(id) ON DELETE CASCADE,
      txid           TEXT NOT NULL,
      kind           TEXT NOT NULL,
      value          REAL,
      currency       TEXT,
      within_window  INTEGER NOT NULL,
      received_at    INTEGER NOT NULL,
      UNIQUE (source_id, txid)
    );
    CREATE INDEX link_conversions_by_click ON link_conversions(click_id, id);
    CREATE INDEX link_conversions_by_link ON link_conversions(link_id, received_at);
  `,
} as const;
