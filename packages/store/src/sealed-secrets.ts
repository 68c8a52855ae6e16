import { isSealed, type SecretBox } from './secret-box.js';

/**
 * Which stored values are secrets and how they are sealed at rest, apart from any database: a
 * source's write keys, the integration config keys the caller names (a destination's secret
 * fields), and warehouse connection URLs. Sealed values are bound to their row and field, so one copied elsewhere does not open.
 */
export interface SealedSecrets {
  /** True when a secret key is set: secrets are written sealed. */
  readonly sealing: boolean;
  /** A write key as stored (sealed) and its keyed digest for look-ups (null without a key). */
  sealWriteKey(sourceId: string, writeKey: string): { sealed: string; digest: string | null };
  /** A stored write key opened. */
  openWriteKey(sourceId: string, stored: string): string;
  /** The keyed digest a write key is looked up by; null without a key. */
  writeKeyDigest(writeKey: string): string | null;
  /** An integration config as stored: its secret keys sealed (already sealed ones kept). */
  sealConfig(integrationId: string, config: Record<string, unknown>): Record<string, unknown>;
  /** A stored integration config with its secrets opened, as the worker needs it. */
  openConfig(integrationId: string, stored: Record<string, unknown>): Record<string, unknown>;
  /** True when a stored config holds a secret not sealed yet (written before a key was set). */
  hasPlainSecret(stored: Record<string, unknown>): boolean;
  /** A warehouse connection URL (it may hold a password) as stored: sealed. */
  sealWarehouseUrl(warehouseId: string, url: string): string;
  /** A stored warehouse URL opened. */
  openWarehouseUrl(warehouseId: string, stored: string): string;
}

const writeKeyContext = (sourceId: string) => `source ${sourceId} write_key`;
const configContext = (integrationId: string, key: string) => `integration ${integrationId} ${key}`;
const warehouseContext = (warehouseId: string) => `warehouse ${warehouseId} url`;

/** Seals with `box` the write keys and the config values under `secretConfigKeys`. */
export function createSealedSecrets(box: SecretBox, secretConfigKeys: readonly string[]): SealedSecrets {
  return {
    sealing: box.sealing,
    sealWriteKey: (sourceId, writeKey) => ({
      sealed: box.seal(writeKey, writeKeyContext(sourceId)),
      digest: box.digest(writeKey) ?? null,
    }),
    openWriteKey: (sourceId, stored) => box.open(stored, writeKeyContext(sourceId)),
    writeKeyDigest: (writeKey) => box.digest(writeKey) ?? null,
    sealConfig(integrationId, config) {
      const sealed = { ...config };
      for (const key of secretConfigKeys) {
        const value = sealed[key];
        if (typeof value === 'string' && !isSealed(value)) sealed[key] = box.seal(value, configContext(integrationId, key));
      }
      return sealed;
    },
    openConfig(integrationId, stored) {
      const config = { ...stored };
      for (const key of secretConfigKeys) {
        const value = config[key];
        if (typeof value === 'string') config[key] = box.open(value, configContext(integrationId, key));
      }
      return config;
    },
    hasPlainSecret: (stored) => secretConfigKeys.some((key) => typeof stored[key] === 'string' && !isSealed(stored[key])),
    sealWarehouseUrl: (warehouseId, url) => (isSealed(url) ? url : box.seal(url, warehouseContext(warehouseId))),
    openWarehouseUrl: (warehouseId, stored) => box.open(stored, warehouseContext(warehouseId)),
  };
}
