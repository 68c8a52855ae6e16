import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { isSealed, type SecretBox } from '../secret-box.js';
import type { Source } from '../store.js';
import { type Row } from './columns.js';

/** Integration config fields that hold secrets, sealed when a secret key is set. */
export const SEALED_CONFIG_KEYS = ['access_token'] as const;

// Sealed values are bound to their row and field: one copied elsewhere does not open.
const writeKeyContext = (sourceId: string) => `source ${sourceId} write_key`;
const configContext = (integrationId: string, key: string) => `integration ${integrationId} ${key}`;

/** A new random write key: `wk_` and 144 random bits. */
export function newWriteKey(): string {
  return `wk_${randomBytes(18).toString('base64url')}`;
}

/** A source as the store returns it, its write key opened. */
export function toSource(row: Row, box: SecretBox, now = Date.now()): Source {
  const expires = row.previous_key_expires_at as number | null | undefined;
  return {
    id: row.id as string,
    name: row.name as string,
    writeKey: box.open(row.write_key as string, writeKeyContext(row.id as string)),
    createdAt: new Date(row.created_at as number).toISOString(),
    ...(typeof expires === 'number' && expires > now ? { previousKeyExpiresAt: new Date(expires).toISOString() } : {}),
  };
}

/** The `write_key` and `write_key_hash` columns for a source's key. */
export function writeKeyColumns(
  sourceId: string,
  writeKey: string,
  box: SecretBox,
): { write_key: string; write_key_hash: string | null } {
  return { write_key: box.seal(writeKey, writeKeyContext(sourceId)), write_key_hash: box.digest(writeKey) ?? null };
}

/** The source a write key belongs to: its current key, or the previous one within its grace period. */
export function findSourceRow(db: Database.Database, writeKey: string, box: SecretBox, now: number): Row | undefined {
  return db
    .prepare(
      `SELECT * FROM sources
       WHERE write_key = @key OR write_key_hash = @hash
          OR ((previous_write_key = @key OR previous_write_key_hash = @hash) AND previous_key_expires_at > @now)
       ORDER BY (write_key = @key OR write_key_hash = @hash) DESC LIMIT 1`,
    )
    .get({ key: writeKey, hash: box.digest(writeKey) ?? null, now }) as Row | undefined;
}

/** An integration config as stored: JSON with its secrets sealed. */
export function sealConfig(config: Record<string, unknown>, integrationId: string, box: SecretBox): string {
  const sealed = { ...config };
  for (const key of SEALED_CONFIG_KEYS) {
    const value = sealed[key];
    if (typeof value === 'string' && !isSealed(value)) sealed[key] = box.seal(value, configContext(integrationId, key));
  }
  return JSON.stringify(sealed);
}

/** A stored integration config with its secrets opened, as the worker needs it. */
export function openConfig(text: unknown, integrationId: string, box: SecretBox): Record<string, unknown> {
  const config = (typeof text === 'string' ? JSON.parse(text) : {}) as Record<string, unknown>;
  for (const key of SEALED_CONFIG_KEYS) {
    const value = config[key];
    if (typeof value === 'string') config[key] = box.open(value, configContext(integrationId, key));
  }
  return config;
}

/**
 * Run when the store opens. Fails fast (rather than at the first delivery) when sealed secrets
 * cannot be opened: no key, or another key than they were sealed with. With a key, seals the
 * secrets still stored as they are, so setting DATAFIRST_SECRET_KEY on an existing database
 * encrypts what it already holds. Idempotent, so processes sharing the file may all run it.
 */
export function sealStoredSecrets(db: Database.Database, box: SecretBox): void {
  const sealedSource = db.prepare(`SELECT id, write_key FROM sources WHERE write_key LIKE 'enc:v1:%' LIMIT 1`).get() as
    Row | undefined;
  if (sealedSource) box.open(sealedSource.write_key as string, writeKeyContext(sealedSource.id as string));
  const sealedIntegration = db
    .prepare(`SELECT id, config FROM integrations WHERE json_extract(config, '$.access_token') LIKE 'enc:v1:%' LIMIT 1`)
    .get() as Row | undefined;
  if (sealedIntegration) openConfig(sealedIntegration.config, sealedIntegration.id as string, box);
  if (!box.sealing) return;

  db.transaction(() => {
    const sources = db
      .prepare(
        `SELECT id, write_key, previous_write_key FROM sources
         WHERE write_key NOT LIKE 'enc:v1:%' OR previous_write_key NOT LIKE 'enc:v1:%'`,
      )
      .all() as Row[];
    const updateSource = db.prepare(
      `UPDATE sources SET write_key = @write_key, write_key_hash = @write_key_hash,
         previous_write_key = @previous_write_key, previous_write_key_hash = @previous_write_key_hash WHERE id = @id`,
    );
    for (const row of sources) {
      const id = row.id as string;
      const current = writeKeyColumns(id, box.open(row.write_key as string, writeKeyContext(id)), box);
      const previousKey = row.previous_write_key as string | null;
      const previous = previousKey === null ? null : writeKeyColumns(id, box.open(previousKey, writeKeyContext(id)), box);
      updateSource.run({
        id,
        ...current,
        previous_write_key: previous?.write_key ?? null,
        previous_write_key_hash: previous?.write_key_hash ?? null,
      });
    }
    const integrations = db
      .prepare(
        `SELECT id, config FROM integrations
         WHERE json_type(config, '$.access_token') = 'text' AND json_extract(config, '$.access_token') NOT LIKE 'enc:v1:%'`,
      )
      .all() as Row[];
    const updateConfig = db.prepare('UPDATE integrations SET config = ? WHERE id = ?');
    for (const row of integrations) {
      const id = row.id as string;
      updateConfig.run(sealConfig(openConfig(row.config, id, box), id, box), id);
    }
  }).immediate();
}
