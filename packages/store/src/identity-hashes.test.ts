import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contactsOf, identityHashes, normalEmail, normalPhone, phoneReadings, suppressionHashesOf } from './identity-hashes.js';

describe('normalEmail', () => {
  it.each([
    ['Jane@Example.com', 'jane@example.com'],
    [' jane@example.com ', 'jane@example.com'],
    ['jane @example.com', 'jane@example.com'],
    ['\tJane@Example.com\n', 'jane@example.com'],
    ['ÉLODIE@Example.com', 'élodie@example.com'],
    // NFD (e + combining acute) meets NFC.
    ['E\u0301lodie@example.com', 'élodie@example.com'],
  ])('compares %j as %j, as Snapchat hashes it', (given, expected) => {
    expect(normalEmail(given)).toBe(expected);
  });
});

describe('normalPhone', () => {
  it.each([
    ['+44 7700 900123', '7700900123'],
    ['0044 7700 900123', '7700900123'],
    ['+44 (0)7700 900123', '7700900123'],
    ['+44 07700 900123', '7700900123'],
    ['07700 900123', '7700900123'],
    ['7700 900123', '7700900123'],
    ['+1 (555) 010-0200', '5550100200'],
    ['+39 06 1234 5678', '612345678'],
    ['15550100200', '15550100200'],
    ['', ''],
  ])('compares %j by its national number %j', (given, expected) => {
    expect(normalPhone(given)).toBe(expected);
  });
});

describe('phoneReadings', () => {
  it.each([
    ['+1 555 010 0200', ['5550100200']],
    ['15550100200', ['15550100200', '5550100200']],
    ['07700 900123', ['7700900123']],
    ['447700900123', ['447700900123', '7700900123']],
    ['call me', []],
  ])('reads the phone %j of a request as %j', (given, expected) => {
    expect(phoneReadings(given)).toEqual(expected);
  });
});

describe('contactsOf', () => {
  it('reads emails and phones from the context traits, the traits and the properties, each once', () => {
    const message = {
      type: 'track' as const,
      event: 'Order Completed',
      messageId: 'm-1',
      context: { traits: { email: 'a@example.com', phone: '+44 7700 900123' } },
      traits: { email: 'a@example.com' },
      properties: { email: 'b@example.com', phone: ' ' },
    };
    expect(contactsOf(message)).toEqual({ emails: ['a@example.com', 'b@example.com'], phones: ['+44 7700 900123'] });
  });
});

describe('suppressionHashesOf', () => {
  const track = (properties: Record<string, unknown>) => ({ type: 'track' as const, event: 'X', messageId: 'm', properties });

  it.each(['erase.me@example.com', 'Erase.Me @Example.com'])(
    'finds %j of the properties on a list made for the address',
    (email) => {
      const listed = identityHashes({ email: 'erase.me@example.com' });
      expect(suppressionHashesOf(track({ email }))).toEqual(expect.arrayContaining(listed));
    },
  );

  it.each(['07700 900888', '+44 (0)7700 900888', '0044 7700 900888'])('finds %j on a list made for +447700900888', (phone) => {
    const listed = identityHashes({ phone: '+447700900888' });
    expect(suppressionHashesOf(track({ phone })).some((hash) => listed.includes(hash))).toBe(true);
  });

  it('still finds a phone on a list made when phones were compared by all their digits', () => {
    const earlier = createHash('sha256').update('phone:447700900888').digest('hex');
    expect(suppressionHashesOf(track({ phone: '+44 7700 900888' }))).toContain(earlier);
  });

  it('does not find another number', () => {
    const listed = identityHashes({ phone: '+447700900888' });
    expect(suppressionHashesOf(track({ phone: '+44 7700 900889' })).some((hash) => listed.includes(hash))).toBe(false);
  });
});
