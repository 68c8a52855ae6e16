import type { IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';

/**
 * The client's IP, trusting `hops` proxies in front of us (as Express's "trust proxy" does): with
 * one trusted proxy, the address it appended to X-Forwarded-For is the client's.
 */
export function clientIp(req: IncomingMessage, trust: number | boolean): string | undefined {
  const peer = req.socket.remoteAddress;
  if (trust === false || trust === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Nearest first: the peer, then each proxy's record of who called it.
  const chain = [peer, ...forwarded.reverse()].filter(Boolean) as string[];
  const hops = trust === true ? chain.length - 1 : Math.min(trust, chain.length - 1);
  return chain[hops];
}

/** True when the client reached us over HTTPS (directly, or through a trusted proxy). */
export function isSecure(req: IncomingMessage, trust: number | boolean): boolean {
  if (req.socket instanceof TLSSocket) return true;
  if (trust === false || trust === 0) return false;
  const proto = req.headers['x-forwarded-proto'];
  return (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim() === 'https';
}
