import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminTokenPath, withKeptAdminToken } from './admin-token-file.js';
import { loadConfig } from './config.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const configIn = (env: Record<string, string> = {}) => {
  return loadConfig([], { DATAFIRST_DB: join(dir, 'data', 'datafirst.db'), ...env });
};

describe('withKeptAdminToken', () => {
  it('keeps a generated token in the data directory, mode 0600, and uses it again at the next start', () => {
    dir = mkdtempSync(join(tmpdir(), 'datafirst-token-'));
    const first = withKeptAdminToken(configIn());
    const path = adminTokenPath(first);
    expect(path).toBe(join(dir, 'data', 'admin-token'));
    expect(readFileSync(path, 'utf8')).toBe(`${first.adminToken}\n`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect([first.adminTokenGenerated, first.adminTokenKept]).toEqual([true, false]);

    const second = withKeptAdminToken(configIn());
    expect(second.adminToken).toBe(first.adminToken);
    expect([second.adminTokenGenerated, second.adminTokenKept]).toEqual([false, true]);
  });

  it('uses a token given in the environment as it is and writes nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'datafirst-token-'));
    const config = withKeptAdminToken(configIn({ DATAFIRST_ADMIN_TOKEN: 'a-given-token-of-some-length' }));
    expect(config.adminToken).toBe('a-given-token-of-some-length');
    expect(() => statSync(adminTokenPath(config))).toThrow();
  });
});
