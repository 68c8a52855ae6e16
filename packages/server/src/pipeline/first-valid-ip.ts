import { isIP } from 'node:net';

/**
 * The first valid IP address of a list as X-Forwarded-For writes it (`"203.0.113.7, 10.0.0.1"`):
 * server-side senders pass the header on as `context.ip`, and the first address is the client's.
 * IPv6 in brackets or with a port, and IPv4 with a port, are reduced to the address alone.
 */
export function firstValidIp(list: string): string | undefined {
  // Mostly one address, which no comma, space or port spoils: the list is then its own answer.
  if (isIP(list) !== 0) return list;
  for (const part of list.split(',')) {
    const address = withoutPort(part.trim());
    if (isIP(address) !== 0) return address;
  }
  return undefined;
}

function withoutPort(candidate: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(candidate);
  return ipv4WithPort?.[1] ?? candidate;
}
