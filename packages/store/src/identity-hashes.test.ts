import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contactsOf,
  emailKey,
  emailMatches,
  identityHashes,
  normalEmail,
  phoneKey,
  phoneMatches,
  phoneReadings,
  suppressionHashesOf,
} from './identity-hashes.js';

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

describe('phoneKey', () => {
  it.each([
    ['+44 7700 900123', { callingCode: '44', national: '7700900123' }],
    ['0044 7700 900123', { callingCode: '44', national: '7700900123' }],
    ['+44 (0)7700 900123', { callingCode: '44', national: '7700900123' }],
    ['+44 07700 900123', { callingCode: '44', national: '7700900123' }],
    ['07700 900123', { national: '7700900123' }],
    ['+1 (555) 010-0200', { callingCode: '1', national: '5550100200' }],
    ['+39 06 1234 5678', { callingCode: '39', national: '612345678' }],
    ['15550100200', { national: '15550100200' }],
    ['', { national: '' }],
  ])('reads %j as %j', (given, expected) => {
    expect(phoneKey(given)).toEqual(expected);
  });
});

describe('phoneReadings', () => {
  it.each([
    ['+1 555 010 0200', [{ callingCode: '1', national: '5550100200' }]],
    ['15550100200', [{ national: '15550100200' }, { callingCode: '1', national: '5550100200' }]],
    ['07700 900123', [{ national: '7700900123' }]],
    ['call me', []],
  ])('reads the phone %j of a request as %j', (given, expected) => {
    expect(phoneReadings(given)).toEqual(expected);
  });
});

describe('phoneMatches', () => {
  const uk = phoneReadings('+44 7700 900123');
  it.each([
    ['+44 7700 900123', true],
    ['0044 7700 900123', true],
    ['+44 (0)7700 900123', true],
    ['07700 900123', true],
    [7700900123, true],
    [['+33 6 12 34 56 78', '+447700900123'], true],
    ['["+447700900123"]', true],
    // The same national digits in another country are another person.
    ['+1 770 090 0123', false],
    ['+44 7700 900124', false],
  ])('takes %j for +44 7700 900123: %s', (stored, expected) => {
    expect(phoneMatches(stored, uk)).toBe(expected);
  });

  it('reads a request without + as a national number too, never as a number of the calling code its digits start with', () => {
    const typed = phoneReadings('2025550123');
    expect(phoneMatches('+1 202 555 0123', typed)).toBe(true);
    expect(phoneMatches('+45 25 55 01 23', typed)).toBe(false);
  });
});

describe('emailMatches', () => {
  const jane = emailKey('jane@example.com');
  it.each([
    ['Jane@Example.com', true],
    [' jane @example.com', true],
    [['other@example.com', 'JANE@example.com'], true],
    [createHash('sha256').update('jane@example.com').digest('hex'), true],
    [createHash('sha256').update('jane@example.com').digest('hex').toUpperCase(), true],
    ['bob@example.com', false],
    [42, false],
  ])('takes %j for jane@example.com: %s', (stored, expected) => {
    expect(emailMatches(stored, jane)).toBe(expected);
  });
});

describe('contactsOf', () => {
  it('reads emails and phones where Snapchat does: the traits (phone, phoneNumber, phone_number), the properties, lists and numbers; each once', () => {
    const message = {
      type: 'track' as const,
      event: 'Order Completed',
      messageId: 'm-1',
      context: { traits: { email: 'a@example.com', phone_number: '+44 7700 900123' } },
      traits: { email: ['a@example.com', 'c@example.com'], phoneNumber: 7700900124 },
      properties: { email: 'b@example.com', phone: ' ' },
    };
    expect(contactsOf(message)).toEqual({
      emails: ['a@example.com', 'c@example.com', 'b@example.com'],
      phones: ['+44 7700 900123', '7700900124'],
    });
  });
});

describe('suppressionHashesOf', () => {
  const track = (properties: Record<string, unknown>) => ({ type: 'track' as const, event: 'X', messageId: 'm', properties });
  const listed = (person: Parameters<typeof identityHashes>[0], properties: Record<string, unknown>) => {
    const list = identityHashes(person);
    return suppressionHashesOf(track(properties)).some((hash) => list.includes(hash));
  };

  it.each(['erase.me@example.com', 'Erase.Me @Example.com', createHash('sha256').update('erase.me@example.com').digest('hex')])(
    'finds %j of the properties on a list made for the address',
    (email) => {
      expect(listed({ email: 'erase.me@example.com' }, { email })).toBe(true);
    },
  );

  it.each(['07700 900888', '+44 (0)7700 900888', '0044 7700 900888', '+44 7700 900888'])(
    'finds %j on a list made for +447700900888',
    (phone) => {
      expect(listed({ phone: '+447700900888' }, { phone })).toBe(true);
    },
  );

  it.each(['+1 770 090 0888', '+44 7700 900889'])('does not find %j on a list made for +447700900888', (phone) => {
    expect(listed({ phone: '+447700900888' }, { phone })).toBe(false);
  });

  it('finds an international number on a list made for its national number, as the request typed it', () => {
    expect(listed({ phone: '07700 900888' }, { phone: '+44 7700 900888' })).toBe(true);
  });

  it('still finds a phone on a list made when phones were compared by all their digits', () => {
    const earlier = createHash('sha256').update('phone:447700900888').digest('hex');
    expect(suppressionHashesOf(track({ phone: '+44 7700 900888' }))).toContain(earlier);
  });
});
