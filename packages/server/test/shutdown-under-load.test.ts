import { describe, expect, it } from 'vitest';
import { startTestCollector, WRITE_KEY } from './start-collector.js';

// A client that keeps sending on its kept-alive connections must not keep a stopping collector
// open: its requests in flight are answered, the next ones find the connection closed.

describe('a collector stopping under load', () => {
  it('stops within seconds while a client keeps sending on kept-alive connections, answering what it accepted', async () => {
    const collector = await startTestCollector(['--no-worker']);
    let sending = true;
    const answered: number[] = [];
    const clients = Array.from({ length: 4 }, async (_, client) => {
      for (let i = 0; sending && i < 10_000; i++) {
        const batch = [{ type: 'track', event: 'Seen', anonymousId: `a-${client}`, messageId: `load-${client}-${i}` }];
        try {
          answered.push((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch })).status);
        } catch {
          // Refused or closed: the collector is stopping.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = Date.now();
    const stopped = collector.stopAndClean().then(() => Date.now() - started);
    const outcome = await Promise.race([
      stopped,
      new Promise<string>((resolve) => setTimeout(() => resolve('still open after 5 s'), 5_000)),
    ]);
    sending = false;
    await Promise.all(clients);
    expect(typeof outcome).toBe('number');
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((status) => status === 200)).toBe(true);
  }, 30_000);
});
