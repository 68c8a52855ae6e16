import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideRow, rowHash, rowHasher } from './change-detection.js';
import { parseMapping } from './mapping.js';

const mapping = parseMapping({ event: { value: 'Order Completed' }, email: 'customer_email', value: 'amount' }, []);

describe('rowHash', () => {
  it('hashes the mapped columns only, as text', () => {
    const hash = rowHash({ sale_id: 1, customer_email: 'a@example.com', amount: 12.5, other: 'x' }, mapping);
    expect(hash).toMatch(/^[0-9a-f]{32}$/);
    expect(rowHash({ sale_id: 2, customer_email: 'a@example.com', amount: '12.5', other: 'y' }, mapping)).toBe(hash);
    expect(rowHash({ customer_email: 'a@example.com', amount: 13 }, mapping)).not.toBe(hash);
  });
});

describe('decideRow', () => {
  it.each([
    ['a row never seen', undefined, 'insert', { change: 'added', send: true }],
    ['a row that failed, unchanged', { hash: 'h', status: 'failed' }, 'insert', { change: 'added', send: true }],
    ['a row sent, unchanged', { hash: 'h', status: 'sent' }, 'upsert', { change: 'unchanged', send: false }],
    ['a row skipped, unchanged', { hash: 'h', status: 'skipped' }, 'insert', { change: 'unchanged', send: false }],
    ['a changed row, insert mode', { hash: 'old', status: 'sent' }, 'insert', { change: 'changed', send: false }],
    ['a changed row, upsert mode', { hash: 'old', status: 'sent' }, 'upsert', { change: 'changed', send: true }],
  ] as const)('%s', (_name, previous, mode, expected) => {
    expect(decideRow('h', previous, mode)).toEqual(expected);
  });
});

describe('rowHasher', () => {
  it('gives the hashes earlier versions stored: SHA-256 of the JSON of [target, cell] pairs, its first 128 bits', () => {
    const mixed = parseMapping(
      { event: { value: 'Order Completed' }, email: 'e', value: 'amount', 'properties.vip': { value: true }, order_id: 'id' },
      [],
    );
    // Each row with the cell texts it is hashed by: trimmed, and null when empty.
    const rows: [Record<string, unknown>, (string | null)[]][] = [
      [{ e: ' Jane@Example.com ', amount: 12.5, id: 7 }, ['Jane@Example.com', '12.5', '7']],
      [{ e: 'quote " and \\ and \u2028 and é', amount: null, id: '' }, ['quote " and \\ and \u2028 and é', null, null]],
      [{ amount: 0, id: 10n }, [null, '0', '10']],
    ];
    for (const [row, [email, value, orderId]] of rows) {
      const text = JSON.stringify([
        ['event', 'Order Completed'],
        ['email', email],
        ['value', value],
        ['properties.vip', true],
        ['order_id', orderId],
      ]);
      expect(rowHasher(mixed)(row)).toBe(createHash('sha256').update(text).digest('hex').slice(0, 32));
    }
  });
});
