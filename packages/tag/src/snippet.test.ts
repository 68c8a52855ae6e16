import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatafirstStub } from '../types/df.js';

interface FakeScript {
  src?: string;
  dataset: Record<string, string>;
}

let win: { _df?: DatafirstStub };
let appended: FakeScript[];

/** Runs the snippet's source on a fake page, as pasting it into a page would. */
const paste = async () => {
  vi.resetModules();
  await import('./snippet.js');
};

beforeEach(() => {
  win = {};
  appended = [];
  vi.stubGlobal('window', win);
  vi.stubGlobal('location', { href: 'https://shop.example/?ScCid=cid-1' });
  vi.stubGlobal('document', {
    createElement: (tag: string): FakeScript => {
      expect(tag).toBe('script');
      return { dataset: {} };
    },
    head: { append: (script: FakeScript) => appended.push(script) },
  });
  vi.useFakeTimers({ now: new Date('2025-06-02T10:00:00.000Z') });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('the snippet', () => {
  it('loads _df.js with the write key and records a page view', async () => {
    await paste();
    expect(appended).toEqual([{ src: '__DF_SRC__', dataset: { writeKey: '__DF_WRITE_KEY__' } }]);
    expect([...win._df!]).toEqual([['page', [], Date.parse('2025-06-02T10:00:00.000Z'), 'https://shop.example/?ScCid=cid-1']]);
  });

  it('records each call in call order with its arguments, time and URL', async () => {
    await paste();
    const df = win._df!;
    vi.setSystemTime(new Date('2025-06-02T10:00:01.000Z'));
    vi.stubGlobal('location', { href: 'https://shop.example/product' });
    df.identify('user1234', { email: 'a@example.com' });
    vi.setSystemTime(new Date('2025-06-02T10:00:02.000Z'));
    df.track('Product Added', { product_id: 'SKU-1' });
    df.consent({ advertising: false });
    df.reset();
    expect([...df].slice(1)).toEqual([
      [
        'identify',
        ['user1234', { email: 'a@example.com' }],
        Date.parse('2025-06-02T10:00:01.000Z'),
        'https://shop.example/product',
      ],
      [
        'track',
        ['Product Added', { product_id: 'SKU-1' }],
        Date.parse('2025-06-02T10:00:02.000Z'),
        'https://shop.example/product',
      ],
      ['consent', [{ advertising: false }], Date.parse('2025-06-02T10:00:02.000Z'), 'https://shop.example/product'],
      ['reset', [], Date.parse('2025-06-02T10:00:02.000Z'), 'https://shop.example/product'],
    ]);
  });

  it('does nothing when pasted twice', async () => {
    await paste();
    const df = win._df;
    await paste();
    expect(win._df).toBe(df);
    expect(appended).toHaveLength(1);
    expect(df).toHaveLength(1);
  });
});
