/** Migration 3: write key rotation, secrets encrypted at rest, and indexes for the admin views. */
export const ADMIN_MIGRATION = {
  version: 3,
  name: 'write key rotation, sealed secrets, live debugger and delivery health indexes',
  sql: `
    -- With a secret key set, write_key holds the key sealed (AES-GCM, a random IV each time), so
    -- lookups by key go through this keyed digest instead. NULL for keys stored as they are.
    ALTER TABLE sources ADD COLUMN write_key_hash TEXT;
    CREATE UNIQUE INDEX sources_by_write_key_hash ON sources(write_key_hash);
    -- The key a rotation replaced keeps working until previous_key_expires_at (epoch ms).
    ALTER TABLE sources ADD COLUMN previous_write_key TEXT;
    ALTER TABLE sources ADD COLUMN previous_write_key_hash TEXT;
    ALTER TABLE sources ADD COLUMN previous_key_expires_at INTEGER;

    -- The live debugger asks every half second which deliveries changed since it last looked.
    CREATE INDEX deliveries_by_updated ON deliveries(updated_at);
    -- Delivery health counts the tries of the last hour, minute by minute.
    CREATE INDEX delivery_attempts_by_at ON delivery_attempts(at);
  `,
};
