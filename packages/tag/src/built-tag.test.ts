// Runs the built snippet and _df.js, as the browser would, against a fake page: this catches what
// only the minified build could break (a mangled wire name, a dropped statement).
import { createContext, runInContext } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';
import { distFile } from './testing/dist-files.js';

interface FakeScript {
  src: string;
  dataset: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let page: ReturnType<typeof fakePage>;

/** A page on https://shop.example with just enough of the DOM for the tag. */
function fakePage(url: string) {
  const cookies: Record<string, string> = {};
  const cookieWrites: string[] = [];
  const posts: { url: string; init: RequestInit }[] = [];
  const beacons: { url: string; body: string }[] = [];
  const listeners: Record<string, (() => void)[]> = {};
  const appended: FakeScript[] = [];
  const document = {
    title: 'Shoes',
    referrer: '',
    hidden: false,
    currentScript: null as FakeScript | null,
    head: { append: (script: FakeScript) => appended.push(script) },
    createElement: (): FakeScript => ({ src: '', dataset: {} }),
    get cookie() {
      return Object.entries(cookies)
        .map(([name, value]) => `${name}=${value}`)
        .join('; ');
    },
    set cookie(assignment: string) {
      cookieWrites.push(assignment);
      const [pair, ...attributes] = assignment.split('; ');
      const [name = '', value = ''] = pair!.split('='); // split always gives a first part
      if (attributes.includes('max-age=0')) delete cookies[name];
      else cookies[name] = value;
    },
  };
  const context = createContext({
    document,
    location: { href: url, protocol: 'https:' },
    navigator: {
      language: 'en-GB',
      sendBeacon: (beaconUrl: string, body: string) => beacons.push({ url: beaconUrl, body }) > 0,
    },
    localStorage: {} as Record<string, string>,
    history: { pushState() {}, replaceState() {} },
    fetch: (fetchUrl: string, init: RequestInit) => {
      posts.push({ url: fetchUrl, init });
      return Promise.resolve({ status: 200 });
    },
    addEventListener: (type: string, listener: () => void) => (listeners[type] ??= []).push(listener),
    setTimeout,
    crypto,
    URL,
    Blob,
  });
  context.window = context;
  return {
    context,
    document,
    cookies,
    cookieWrites,
    posts,
    beacons,
    listeners,
    appended,
    run: (code: string) => runInContext(code, context) as unknown,
    /** The messages of every batch posted so far. */
    batches: () => posts.map((post) => JSON.parse(post.init.body as string) as Record<string, unknown>),
  };
}

/** Pastes the snippet, then loads the _df.js it asked for. */
function pasteAndLoad() {
  const snippet = distFile('snippet.html')
    .replace(/^<script>|<\/script>$/g, '')
    .replace('__DF_SRC__', '/_df.js')
    .replace('__DF_WRITE_KEY__', 'wk_test');
  page.run(snippet);
  page.run(`_df.track('Product Added', { product_id: 'SKU-1', price: 19.99 })`);
  const [script] = page.appended;
  page.document.currentScript = { ...script!, src: new URL(script!.src, 'https://shop.example/').href };
  page.run(distFile('_df.js'));
  page.document.currentScript = null;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 80));

beforeEach(() => {
  page = fakePage('https://shop.example/shoes?ScCid=cid-9d2b1c64#top');
});

describe('the built tag', () => {
  it('loads from the snippet and sends the calls made before it loaded, in order', async () => {
    pasteAndLoad();
    await settle();
    expect(page.posts).toHaveLength(1);
    expect(page.posts[0]!.url).toBe('https://shop.example/v1/batch');
    expect(page.posts[0]!.init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'include' });
    const body = page.batches()[0]!; // the one post above
    expect(body.writeKey).toBe('wk_test');
    expect(body.sentAt).toEqual(expect.any(String));
    const anonymousId = page.cookies._dfid;
    const cookie1 = page.cookies._scid;
    expect(anonymousId).toMatch(UUID);
    expect(cookie1).toMatch(UUID);
    const context = {
      page: {
        url: 'https://shop.example/shoes?ScCid=cid-9d2b1c64',
        path: '/shoes',
        referrer: '',
        title: 'Shoes',
        search: '?ScCid=cid-9d2b1c64',
      },
      locale: 'en-GB',
      library: { name: 'datafirst.js', version: '0.1.0' },
      snapchat: { clickId: 'cid-9d2b1c64', cookie1 },
      consent: { categoryPreferences: { advertising: true } },
    };
    expect(body.batch).toEqual([
      { type: 'page', anonymousId, messageId: expect.stringMatching(UUID), timestamp: expect.any(String), context },
      {
        type: 'track',
        event: 'Product Added',
        properties: { product_id: 'SKU-1', price: 19.99 },
        anonymousId,
        messageId: expect.stringMatching(UUID),
        timestamp: expect.any(String),
        context,
      },
    ]);
    expect(page.cookieWrites).toEqual([
      `_dfid=${anonymousId}; path=/; max-age=34128000; sameSite=Lax; secure`,
      `_scclid=cid-9d2b1c64; path=/; max-age=2419200; sameSite=Lax; secure`,
      `_scid=${cookie1}; path=/; max-age=34128000; sameSite=Lax; secure`,
    ]);
    expect(page.context.localStorage['_df_q:wk_test']).toBe('[]');
  });

  it('does nothing when _df.js loads a second time', async () => {
    pasteAndLoad();
    const api = page.run('_df');
    page.document.currentScript = { src: 'https://shop.example/_df.js', dataset: { writeKey: 'wk_test' } };
    page.run(distFile('_df.js'));
    await settle();
    expect(page.run('_df')).toBe(api);
    expect(page.posts).toHaveLength(1);
  });

  it('beacons what is still queued when the page is hidden', async () => {
    pasteAndLoad();
    page.run(`_df.track('Checkout Started')`);
    page.document.hidden = true;
    for (const listener of page.listeners.visibilitychange!) listener();
    expect(page.beacons).toHaveLength(1);
    expect(page.beacons[0]!.url).toBe('https://shop.example/v1/batch?writeKey=wk_test');
    const beaconed = JSON.parse(page.beacons[0]!.body) as { batch: { type: string; event?: string }[] };
    expect(beaconed.batch.map((m) => m.event ?? m.type)).toEqual(['page', 'Product Added', 'Checkout Started']);
    await settle();
  });
});
