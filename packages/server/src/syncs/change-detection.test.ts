import { describe, expect, it } from 'vitest';
import { decideRow, rowHash } from './change-detection.js';
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
