import { describe, expect, it } from 'vitest';
import { missingColumns, parseMapping, rowMessage } from './mapping.js';
import { syncMessageId } from './sync-message-id.js';

const options = { messageId: 'sync:sync_1:7', actionSource: 'OFFLINE', sync: { id: 'sync_1', rowKey: '7' } };

describe('parseMapping', () => {
  it('names every unknown target, bad source and a missing event', () => {
    const errors: string[] = [];
    parseMapping({ emial: 'x', value: 3, 'properties.store': 'store_id' }, errors);
    expect(errors).toEqual([
      'mapping.emial: unknown target (known: event, timestamp, user_id, email, phone, first_name, last_name, city, state, zip, country, click_id, ip, user_agent, page_url, value, currency, order_id, properties.<name>)',
      'mapping.value: a column name, or { "value": a string, number or boolean }',
      'mapping.event: required (a column, or { "value": "Order Completed" })',
    ]);
  });
});

describe('parseMapping of properties', () => {
  it.each([
    ['properties.value', 'mapping.properties.value: map it as "value", which checks it'],
    ['properties.currency', 'mapping.properties.currency: map it as "currency", which checks it'],
    ['properties.order_id', 'mapping.properties.order_id: map it as "order_id", which checks it'],
    ['properties.__proto__', 'mapping.properties.__proto__: not a property name a mapping may write'],
  ])('refuses %s, which would overwrite or vanish', (target, error) => {
    const errors: string[] = [];
    parseMapping({ event: { value: 'Order Completed' }, [target]: 'amount' }, errors);
    expect(errors).toEqual([error]);
  });
});

describe('rowMessage', () => {
  const mapping = parseMapping(
    {
      event: { value: 'Order Completed' },
      timestamp: 'sold_at',
      user_id: 'customer_id',
      email: 'email',
      phone: 'phone',
      first_name: 'first',
      zip: 'zip',
      click_id: 'sccid',
      ip: 'ip',
      user_agent: 'ua',
      page_url: 'url',
      value: 'amount',
      currency: 'currency',
      order_id: 'sale_id',
      'properties.store': 'store',
      'properties.items': 'items',
    },
    [],
  );
  const row = {
    sale_id: 7,
    sold_at: new Date('2025-06-02T10:15:30.000Z'),
    customer_id: 42,
    email: ' Ann@Example.com ',
    phone: '+33 6 12 34 56 78',
    first: 'Ann',
    zip: '75001',
    sccid: 'abc',
    ip: '203.0.113.7',
    ua: 'Mozilla/5.0',
    url: 'https://shop.example.com/store',
    amount: '42.50',
    currency: 'EUR',
    store: 'Paris',
    items: 3,
  };

  it('puts each target in its message field', () => {
    expect(rowMessage(row, mapping, options)).toEqual({
      ok: true,
      message: {
        type: 'track',
        messageId: 'sync:sync_1:7',
        event: 'Order Completed',
        timestamp: '2025-06-02T10:15:30.000Z',
        userId: '42',
        properties: { value: 42.5, currency: 'EUR', order_id: '7', store: 'Paris', items: 3 },
        context: {
          actionSource: 'OFFLINE',
          sync: { id: 'sync_1', row_key: '7' },
          traits: { email: 'Ann@Example.com', phone: '+33 6 12 34 56 78', firstName: 'Ann', zip: '75001' },
          snapchat: { clickId: 'abc' },
          ip: '203.0.113.7',
          userAgent: 'Mozilla/5.0',
          page: { url: 'https://shop.example.com/store' },
        },
      },
    });
  });

  it.each([
    ['epoch seconds', 1748859330, '2025-06-02T10:15:30.000Z'],
    ['epoch milliseconds', 1748859330123, '2025-06-02T10:15:30.123Z'],
    ['a time without a zone, as UTC', '2025-06-02 10:15:30', '2025-06-02T10:15:30.000Z'],
    ['an ISO time with a zone', '2025-06-02T12:15:30+02:00', '2025-06-02T10:15:30.000Z'],
  ])('reads a timestamp given as %s', (_name, soldAt, expected) => {
    const result = rowMessage({ ...row, sold_at: soldAt }, mapping, options);
    expect(result.ok && result.message.timestamp).toBe(expected);
  });

  it.each([
    ['a bad timestamp', { sold_at: 'yesterday' }, 'timestamp: not a date or time: "yesterday"'],
    ['a bad value', { amount: '12,50' }, 'value: not a number: "12,50"'],
  ])('refuses a row with %s, naming it', (_name, change, error) => {
    expect(rowMessage({ ...row, ...change }, mapping, options)).toEqual({ ok: false, error });
  });

  it('leaves empty cells out', () => {
    const sparse = parseMapping({ event: 'name', email: 'email', value: 'amount' }, []);
    expect(rowMessage({ name: 'Lead', email: '', amount: null }, sparse, options)).toEqual({
      ok: true,
      message: {
        type: 'track',
        messageId: 'sync:sync_1:7',
        event: 'Lead',
        context: { actionSource: 'OFFLINE', sync: { id: 'sync_1', row_key: '7' } },
      },
    });
    expect(rowMessage({ name: ' ' }, sparse, options)).toEqual({ ok: false, error: 'event: the mapped column is empty' });
  });
});

describe('missingColumns', () => {
  it('names the primary key and each mapped column the query lacks', () => {
    const mapping = parseMapping({ event: { value: 'Lead' }, email: 'customer_mail' }, []);
    expect(missingColumns(mapping, 'id', ['sale_id', 'customer_email'])).toEqual([
      'primary_key: the query has no column "id"',
      'mapping.email: the query has no column "customer_mail"',
      "the query's columns are: sale_id, customer_email",
    ]);
  });
});

describe('syncMessageId', () => {
  it('is the sync and key in insert mode, plus the hash in upsert mode, and digests long keys', () => {
    expect(syncMessageId('sync_1', '7', '0123456789abcdef0123', 'insert')).toBe('sync:sync_1:7');
    expect(syncMessageId('sync_1', '7', '0123456789abcdef0123', 'upsert')).toBe('sync:sync_1:7:0123456789abcdef');
    expect(syncMessageId('s', 'k'.repeat(200), 'h', 'insert')).toBe(
      'sync:s:sha256-6de3c288691037361962041f2273f381658187e426187979e0273d026ea1b946',
    );
  });
});
