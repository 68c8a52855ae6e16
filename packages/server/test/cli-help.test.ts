import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../src/options-help.js';

// The built CLI, as users run it (npm run build first).
const cli = new URL('../dist/cli.js', import.meta.url).pathname;

function datafirst(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH } });
}

/** What `datafirst start` prints on a database, up to its last line; then it is stopped. */
function startBanner(dbPath: string, port = '0'): Promise<string> {
  const child = spawn(process.execPath, [cli, 'start'], {
    env: {
      PATH: process.env.PATH,
      PORT: port,
      HOST: '127.0.0.1',
      DATAFIRST_DB: dbPath,
      DATAFIRST_WORKER: '0',
      LOG_LEVEL: 'silent',
      DATAFIRST_ADMIN_TOKEN: 'cli-test-admin-token-of-24-chars',
    },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Database:')) {
        child.once('exit', () => resolve(out));
        child.kill('SIGTERM');
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => (out.includes('Database:') ? undefined : reject(new Error(`exited ${code}: ${out}`))));
  });
}

describe('the datafirst command', () => {
  it('prints the write key on the start that created it, and never again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'datafirst-cli-'));
    try {
      const first = await startBanner(join(dir, 'datafirst.db'));
      expect(first).toMatch(/ {2}Write key: {8}wk_[\w-]+ \(source src_[\w-]+; shown only now\)\n/);
      const second = await startBanner(join(dir, 'datafirst.db'));
      expect(second).toContain('Datafirst is listening on');
      expect(second).not.toContain('Write key');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes the source only once it listens, so a first start on a busy port leaves the key for the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'datafirst-cli-'));
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((busy.address() as AddressInfo).port);
      await expect(startBanner(join(dir, 'datafirst.db'), port)).rejects.toThrow(/exited 1/);
      const next = await startBanner(join(dir, 'datafirst.db'));
      expect(next).toMatch(/ {2}Write key: {8}wk_[\w-]+ \(source src_[\w-]+; shown only now\)\n/);
    } finally {
      busy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(['start', 'worker'] as const)('prints the help of %s made from the options table', (command) => {
    const run = datafirst(command, '--help');
    expect([run.status, run.stdout, run.stderr]).toEqual([0, helpText(command), '']);
  });

  it('refuses the admin token as a flag before starting anything', () => {
    const run = datafirst('start', '--admin-token', 'visible-in-ps');
    expect([run.status, run.stdout, run.stderr]).toEqual([
      1,
      '',
      'datafirst: --admin-token is not accepted: a flag shows its secret in the process list (ps); set DATAFIRST_ADMIN_TOKEN instead\n',
    ]);
  });
});
