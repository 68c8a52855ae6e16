import type pg from 'pg';
import type { SealedSecrets } from '../sealed-secrets.js';
import { openStoredSecrets } from '../stored-secrets.js';
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
    const plain = openStoredSecrets(
      {
        sources: (await client.query<SourceRow>('SELECT * FROM sources FOR UPDATE')).rows,
        integrations: (
          await client.query<Pick<IntegrationRow, 'id' | 'config'>>('SELECT id, config FROM integrations FOR UPDATE')
        ).rows,
        warehouses: (await client.query<{ id: string; url: string }>('SELECT id, url FROM warehouses FOR UPDATE')).rows,
      },
      secrets,
    );
    if (secrets.sealing) {
      for (const { id, current, previous } of plain.sources) {
        const sealedPrevious = previous === null ? [null, null] : writeKeyColumns(id, previous, secrets);
        await client.query(
          `UPDATE sources SET write_key = $2, write_key_hash = $3, previous_write_key = $4, previous_write_key_hash = $5
           WHERE id = $1`,
          [id, ...writeKeyColumns(id, current, secrets), ...sealedPrevious],
        );
      }
      for (const { id, config } of plain.configs) {
        await client.query('UPDATE integrations SET config = $2 WHERE id = $1', [id, configColumn(id, config, secrets)]);
      }
      for (const { id, url } of plain.urls) {
        await client.query('UPDATE warehouses SET url = $2 WHERE id = $1', [id, secrets.sealWarehouseUrl(id, url)]);
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
