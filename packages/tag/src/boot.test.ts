import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Datafirst, DatafirstStubCall } from '../types/df.js';
import type { TagMessage } from './api.js';
import { boot } from './boot.js';
import { page, resetPage } from './testing/fake-browser.js';

vi.mock('./browser.js', () => import('./testing/fake-browser.js'));

const at = (time: string) => Date.parse(time);

/** Every message posted so far, in order. */
const posted = (): TagMessage[] => page.posts.flatMap((request) => (JSON.parse(request.body) as { batch: TagMessage[] }).batch);

beforeEach(() => {
  resetPage();
  page.script.dataset = { writeKey: 'wk_1' };
  page.url = 'https://shop.example/thanks';
  vi.useFakeTimers({ now: new Date('2025-06-02T10:00:10.000Z') });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('boot', () => {
  it('replays the calls the snippet recorded, in call order, each with its own time and URL', async () => {
    page.df = [
      ['page', [], at('2025-06-02T10:00:01.000Z'), 'https://shop.example/?ScCid=cid-1'],
      ['identify', ['user1234', { email: 'a@example.com' }], at('2025-06-02T10:00:02.000Z'), 'https://shop.example/'],
      ['track', ['Order Completed', { order_id: 'ORD-1' }], at('2025-06-02T10:00:03.000Z'), 'https://shop.example/thanks'],
    ] satisfies DatafirstStubCall[];
    boot();
    await vi.advanceTimersByTimeAsync(50);
    expect(posted().map((m) => [m.type, m.userId, m.timestamp, m.context?.page?.url, m.context?.snapchat?.clickId])).toEqual([
      ['page', undefined, '2025-06-02T10:00:01.000Z', 'https://shop.example/?ScCid=cid-1', 'cid-1'],
      ['identify', 'user1234', '2025-06-02T10:00:02.000Z', 'https://shop.example/', 'cid-1'],
      ['track', 'user1234', '2025-06-02T10:00:03.000Z', 'https://shop.example/thanks', 'cid-1'],
    ]);
  });

  it('replaces the stub with the API, which sends at the time of the call', async () => {
    page.df = [];
    boot();
    const api = page.df as Datafirst;
    expect(Array.isArray(api)).toBe(false);
    api.track('Product Added', { product_id: 'SKU-1' });
    await vi.advanceTimersByTimeAsync(50);
    expect(posted()).toMatchObject([{ type: 'track', event: 'Product Added', timestamp: '2025-06-02T10:00:10.000Z' }]);
    expect(page.posts[0]!.url).toBe('https://shop.example/v1/batch');
  });

  it('does nothing when _df.js runs a second time', () => {
    page.df = [];
    boot();
    const api = page.df;
    boot();
    expect(page.df).toBe(api);
    expect(page.leave).toHaveLength(1);
  });

  it('does nothing without a write key', async () => {
    page.script.dataset = {};
    page.df = [['page', [], at('2025-06-02T10:00:01.000Z'), 'https://shop.example/']];
    boot();
    await vi.advanceTimersByTimeAsync(1000);
    expect(Array.isArray(page.df)).toBe(true);
    expect(page.posts).toEqual([]);
  });

  it('sends to data-api when the collector is elsewhere', async () => {
    page.script.dataset = { writeKey: 'wk_1', api: 'https://collect.shop.example/df/' };
    page.df = [['page', [], at('2025-06-02T10:00:01.000Z'), 'https://shop.example/']];
    boot();
    await vi.advanceTimersByTimeAsync(50);
    expect(page.posts.map((request) => request.url)).toEqual(['https://collect.shop.example/df/v1/batch']);
  });

  it('records a page view on each history navigation to a new URL with data-spa="true"', async () => {
    page.script.dataset = { writeKey: 'wk_1', spa: 'true' };
    page.df = [];
    boot();
    const navigate = (url: string) => {
      page.url = url;
      for (const listener of page.navigate) listener();
    };
    navigate('https://shop.example/thanks#top');
    navigate('https://shop.example/shoes');
    navigate('https://shop.example/shoes');
    navigate('https://shop.example/shoes?page=2');
    navigate('https://shop.example/thanks');
    await vi.advanceTimersByTimeAsync(50);
    expect(posted().map((m) => [m.type, m.context?.page?.url])).toEqual([
      ['page', 'https://shop.example/shoes'],
      ['page', 'https://shop.example/shoes?page=2'],
      ['page', 'https://shop.example/thanks'],
    ]);
  });

  it('leaves history alone without data-spa', () => {
    page.df = [];
    boot();
    expect(page.navigate).toEqual([]);
  });

  it('throws nothing at the host page when something is off', () => {
    page.script = undefined as unknown as typeof page.script;
    expect(() => boot()).not.toThrow();
  });
});
