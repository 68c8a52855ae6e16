import { describe, expect, it } from 'vitest';
import { firstValidIp } from './first-valid-ip.js';

describe('firstValidIp', () => {
  it.each([
    ['one IPv4', '203.0.113.7', '203.0.113.7'],
    ['an X-Forwarded-For list', '203.0.113.7, 10.0.0.1, 192.0.2.1', '203.0.113.7'],
    ['a list starting with junk', 'unknown, 198.51.100.4', '198.51.100.4'],
    ['IPv6', '2001:db8::1', '2001:db8::1'],
    ['bracketed IPv6 with a port', '[2001:db8::1]:443', '2001:db8::1'],
    ['IPv4 with a port', '203.0.113.7:5123', '203.0.113.7'],
    ['nothing valid', 'localhost, ', undefined],
    ['an empty string', '', undefined],
    ['one IPv4 with spaces around it', ' 203.0.113.7 ', '203.0.113.7'],
    ['IPv6 with a zone', 'fe80::1%eth0', 'fe80::1%eth0'],
    ['IPv4-mapped IPv6', '::ffff:203.0.113.7', '::ffff:203.0.113.7'],
  ])('%s: %j → %j', (_, list, expected) => {
    expect(firstValidIp(list)).toBe(expected);
  });
});
