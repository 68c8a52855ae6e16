import { LIMITS } from '@datafirst/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApi, createPerform, type TagMessage } from './api.js';
import type { TagData } from './config.js';
import { page, resetPage } from './testing/fake-browser.js';
import { createIdentity } from './identity.js';

vi.mock('./browser.js', () => import('./testing/fake-browser.js'));

let ids = 0;
vi.mock('./uuid.js', () => ({ uuid: () => `uuid-${++ids}` }));

let sent: TagMessage[] = [];

/** The API of a page with these data- attributes; what it sends lands in `sent`, as JSON would carry it. */
const start = (data: TagData = { writeKey: 'wk_1' }) => {
  const perform = createPerform(data, createIdentity(data), (message) => {
    sent.push(JSON.parse(JSON.stringify(message)) as TagMessage);
  });
  return { perform, api: createApi(perform) };
};

const context = (overrides: Record<string, unknown> = {}) => ({
  page: {
    url: 'https://shop.example/shoes?size=9',
    path: '/shoes',
    referrer: 'https://search.example/',
    title: 'Shoes',
    search: '?size=9',
  },
  locale: 'en-GB',
  library: { name: 'datafirst.js', version: '0.1.0' },
  snapchat: { cookie1: 'uuid-2' },
  consent: { categoryPreferences: { advertising: true } },
  ...overrides,
});

beforeEach(() => {
  resetPage();
  ids = 0;
  sent = [];
  Object.assign(page, {
    url: 'https://shop.example/shoes?size=9#reviews',
    title: 'Shoes',
    referrer: 'https://search.example/',
  });
  vi.useFakeTimers({ now: new Date('2025-06-02T10:15:30.123Z') });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the API', () => {
  it('turns page() into a page message with the context of the moment', () => {
    start().api.page('Shoes', { category: 'footwear' });
    expect(sent).toStrictEqual([
      {
        type: 'page',
        name: 'Shoes',
        properties: { category: 'footwear' },
        anonymousId: 'uuid-1',
        messageId: 'uuid-3',
        timestamp: '2025-06-02T10:15:30.123Z',
        context: context(),
      },
    ]);
  });

  it('puts the Segment fields first on the wire', () => {
    start().api.track('Product Added', { product_id: 'SKU-1' });
    expect(JSON.stringify(sent[0])).toMatch(
      /^\{"type":"track","event":"Product Added","properties":\{"product_id":"SKU-1"\},"anonymousId":"uuid-1","messageId":"uuid-3","timestamp":"2025-06-02T10:15:30.123Z","context":\{"page":/,
    );
  });

  it('turns track() into a track message', () => {
    start().api.track('Order Completed', { order_id: 'ORD-1', revenue: 59.97, currency: 'GBP' });
    expect(sent).toStrictEqual([
      {
        type: 'track',
        event: 'Order Completed',
        properties: { order_id: 'ORD-1', revenue: 59.97, currency: 'GBP' },
        anonymousId: 'uuid-1',
        messageId: 'uuid-3',
        timestamp: '2025-06-02T10:15:30.123Z',
        context: context(),
      },
    ]);
  });

  it('sends traits with identify() only, and the user id with every later call', () => {
    const { api } = start();
    api.identify('user1234', { email: 'test@example.com', firstName: 'Tester' });
    api.track('Signed In');
    expect(sent).toStrictEqual([
      {
        type: 'identify',
        traits: { email: 'test@example.com', firstName: 'Tester' },
        userId: 'user1234',
        anonymousId: 'uuid-1',
        messageId: 'uuid-3',
        timestamp: '2025-06-02T10:15:30.123Z',
        context: context(),
      },
      {
        type: 'track',
        event: 'Signed In',
        userId: 'user1234',
        anonymousId: 'uuid-1',
        messageId: 'uuid-4',
        timestamp: '2025-06-02T10:15:30.123Z',
        context: context(),
      },
    ]);
    expect(page.storage._df_uid).toBe('user1234');
  });

  it('keeps no user id the collector would refuse, so that later calls still go; the call itself still goes', () => {
    const { api } = start();
    for (const refused of ['', '   ', 'u'.repeat(256)]) api.identify(refused, { email: 'guest@example.com' });
    api.track('Order Completed');
    expect(page.storage._df_uid).toBeUndefined();
    expect(sent.map((m) => [m.type, m.userId])).toEqual([
      ['identify', undefined],
      ['identify', undefined],
      ['identify', undefined],
      ['track', undefined],
    ]);
    api.identify('  user-7  ');
    expect(page.storage._df_uid).toBe('user-7');
    // The longest the collector takes (LIMITS.maxIdLength) is kept.
    api.identify('u'.repeat(LIMITS.maxIdLength));
    expect(page.storage._df_uid).toHaveLength(LIMITS.maxIdLength);
  });

  it('keeps the user id of an earlier page', () => {
    page.storage._df_uid = 'user1234';
    start().api.page();
    expect(sent[0]!.userId).toBe('user1234');
  });

  it('sends traits without changing the user id when identify() gets only traits', () => {
    page.storage._df_uid = 'user1234';
    const { api } = start();
    api.identify({ email: 'new@example.com' });
    api.identify(null, { phone: '+44 844 412 4653' });
    expect(sent.map((m) => [m.userId, m.traits])).toEqual([
      ['user1234', { email: 'new@example.com' }],
      ['user1234', { phone: '+44 844 412 4653' }],
    ]);
  });

  it('takes page(properties) as a page without a name', () => {
    start().api.page({ section: 'sale' });
    expect(sent[0]).toMatchObject({ type: 'page', properties: { section: 'sale' } });
    expect(sent[0]).not.toHaveProperty('name');
  });

  it('forgets the user id and the cookies on reset()', () => {
    page.storage._df_uid = 'user1234';
    page.cookies = { _dfid: 'df-1', _scid: 'sc-1', _scclid: 'cid-1' };
    const { api } = start();
    api.reset();
    api.page();
    expect(page.storage._df_uid).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.userId).toBeUndefined();
    expect(sent[0]!.anonymousId).toBe('uuid-1');
    expect(sent[0]!.context?.snapchat).toEqual({ cookie1: 'uuid-2' });
  });

  it('stores a consent choice and sends it with later calls', () => {
    const { api } = start();
    api.consent({ advertising: false });
    api.track('Product Viewed');
    expect(page.storage._df_consent).toBe('denied');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.context?.consent).toEqual({ categoryPreferences: { advertising: false } });
    api.consent({ advertising: true });
    api.track('Product Viewed');
    expect(page.storage._df_consent).toBe('granted');
    expect(sent[1]!.context?.consent).toEqual({ categoryPreferences: { advertising: true } });
  });

  it('creates no Snapchat cookie while advertising is denied', () => {
    page.url = 'https://shop.example/?ScCid=cid-1';
    start({ writeKey: 'wk_1', consent: 'denied' }).api.page();
    expect(sent[0]!.context?.snapchat).toEqual({ clickId: 'cid-1' });
    expect(sent[0]!.context?.consent).toEqual({ categoryPreferences: { advertising: false } });
    expect(Object.keys(page.cookies)).toEqual(['_dfid']);
  });

  it('denies advertising by default with data-consent="denied" until the visitor grants it', () => {
    const { api } = start({ writeKey: 'wk_1', consent: 'denied' });
    api.page();
    api.consent({ advertising: true });
    api.page();
    expect(sent.map((m) => m.context?.consent)).toEqual([
      { categoryPreferences: { advertising: false } },
      { categoryPreferences: { advertising: true } },
    ]);
  });

  it('lets Global Privacy Control deny advertising, even after consent, unless data-gpc="ignore"', () => {
    page.gpc = true;
    page.storage._df_consent = 'granted';
    start().api.page();
    start({ writeKey: 'wk_1', gpc: 'ignore' }).api.page();
    expect(sent.map((m) => m.context?.consent)).toEqual([
      { categoryPreferences: { advertising: false } },
      { categoryPreferences: { advertising: true } },
    ]);
  });

  it('gives a call made earlier the time and URL of that moment', () => {
    start().perform('page', ['Landing'], Date.parse('2025-06-02T10:15:00.000Z'), 'https://shop.example/?ScCid=cid-9');
    expect(sent[0]).toMatchObject({
      name: 'Landing',
      timestamp: '2025-06-02T10:15:00.000Z',
      context: {
        page: { url: 'https://shop.example/?ScCid=cid-9', path: '/', search: '?ScCid=cid-9' },
        snapchat: { clickId: 'cid-9', cookie1: 'uuid-2' },
      },
    });
  });

  it('swallows a bad call without sending anything', () => {
    const { api } = start();
    expect(() => (api.consent as (...args: unknown[]) => void)()).not.toThrow();
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const failing = createPerform({}, createIdentity({}), (message) => JSON.stringify(message));
    expect(() => createApi(failing).track('Loop', circular)).not.toThrow();
    expect(sent).toEqual([]);
  });
});
