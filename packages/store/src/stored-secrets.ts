import type { IntegrationRow, SourceRow } from './rows.js';
import { isSealed } from './secret-box.js';
import type { SealedSecrets } from './sealed-secrets.js';

/** The rows that hold secrets: sources (write keys), integrations (config values), warehouses (URLs). */
export interface SecretRows {
  sources: readonly SourceRow[];
  integrations: readonly Pick<IntegrationRow, 'id' | 'config'>[];
  warehouses: readonly { id: string; url: string }[];
}

/** The secrets still stored as they are, opened, by the id of their row: what sealing has to write. */
export interface PlainSecrets {
  sources: { id: string; current: string; previous: string | null }[];
  configs: { id: string; config: Record<string, unknown> }[];
  urls: { id: string; url: string }[];
}

/**
 * Opens every stored secret, which is the check that they can be opened (it throws with no key,
 * or another key than they were sealed with), and returns those not sealed yet.
 */
export function openStoredSecrets(rows: SecretRows, secrets: SealedSecrets): PlainSecrets {
  // Opening every secret is the check: sources and integrations are few.
  const sources = rows.sources.map((row) => ({
    row,
    current: secrets.openWriteKey(row.id, row.write_key),
    previous: row.previous_write_key === null ? null : secrets.openWriteKey(row.id, row.previous_write_key),
  }));
  const configs = rows.integrations.map((row) => {
    const stored = JSON.parse(row.config) as Record<string, unknown>;
    return { id: row.id, stored, config: secrets.openConfig(row.id, stored) };
  });
  const urls = rows.warehouses.map((row) => ({ row, url: secrets.openWarehouseUrl(row.id, row.url) }));
  return {
    sources: sources
      .filter(({ row }) => !(isSealed(row.write_key) && (row.previous_write_key === null || isSealed(row.previous_write_key))))
      .map(({ row, current, previous }) => ({ id: row.id, current, previous })),
    configs: configs.filter(({ stored }) => secrets.hasPlainSecret(stored)).map(({ id, config }) => ({ id, config })),
    urls: urls.filter(({ row }) => !isSealed(row.url)).map(({ row, url }) => ({ id: row.id, url })),
  };
}
