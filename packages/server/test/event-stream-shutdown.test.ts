import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestCollector } from './start-collector.js';

// A browser's EventSource reconnects a stream that ended within a couple of seconds, over the
// connection it keeps alive. At shutdown that reconnection must not be served a stream of its own,
// which would hold the process up for as long as the debugger tab stayed open.

const streamRequest = (port: number) =>
  `GET /v1/admin/events/stream HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${ADMIN_TOKEN}\r\n\r\n`;

describe('a live event stream at shutdown', () => {
  it('ends, refuses the reconnection on the same connection with 503, closes it, and lets the process stop', async () => {
    const collector = await startTestCollector(['--no-worker']);
    const socket = connect(collector.adminPort, '127.0.0.1');
    let received = '';
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.write(streamRequest(collector.adminPort));
    await expect.poll(() => received.includes('event: ready'), { timeout: 5_000 }).toBe(true);

    const stopped = collector.stopAndClean();
    // The first stream's last chunk (the chunked encoding's end) arrives: reconnect at once.
    await expect.poll(() => received.includes('0\r\n\r\n'), { timeout: 5_000 }).toBe(true);
    socket.write(streamRequest(collector.adminPort));

    const outcome = await Promise.race([
      stopped.then(() => 'stopped'),
      new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe('stopped');
    await closed;
    const answers = received.match(/^HTTP\/1\.1 \d+/gm);
    expect(answers?.[0]).toBe('HTTP/1.1 200');
    // The reconnection is refused, or finds the connection closed: never a second stream.
    expect(answers?.slice(1).every((answer) => answer === 'HTTP/1.1 503')).toBe(true);
    expect(received.split('event: ready')).toHaveLength(2);
  });
});
