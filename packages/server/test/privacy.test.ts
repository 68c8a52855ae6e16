import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setServerSide } from './admin-helpers.js';
import { startTestCollector, WRITE_KEY, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector(['--no-worker']);
  // A backend's source: its identify calls build the user's profile, which erasure must delete too.
  await setServerSide(collector, true);
});
afterAll(() => collector.stopAndClean());

/** The stored messages, newest first, as the admin API shows them. */
async function storedMessages(): Promise<Record<string, unknown>[]> {
  const res = await collector.admin('/v1/admin/events?limit=500');
  return ((await res.json()) as { events: { message: Record<string, unknown> }[] }).events.map((event) => event.message);
}

/** The bytes of the database file and its WAL, as anyone who can read them sees them. */
function databaseBytes(): string {
  return [collector.dbPath, `${collector.dbPath}-wal`]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('');
}

const erase = (body: unknown) => collector.admin('/v1/admin/users/erase', { method: 'POST', body: JSON.stringify(body) });

describe('POST /v1/admin/users/erase', () => {
  it("deletes a person's events and profiles, leaves no byte of their email in the files, and with suppress drops their later events", async () => {
    const email = 'erase.me.please@example.com';
    const batch = [
      { type: 'identify', messageId: 'er-identify', anonymousId: 'anon-erase', userId: 'user-erase', traits: { email } },
      { type: 'track', event: 'Product Viewed', messageId: 'er-track', anonymousId: 'anon-erase' },
      { type: 'track', event: 'Product Viewed', messageId: 'er-other', anonymousId: 'anon-stays' },
    ];
    expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch })).status).toBe(200);
    expect(databaseBytes()).toContain(email);

    const res = await erase({ email: ' Erase.Me.Please@example.com', suppress: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: { events: 2, profiles: 2, clicks: 0 } });
    expect(databaseBytes()).not.toContain(email);
    expect(databaseBytes()).not.toContain('anon-erase');

    const later = [
      {
        type: 'track',
        event: 'Order Completed',
        messageId: 'er-later-email',
        anonymousId: 'new-device',
        context: { traits: { email } },
      },
      { type: 'track', event: 'Order Completed', messageId: 'er-later-user', userId: 'user-erase' },
      { type: 'track', event: 'Product Viewed', messageId: 'er-later-other', anonymousId: 'anon-stays' },
    ];
    expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: later })).status).toBe(200);
    // A request holding only their events is answered as any valid one, and stores nothing.
    const alone = await collector.post('/v1/track', { writeKey: WRITE_KEY, ...later[1], messageId: 'er-later-alone' });
    expect(alone.status).toBe(200);
    expect(await alone.json()).toEqual({ success: true });
    const ids = (await storedMessages()).map((message) => message.messageId);
    expect(ids).toContain('er-other');
    expect(ids).toContain('er-later-other');
    for (const gone of ['er-identify', 'er-track', 'er-later-email', 'er-later-user', 'er-later-alone'])
      expect(ids).not.toContain(gone);
  });

  it('erases an email-only order and, with suppress, drops the spellings Snapchat would hash to the same person', async () => {
    const order = (messageId: string, traits: Record<string, unknown>, properties: Record<string, unknown> = {}) => ({
      type: 'track',
      event: 'Order Completed',
      messageId,
      anonymousId: `device-${messageId}`,
      context: { traits },
      properties: { order_id: messageId, revenue: 5, currency: 'USD', ...properties },
    });
    const first = [order('sp-order', { email: 'spell.me@example.com', phone: '+44 7700 900888' })];
    expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: first })).status).toBe(200);
    // Typed as the README's example is: a blank and capitals, which do not matter.
    const res = await erase({ email: 'Spell.Me @Example.com', phone: '+447700900888', suppress: true });
    expect(await res.json()).toMatchObject({ erased: { events: 1 } });

    const later = [
      order('sp-properties', {}, { email: 'spell.me@example.com' }),
      order('sp-blank', { email: 'spell.me @Example.com' }),
      order('sp-national', { phone: '07700 900888' }),
      order('sp-trunk', { phone: '+44 (0)7700 900888' }),
      order('sp-someone-else', { email: 'someone.else@example.com', phone: '+44 7700 900889' }),
    ];
    expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch: later })).status).toBe(200);
    const ids = (await storedMessages()).map((message) => message.messageId);
    expect(ids).toContain('sp-someone-else');
    for (const gone of ['sp-order', 'sp-properties', 'sp-blank', 'sp-national', 'sp-trunk']) expect(ids).not.toContain(gone);
  });

  it('refuses an email that is no address, as the event search does, rather than answer it erased nothing', async () => {
    const res = await erase({ email: 'x' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: string[] }).errors).toEqual(['email: an email address such as jane@example.com']);
  });

  it('refuses a request that names nobody, or with identifiers that are no text', async () => {
    const res = await erase({ suppress: 'yes', email: 42 });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: string[] }).errors).toEqual([
      'email: a non-empty text of at most 255 characters',
      'suppress: true or false',
    ]);
    expect(((await (await erase({})).json()) as { errors: string[] }).errors).toEqual([
      'body: give at least one of user_id, anonymous_id, email, phone',
    ]);
  });
});

describe('write keys in messages', () => {
  it('never stores or shows a write key a sender put inside a message', async () => {
    const batch = [
      { type: 'track', event: 'Product Viewed', messageId: 'wk-inside', anonymousId: 'a-wk', writeKey: WRITE_KEY },
      { type: 'track', event: 'Product Viewed', messageId: 'wk-context', anonymousId: 'a-wk', context: { writeKey: WRITE_KEY } },
      {
        type: 'track',
        event: 'Product Viewed',
        messageId: 'wk-spelt',
        anonymousId: 'a-wk',
        write_key: WRITE_KEY,
        context: { WriteKey: WRITE_KEY },
      },
    ];
    expect((await collector.post('/v1/batch', { writeKey: WRITE_KEY, batch })).status).toBe(200);
    const stored = (await storedMessages()).find((message) => message.messageId === 'wk-inside');
    expect(stored).toBeDefined();
    expect(stored).not.toHaveProperty('writeKey');
    const inContext = (await storedMessages()).find((message) => message.messageId === 'wk-context');
    expect(inContext?.context).toBeDefined();
    expect(inContext?.context).not.toHaveProperty('writeKey');
    expect(JSON.stringify(await storedMessages())).not.toContain(WRITE_KEY);
  });
});
