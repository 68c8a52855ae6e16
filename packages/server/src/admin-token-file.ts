import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from './config.js';

/** Where a generated admin token is kept: beside the database, readable by its owner only. */
export function adminTokenPath(config: Pick<Config, 'dbPath'>): string {
  return join(dirname(config.dbPath), 'admin-token');
}

/**
 * The config with a generated admin token that survives restarts: the one kept in the data
 * directory, or (first start) the newly generated one, written there with mode 0600. A token
 * given in the environment is used as it is and never written anywhere.
 */
export function withKeptAdminToken(config: Config): Config & { adminTokenKept: boolean } {
  if (!config.adminTokenGenerated) return { ...config, adminTokenKept: false };
  const path = adminTokenPath(config);
  if (existsSync(path)) {
    const kept = readFileSync(path, 'utf8').trim();
    if (kept !== '') return { ...config, adminToken: kept, adminTokenGenerated: false, adminTokenKept: true };
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${config.adminToken}\n`, { mode: 0o600 });
  chmodSync(path, 0o600); // the mode applies only to a file the write creates
  return { ...config, adminTokenKept: false };
}
