import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, fetch } from 'undici';

const cli = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));

export const ADMIN_TOKEN = 'e2e-admin-token-of-24-characters';
export const WRITE_KEY = 'wk_e2e_demo';

/**
 * Where the admin UI and API of a running Datafirst are served. Every spec reaches the admin
 * through this one function, so moving the admin to another listener changes only this line.
 */
export function adminBase(datafirst: Pick<DatafirstProcess, 'adminUrl'>): string {
  return datafirst.adminUrl;
}

/** A Datafirst server started as a real child process, in demo mode, on its own database. */
export interface DatafirstProcess {
  /** The public listener: ingest, the tag, the demo shop, links, postbacks. */
  url: string;
  /** The admin listener: admin API and UI, `/metrics`, the Snapchat mock. */
  adminUrl: string;
  dbPath: string;
  process: ChildProcess;
  output(): string;
  /** Ends the process (SIGTERM by default) and waits for it. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Admin API GET (admin listener, admin token), parsed. */
  admin<T = unknown>(path: string): Promise<T>;
  /** Events the built-in Snapchat mock accepted (its inspection routes need the admin token). */
  mockEvents(): Promise<MockEvent[]>;
  /** A counter of `GET /metrics`, summed over its labels (0 before it first counts). */
  counter(name: string): Promise<number>;
}

export interface MockEvent {
  assetId: string;
  test: boolean;
  event: Record<string, any>;
}

/**
 * Starts `datafirst worker` on a database: the process at once (so a caller can always kill it),
 * and `started`, which resolves once it says it started and rejects if it exits before.
 */
export function spawnWorker(
  dbPath: string,
  env: Record<string, string>,
): { child: ChildProcess; started: Promise<ChildProcess> } {
  const child = spawn(process.execPath, [cli, 'worker', '--db', dbPath], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<ChildProcess>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Datafirst worker started')) resolve(child);
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}:\n${output}`)));
  });
  return { child, started };
}

/** Starts `datafirst start` in demo mode on free ports with a fresh (or given) SQLite file. */
export async function startDatafirst(options: { dbPath?: string; env?: Record<string, string> } = {}): Promise<DatafirstProcess> {
  const dir = options.dbPath ? undefined : mkdtempSync(join(tmpdir(), 'datafirst-e2e-'));
  const dbPath = options.dbPath ?? join(dir!, 'datafirst.db');
  const child = spawn(
    process.execPath,
    [cli, 'start', '--port', '0', '--host', '127.0.0.1', '--admin-port', '0', '--db', dbPath],
    {
      env: {
        ...process.env,
        DATAFIRST_ADMIN_TOKEN: ADMIN_TOKEN,
        DATAFIRST_WRITE_KEY: WRITE_KEY,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [url, adminUrl] = await new Promise<[string, string]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`datafirst did not start:\n${output}`)), 20_000);
    child.stdout.on('data', () => {
      const publicMatch = /listening on (http:\/\/\S+)/.exec(output);
      const adminMatch = /Admin listener on (http:\/\/\S+)/.exec(output);
      if (publicMatch && adminMatch) {
        clearTimeout(timer);
        resolve([publicMatch[1]!, adminMatch[1]!]);
      }
    });
    child.once('exit', (code) => reject(new Error(`datafirst exited with ${code}:\n${output}`)));
  });
  // A pool of its own: a restarted server may get this one's port, and must not inherit its
  // dead keep-alive sockets.
  const agent = new Agent();
  const adminGet = async (path: string): Promise<any> => {
    const res = await fetch(adminUrl + path, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` }, dispatcher: agent });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    adminUrl,
    dbPath,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      await agent.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    admin: (path) => adminGet(path),
    mockEvents: async () => ((await adminGet('/snapchat-mock/__mock/events')) as { events: MockEvent[] }).events,
    async counter(name) {
      const res = await fetch(`${adminUrl}/metrics`, { dispatcher: agent });
      const text = await res.text();
      // Prometheus text format: `name{labels} value` or `name value`, one sample a line.
      const samples = text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
      return samples.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    },
  };
}
