import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { startDatafirst, type RunningDatafirst } from '../src/server.js';

export const ADMIN_TOKEN = 'test-admin-token-of-24-characters';
export const WRITE_KEY = 'wk_test_source';

/** A whole Datafirst (demo mode: built-in Snapchat mock) on free ports with a fresh SQLite file. */
export interface TestCollector extends RunningDatafirst {
  dbPath: string;
  /** POSTs a body (string as is, object as JSON) to a path of the public listener. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** A request with the admin token to a path of the admin listener. */
  admin(path: string, init?: RequestInit): Promise<Response>;
  stopAndClean(): Promise<void>;
}

export async function startTestCollector(
  flags: string[] = [],
  env: Record<string, string> = {},
  /** Another collector's database (closed): start on it, as a restart would. */
  restartOf?: TestCollector,
): Promise<TestCollector> {
  const dir = restartOf ? dirname(restartOf.dbPath) : mkdtempSync(join(tmpdir(), 'datafirst-test-'));
  const dbPath = join(dir, 'datafirst.db');
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--admin-port', '0', '--db', dbPath, ...flags], {
    DATAFIRST_ADMIN_TOKEN: ADMIN_TOKEN,
    DATAFIRST_WRITE_KEY: WRITE_KEY,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const running = await startDatafirst(config);
  return {
    ...running,
    dbPath,
    post(path, body, headers = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return fetch(running.url + path, {
        method: 'POST',
        body: text,
        headers: { 'content-type': 'application/json', ...headers },
      });
    },
    admin(path, init = {}) {
      return fetch(running.adminUrl + path, {
        ...init,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
    },
    async stopAndClean() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
