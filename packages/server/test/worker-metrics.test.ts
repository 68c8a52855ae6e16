import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDatafirst, WRITE_KEY, type DatafirstProcess } from '../../../e2e/support/datafirst.js';
import { startMockProcess, type MockProcess } from './mock-process.js';

// A worker on its own (`datafirst worker`) keeps the delivery counters of what it sends: with
// --metrics-port it serves them, for a deployment whose collectors run no worker.

const cli = new URL('../dist/cli.js', import.meta.url).pathname;

let mock: MockProcess;
let collector: DatafirstProcess;
let worker: ChildProcess | undefined;
beforeAll(async () => {
  mock = await startMockProcess();
  collector = await startDatafirst({ env: { SNAPCHAT_API_URL: mock.url, DATAFIRST_WORKER: '0' } });
}, 30_000);
afterAll(async () => {
  worker?.kill('SIGKILL');
  await collector?.stop();
  await mock?.stop();
});

/** Starts `datafirst worker --metrics-port 0`; resolves with the metrics URL it prints. */
function startWorker(): Promise<string> {
  const child = spawn(process.execPath, [cli, 'worker', '--db', collector.dbPath, '--metrics-port', '0'], {
    env: { ...process.env, SNAPCHAT_API_URL: mock.url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker = child;
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /metrics on (http:\/\/\S+)\/metrics/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the worker exited with ${code}:\n${output}`)));
  });
}

describe('datafirst worker --metrics-port', () => {
  it('serves the delivery counters of what it sent, /healthz and /readyz, and nothing else', async () => {
    const base = await startWorker();
    const batch = Array.from({ length: 3 }, (_, i) => ({
      type: 'page',
      messageId: `worker-metrics-${i}`,
      anonymousId: 'anon',
      context: { page: { url: 'https://shop.example.com/' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (test)' },
    }));
    const res = await fetch(`${collector.url}/v1/batch`, {
      method: 'POST',
      body: JSON.stringify({ writeKey: WRITE_KEY, batch }),
    });
    expect(res.status).toBe(200);
    await expect
      .poll(
        async () => {
          const text = await (await fetch(`${base}/metrics`)).text();
          return /^datafirst_deliveries_delivered_total\{[^}]*\} (\d+)$/m.exec(text)?.[1];
        },
        { timeout: 15_000 },
      )
      .toBe('3');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${base}/v1/admin/sources`)).status).toBe(404);
  });
});
