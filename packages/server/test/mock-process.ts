import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MockEvent, MockFault, MockRequest } from '@datafirst/snapchat';
import { Agent, fetch, type RequestInit } from 'undici';

const mockCli = fileURLToPath(new URL('../../snapchat/dist/mock-cli.js', import.meta.url));

/** The Snapchat mock as a real child process, driven through its /__mock control routes. */
export interface MockProcess {
  url: string;
  process: ChildProcess;
  /** Accepted events, in arrival order. */
  events(): Promise<MockEvent[]>;
  /** Every request received, in arrival order. */
  requests(): Promise<MockRequest[]>;
  setFaults(faults: MockFault | MockFault[]): Promise<void>;
  clearFaults(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `mock-cli.js` on a free port (with e.g. `--token T:asset` to leave demo mode). */
export async function startMockProcess(args: string[] = []): Promise<MockProcess> {
  const child = spawn(process.execPath, [mockCli, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock did not start:\n${output}`)), 10_000);
    child.stdout.on('data', () => {
      const match = /(http:\/\/[\d.:]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  // A connection pool of its own: a later mock may get this one's port, and must not inherit
  // its dead keep-alive sockets.
  const agent = new Agent();
  const control = async (path: string, init?: RequestInit): Promise<unknown> => {
    const res = await fetch(`${url}/__mock/${path}`, { ...init, dispatcher: agent });
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} /__mock/${path}: ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  };
  return {
    url,
    process: child,
    events: async () => ((await control('events')) as { events: MockEvent[] }).events,
    requests: async () => ((await control('requests')) as { requests: MockRequest[] }).requests,
    setFaults: async (faults) => void (await control('faults', { method: 'PUT', body: JSON.stringify(faults) })),
    clearFaults: async () => void (await control('faults', { method: 'DELETE' })),
    async stop() {
      await agent.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
