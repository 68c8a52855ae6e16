import type pg from 'pg';
import { isSealed } from '../secret-box.js';
import type { SealedSecrets } from '../sealed-secrets.js';
import { configColumn, type IntegrationRow, type SourceRow } from '../rows.js';

/** The `write_key` and `write_key_hash` columns for a source's key. */
export function writeKeyColumns(
  sourceId: string,
  writeKey: string,
  secrets: SealedSecrets,
): [sealed: string, digest: string | null] {
  const { sealed, digest } = secrets.sealWriteKey(sourceId, writeKey);
  return [sealed, digest];
}

/**
 * Run when the store opens, under the migration lock. Fails fast when sealed secrets cannot be
 * opened (no key, or another key than they were sealed with); with a key, seals the secrets still
 * stored as they are. PostgreSQL's MVCC leaves the old row versions until VACUUM reclaims them:
 * the operator's autovacuum (or a VACUUM) removes the plain text from the table's pages.
 */
export async function sealStoredSecrets(client: pg.ClientBase, secrets: SealedSecrets): Promise<void> {
  await client.query('BEGIN');
  try {
    const sources = (await client.query<SourceRow>('SELECT * FROM sources FOR UPDATE')).rows;
    const integrations = (await client.query<IntegrationRow<boolean>>('SELECT * FROM integrations FOR UPDATE')).rows;
    const warehouses = (await client.query<{ id: string; url: string }>('SELECT id, url FROM warehouses FOR UPDATE')).rows;
    // Opening every secret is the check: sources and integrations are few.
    const openedSources = sources.map((row) => ({
      row,
      current: secrets.openWriteKey(row.id, row.write_key),
      previous: row.previous_write_key === null ? null : secrets.openWriteKey(row.id, row.previous_write_key),
    }));
    const openedConfigs = integrations.map((row) => {
      const stored = JSON.parse(row.config) as Record<string, unknown>;
      return { row, stored, config: secrets.openConfig(row.id, stored) };
    });
    const openedUrls = warehouses.map((row) => ({ row, url: secrets.openWarehouseUrl(row.id, row.url) }));
    if (secrets.sealing) {
      for (const { row, current, previous } of openedSources) {
        if (isSealed(row.write_key) && (row.previous_write_key === null || isSealed(row.previous_write_key))) continue;
        const sealedPrevious = previous === null ? [null, null] : writeKeyColumns(row.id, previous, secrets);
        await client.query(
          `UPDATE sources SET write_key = $2, write_key_hash = $3, previous_write_key = $4, previous_write_key_hash = $5
           WHERE id = $1`,
          [row.id, ...writeKeyColumns(row.id, current, secrets), ...sealedPrevious],
        );
      }
      for (const { row, stored, config } of openedConfigs) {
        if (!secrets.hasPlainSecret(stored)) continue;
        await client.query('UPDATE integrations SET config = $2 WHERE id = $1', [row.id, configColumn(row.id, config, secrets)]);
      }
      for (const { row, url } of openedUrls) {
        if (isSealed(row.url)) continue;
        await client.query('UPDATE warehouses SET url = $2 WHERE id = $1', [row.id, secrets.sealWarehouseUrl(row.id, url)]);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
