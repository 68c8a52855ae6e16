import type Database from 'better-sqlite3';
import type { SealedSecrets } from '../sealed-secrets.js';
import { openStoredSecrets } from '../stored-secrets.js';
import { configColumn, type IntegrationRow, type SourceRow } from '../rows.js';

/** The `write_key` and `write_key_hash` columns for a source's key. */
export function writeKeyColumns(
  sourceId: string,
  writeKey: string,
  secrets: SealedSecrets,
): { write_key: string; write_key_hash: string | null } {
  const { sealed, digest } = secrets.sealWriteKey(sourceId, writeKey);
  return { write_key: sealed, write_key_hash: digest };
}

/** The source a write key belongs to: its current key, or the previous one within its grace period. */
export function findSourceRow(
  db: Database.Database,
  writeKey: string,
  secrets: SealedSecrets,
  now: number,
): SourceRow | undefined {
  return db
    .prepare<{ key: string; hash: string | null; now: number }, SourceRow>(
      `SELECT * FROM sources
       WHERE write_key = @key OR write_key_hash = @hash
          OR ((previous_write_key = @key OR previous_write_key_hash = @hash) AND previous_key_expires_at > @now)
       ORDER BY (write_key = @key OR write_key_hash = @hash) DESC LIMIT 1`,
    )
    .get({ key: writeKey, hash: secrets.writeKeyDigest(writeKey), now });
}

/**
 * Run when the store opens. Fails fast (rather than at the first delivery) when sealed secrets
 * cannot be opened: no key, or another key than they were sealed with. With a key, seals the
 * secrets still stored as they are, so setting DATAFIRST_SECRET_KEY on an existing database
 * encrypts what it already holds. Idempotent, so processes sharing the file may all run it.
 * True when it sealed something now.
 */
export function sealStoredSecrets(db: Database.Database, secrets: SealedSecrets): boolean {
  const check = db.transaction((): boolean => {
    const plain = openStoredSecrets(
      {
        sources: db.prepare<[], SourceRow>('SELECT * FROM sources').all(),
        integrations: db.prepare<[], Pick<IntegrationRow, 'id' | 'config'>>('SELECT id, config FROM integrations').all(),
        warehouses: db.prepare<[], { id: string; url: string }>('SELECT id, url FROM warehouses').all(),
      },
      secrets,
    );
    if (!secrets.sealing) return false;
    const updateSource = db.prepare<
      {
        id: string;
        write_key: string;
        write_key_hash: string | null;
        previous_write_key: string | null;
        previous_write_key_hash: string | null;
      },
      never
    >(
      `UPDATE sources SET write_key = @write_key, write_key_hash = @write_key_hash,
         previous_write_key = @previous_write_key, previous_write_key_hash = @previous_write_key_hash WHERE id = @id`,
    );
    for (const { id, current, previous } of plain.sources) {
      const sealedPrevious = previous === null ? null : writeKeyColumns(id, previous, secrets);
      updateSource.run({
        id,
        ...writeKeyColumns(id, current, secrets),
        previous_write_key: sealedPrevious?.write_key ?? null,
        previous_write_key_hash: sealedPrevious?.write_key_hash ?? null,
      });
    }
    const updateConfig = db.prepare<[string, string], never>('UPDATE integrations SET config = ? WHERE id = ?');
    for (const { id, config } of plain.configs) updateConfig.run(configColumn(id, config, secrets), id);
    const updateUrl = db.prepare<[string, string], never>('UPDATE warehouses SET url = ? WHERE id = ?');
    for (const { id, url } of plain.urls) updateUrl.run(secrets.sealWarehouseUrl(id, url), id);
    return plain.sources.length + plain.configs.length + plain.urls.length > 0;
  });
  // Only sealing writes: without a key, reading needs no write lock.
  return secrets.sealing ? check.immediate() : check();
}
