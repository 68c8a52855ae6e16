import { describe, expect, it } from 'vitest';
import { validateMessage } from './schema.js';

describe('validateMessage', () => {
  it.each([
    ['a track with an event name', { type: 'track', event: 'Order Completed', anonymousId: 'a' }],
    ['a page without a name', { type: 'page', anonymousId: 'a' }],
    ['an identify with only a userId', { type: 'identify', userId: 'u', traits: { email: 'x@y.z' } }],
    ['a screen with a name', { type: 'screen', name: 'Checkout', anonymousId: 'a' }],
    ['a group with a numeric groupId', { type: 'group', groupId: 7, userId: 'u', traits: { plan: 'pro' } }],
    ['an alias linking a previousId to a userId', { type: 'alias', previousId: 'anon-1', userId: 'u-1' }],
    ["RudderStack's originalTimestamp", { type: 'page', originalTimestamp: '2025-06-02T10:15:30.123Z' }],
    ['a list of IPs in context.ip', { type: 'page', context: { ip: '203.0.113.7, 10.0.0.1' } }],
    ['a numeric userId', { type: 'track', event: 'E', userId: 42 }],
    [
      'unknown extra fields (Segment libraries send integrations, channel…)',
      { type: 'page', channel: 'server', integrations: {} },
    ],
    ['an ISO timestamp with an offset', { type: 'page', timestamp: '2025-06-02T10:15:30.123+02:00' }],
    [
      "Segment's destination options",
      { type: 'page', integrations: { All: false, 'Snap Conversions Api': { click_id: 'cid-1', uuid_c1: 'scid-1' } } },
    ],
  ])('accepts %s', (_, input) => {
    expect(validateMessage(input).ok).toBe(true);
  });

  it.each([
    ["analytics.js's null userId of a visitor not yet identified", { type: 'page', userId: null, anonymousId: 'a' }],
    ["RudderStack's empty userId", { type: 'track', event: 'E', userId: '', anonymousId: 'a' }],
    ['a blank anonymousId beside a userId', { type: 'identify', userId: 'u', anonymousId: '  ' }],
    [
      "analytics-python's page without a name",
      { type: 'page', name: null, category: null, userId: 'u', anonymousId: null, context: null, properties: null },
    ],
  ])('accepts %s, as no value at all', (_, input) => {
    const result = validateMessage(input);
    expect(result.ok).toBe(true);
    const message = result.ok ? result.message : {};
    for (const [key, value] of Object.entries(input)) {
      if (value === null || (key.endsWith('Id') && String(value).trim() === '')) expect(message).not.toHaveProperty(key);
    }
  });

  it.each([
    [
      'an identify whose only id is null',
      { type: 'identify', userId: null },
      'userId: identify needs a userId or an anonymousId',
    ],
    [
      'an alias whose userId is empty',
      { type: 'alias', previousId: 'p', userId: '' },
      'userId: an alias call needs the userId it links to',
    ],
    ['a track whose event is null', { type: 'track', event: null, userId: 'u' }, 'event: Invalid input'],
  ])('refuses %s, as if it had none', (_, input, error) => {
    expect(validateMessage(input)).toEqual({ ok: false, errors: [error] });
  });

  it.each([
    ['a non-object', 'hello', 'message: must be a JSON object'],
    ['an array', [], 'message: must be a JSON object'],
    ['a missing type', { event: 'E' }, 'type: is required (track, page, screen, identify, group, alias)'],
    ['an unknown type', { type: 'purchase' }, 'type: must be one of track, page, screen, identify, group, alias'],
    ['a group without a groupId', { type: 'group', userId: 'u' }, 'groupId: a group call needs a groupId'],
    ['an alias without a previousId', { type: 'alias', userId: 'u' }, 'previousId: an alias call needs the previousId it links'],
    ['an alias without a userId', { type: 'alias', previousId: 'p' }, 'userId: an alias call needs the userId it links to'],
    [
      'an originalTimestamp that is not ISO 8601',
      { type: 'page', originalTimestamp: 'now' },
      'originalTimestamp: must be an ISO 8601 date-time, like 2025-06-02T10:15:30.123Z',
    ],
    ['a track without an event', { type: 'track' }, 'event: a track call needs an event name'],
    ['a track with an empty event', { type: 'track', event: '  ' }, 'event: Too small: expected string to have >=1 characters'],
    ['an identify with neither id', { type: 'identify', traits: {} }, 'userId: identify needs a userId or an anonymousId'],
    [
      'a timestamp that is not ISO 8601',
      { type: 'page', timestamp: 'yesterday' },
      'timestamp: must be an ISO 8601 date-time, like 2025-06-02T10:15:30.123Z',
    ],
    [
      'properties that are not an object',
      { type: 'page', properties: [1] },
      'properties: Invalid input: expected record, received array',
    ],
    [
      'integrations that are not an object',
      { type: 'page', integrations: 'Snap Conversions Api' },
      'integrations: Invalid input: expected record, received string',
    ],
    [
      'an over-long event name',
      { type: 'track', event: 'x'.repeat(256) },
      'event: Too big: expected string to have <=255 characters',
    ],
  ])('rejects %s, naming the field', (_, input, error) => {
    const result = validateMessage(input);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors[0]).toBe(error);
  });
});
