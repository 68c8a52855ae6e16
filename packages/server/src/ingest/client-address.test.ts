import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientIp, isSecure } from './client-address.js';

function request(peer: string, headers: Record<string, string> = {}): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: peer });
  return { socket, headers } as unknown as IncomingMessage;
}

describe('clientIp', () => {
  it.each([
    ['the peer when no proxy is trusted', false, '10.0.0.1', '203.0.113.7', '10.0.0.1'],
    ['what one trusted proxy appended', 1, '10.0.0.1', '198.51.100.1, 203.0.113.7', '203.0.113.7'],
    ['what the outer of two trusted proxies saw', 2, '10.0.0.1', '203.0.113.7, 10.0.0.2', '203.0.113.7'],
    ['the peer when a trusted proxy sent no header', 1, '10.0.0.1', '', '10.0.0.1'],
    ['the leftmost address when every hop is trusted', true, '10.0.0.1', '203.0.113.7, 10.0.0.2', '203.0.113.7'],
  ])('is %s', (_, trust, peer, forwarded, expected) => {
    expect(clientIp(request(peer, forwarded ? { 'x-forwarded-for': forwarded } : {}), trust)).toBe(expected);
  });
});

describe('isSecure', () => {
  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    expect(isSecure(request('10.0.0.1', { 'x-forwarded-proto': 'https' }), 1)).toBe(true);
    expect(isSecure(request('10.0.0.1', { 'x-forwarded-proto': 'https' }), false)).toBe(false);
    expect(isSecure(request('10.0.0.1', { 'x-forwarded-proto': 'http' }), 1)).toBe(false);
  });
});
