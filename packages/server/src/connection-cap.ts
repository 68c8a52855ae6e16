import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Caps the connections one client address may hold open on a server: a connection over the cap
 * is closed as soon as it is accepted, before a byte of it is read. Counts the peer address the
 * socket shows (a proxy in front counts as one client, hence a high cap).
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
