import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileSchema, UNSURE } from './compiled-schema.js';
import { messageSchema } from './schema.js';

const compiled = compileSchema(messageSchema);

/** A value as text with every key in its order, `undefined` included: equal texts, equal outputs. */
function exact(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item === undefined ? '<undefined>' : item));
}

/** The compiled schema agrees with Zod: the same output when it is sure, and unsure of all Zod refuses. */
function expectAgreement(input: unknown): 'sure' | 'unsure' {
  const parsed = messageSchema.safeParse(input);
  const output = compiled(input);
  if (output === UNSURE) return 'unsure';
  expect(parsed.success, exact(input)).toBe(true);
  expect(exact(output), exact(input)).toBe(exact(parsed.data));
  return 'sure';
}

const browserTrack = {
  type: 'track',
  event: 'Product Viewed',
  messageId: 'm-1',
  anonymousId: 'anon-1',
  properties: { product_id: 'SKU-1', price: 19.99, currency: 'USD' },
  context: {
    page: { url: 'https://shop.example.com/p/1?ScCid=click', path: '/p/1', title: 'Shoes' },
    traits: { email: 'Jane.Doe@Example.com' },
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    consent: { categoryPreferences: { advertising: true } },
    snapchat: { clickId: 'c', cookie1: 's', eventName: null },
    library: { name: 'analytics-next', version: '1.0' },
  },
  integrations: { All: false, 'Snap Conversions Api': { click_id: 'c' } },
  sentAt: '2025-06-02T10:15:30.123Z',
  timestamp: '2025-06-02T10:15:29.000+02:00',
  channel: 'web',
};

describe('compileSchema(messageSchema)', () => {
  // Valid messages as senders make them: the compiled schema answers for them itself.
  it.each([
    ['a browser track', browserTrack],
    ['a page without a name', { type: 'page', anonymousId: 'a' }],
    ['a screen with a name', { type: 'screen', name: 'Checkout', anonymousId: 'a' }],
    ['an identify with traits', { type: 'identify', userId: 'u', traits: { email: 'x@y.z', plan: 'pro' } }],
    ['a group with a numeric groupId', { type: 'group', groupId: 7, userId: 'u' }],
    ['an alias', { type: 'alias', previousId: 'anon-1', userId: 'u-1' }],
    ['numeric ids, made strings', { type: 'track', event: 'E', userId: 42, anonymousId: 1.5 }],
    ['ids and names with spaces around them, trimmed', { type: 'track', event: '  E ', messageId: ' m ', userId: ' u' }],
    ['keys in an unusual order, put in the schema order', { context: { ip: '1.2.3.4', page: {} }, event: 'E', type: 'track' }],
    ["RudderStack's originalTimestamp, a date alone", { type: 'page', originalTimestamp: '2025-06-02' }],
    ['numeric keys in records', { type: 'track', event: 'E', properties: { 2: 'b', 1: 'a', x: null } }],
    ['nested unknowns kept as they are', { type: 'page', context: { device: { id: 'd', screen: [1, 2] } }, extra: [{}] }],
    ['a record of null and arrays', { type: 'page', traits: { a: null, b: [1], c: { d: 1 } } }],
    ['an empty context and properties', { type: 'page', context: {}, properties: {} }],
  ])('answers for %s as Zod does', (_, input) => {
    expect(expectAgreement(input)).toBe('sure');
  });

  // Messages Zod refuses (the API then answers with Zod's reasons): never answered for here.
  it.each([
    ['an unknown type', { type: 'purchase' }],
    ['a track without an event', { type: 'track' }],
    ['an empty event', { type: 'track', event: '  ' }],
    ['an over-long event', { type: 'track', event: 'x'.repeat(256) }],
    ['a group without a groupId', { type: 'group', userId: 'u' }],
    ['an alias without a userId', { type: 'alias', previousId: 'p' }],
    ['a timestamp that is not ISO 8601', { type: 'page', timestamp: 'yesterday' }],
    ['a datetime without an offset', { type: 'page', timestamp: '2025-06-02T10:15:30' }],
    ['properties as an array', { type: 'page', properties: [1] }],
    ['integrations as a string', { type: 'page', integrations: 'Snap' }],
    ['a context that is not an object', { type: 'page', context: 'web' }],
    ['a page URL that is not a string', { type: 'page', context: { page: { url: 1 } } }],
    ['an over-long user agent', { type: 'page', context: { userAgent: 'x'.repeat(1025) } }],
    ['a consent that is not a boolean', { type: 'page', context: { consent: { categoryPreferences: { ads: 'yes' } } } }],
    ['a null event name for Snapchat, as a number', { type: 'page', context: { snapchat: { eventName: 1 } } }],
    ['a userId that is an object', { type: 'track', event: 'E', userId: { id: 1 } }],
    ['a userId that is not a finite number', { type: 'track', event: 'E', userId: Infinity }],
    ['limitedDataUse as a string', { type: 'page', context: { limitedDataUse: 'true' } }],
  ])('leaves %s to Zod', (_, input) => {
    expect(messageSchema.safeParse(input).success).toBe(false);
    expect(expectAgreement(input)).toBe('unsure');
  });

  it.each([
    ['a key present as undefined', { type: 'page', name: undefined }],
    ['a __proto__ key', JSON.parse('{"type":"page","__proto__":{"x":1}}') as unknown],
    ['a record with a __proto__ key', JSON.parse('{"type":"page","properties":{"__proto__":1}}') as unknown],
    ['an object of a class', Object.assign(new (class Message {})(), { type: 'page' })],
  ])('leaves the unusual to Zod: %s', (_, input) => {
    expect(expectAgreement(input)).toBe('unsure');
  });

  it('agrees with Zod on thousands of variations of a message', () => {
    const values: unknown[] = ['', ' ', 'x', ' y ', 'x'.repeat(256), '2025-06-02T10:15:30Z', '2025-06-02', 0, 7, -1.5, NaN];
    values.push(true, false, null, [], ['a'], {}, { a: 1 }, { advertising: true }, { url: 'u' }, undefined);
    const paths = [
      ['type'],
      ['event'],
      ['messageId'],
      ['userId'],
      ['anonymousId'],
      ['name'],
      ['groupId'],
      ['previousId'],
      ['timestamp'],
      ['sentAt'],
      ['properties'],
      ['traits'],
      ['integrations'],
      ['context'],
      ['context', 'page'],
      ['context', 'page', 'url'],
      ['context', 'ip'],
      ['context', 'traits'],
      ['context', 'consent'],
      ['context', 'consent', 'categoryPreferences'],
      ['context', 'snapchat', 'eventName'],
      ['context', 'limitedDataUse'],
      ['properties', 'price'],
      ['extra'],
    ];
    const types = ['track', 'page', 'screen', 'identify', 'group', 'alias'];
    let seed = 11;
    const random = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    let sure = 0;
    let valid = 0;
    for (let n = 0; n < 4000; n++) {
      const input = structuredClone({ ...browserTrack, type: types[random(types.length)] }) as Record<string, unknown>;
      for (let change = random(3); change >= 0; change--) {
        const path = paths[random(paths.length)]!;
        let at = input;
        for (const key of path.slice(0, -1)) {
          if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
          at = at[key] as Record<string, unknown>;
        }
        const value = values[random(values.length)];
        if (value === undefined && random(2) === 0) delete at[path.at(-1)!];
        else at[path.at(-1)!] = structuredClone(value);
      }
      if (expectAgreement(input) === 'sure') sure++;
      if (messageSchema.safeParse(input).success) valid++;
    }
    // Of the variations still valid, the compiled schema answers for all but those with a key
    // set to undefined (which JSON never makes).
    expect(valid).toBeGreaterThan(500);
    expect(sure / valid).toBeGreaterThan(0.9);
  });
});

describe('compileSchema', () => {
  it('refuses kinds of schema it does not know, so the schema alone parses', () => {
    expect(() => compileSchema(z.object({ tags: z.array(z.string()) }))).toThrow(/array/);
    expect(() => compileSchema(z.strictObject({ a: z.string() }))).toThrow(/never catchall/);
    expect(() => compileSchema(z.record(z.enum(['a']), z.string()))).toThrow(/record/);
  });

  it('strips the keys a plain object does not declare, as Zod does', () => {
    const schema = z.object({ a: z.string().optional() });
    expect(compileSchema(schema)({ b: 1, a: 'x' })).toEqual({ a: 'x' });
  });

  it('reads keys of any spelling, quotes and line breaks too', () => {
    const key = 'a"b\'c\n`${d}`\\';
    const schema = z.looseObject({ [key]: z.string().optional(), 2: z.number() });
    const parse = compileSchema(schema);
    expect(exact(parse({ x: true, [key]: 'v', 2: 1 }))).toBe(exact(schema.parse({ x: true, [key]: 'v', 2: 1 })));
    expect(parse({ [key]: 1, 2: 1 })).toBe(UNSURE);
  });

  it('leaves records with symbol keys to Zod, which refuses them', () => {
    const schema = z.record(z.string(), z.unknown());
    const input = { a: 1, [Symbol('s')]: 2 };
    expect(schema.safeParse(input).success).toBe(false);
    expect(compileSchema(schema)(input)).toBe(UNSURE);
  });

  it('runs email and URL formats with Zod itself', () => {
    const schema = z.object({ email: z.email() });
    const parse = compileSchema(schema);
    expect(parse({ email: 'a@b.example' })).toEqual({ email: 'a@b.example' });
    expect(parse({ email: 'not an email' })).toBe(UNSURE);
  });
});
