import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TagMessage } from './api.js';
import { page, resetPage, storedQueue, type Sent } from './testing/fake-browser.js';
import { createQueue, queueKey } from './queue.js';

vi.mock('./browser.js', () => import('./testing/fake-browser.js'));

const API = 'https://shop.example';
const KEY = 'wk_1';

const message = (messageId: string, padding?: string): TagMessage => ({
  type: 'track',
  event: 'Product Added',
  properties: padding === undefined ? undefined : { padding },
  anonymousId: 'df-1',
  messageId,
  timestamp: '2025-06-02T10:00:00.000Z',
});

/** The messageIds of each batch posted so far. */
const postedIds = (sent: Sent[] = page.posts): string[][] =>
  sent.map((request) => (JSON.parse(request.body) as { batch: TagMessage[] }).batch.map((m) => m.messageId));

const storedIds = (): string[] => (storedQueue(KEY) as TagMessage[]).map((m) => m.messageId);

/** An answer the test gives later. */
const deferred = () => {
  let answer!: (status: number) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<number>((resolve, reject) => {
    answer = resolve;
    fail = reject;
  });
  return { promise, answer, fail };
};

beforeEach(() => {
  resetPage();
  vi.useFakeTimers({ now: new Date('2025-06-02T10:00:05.000Z') });
  vi.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('createQueue', () => {
  it('sends the calls of one moment together, after a 50 ms batching delay', async () => {
    const push = createQueue(API, KEY);
    push(message('m1'));
    push(message('m2'));
    await vi.advanceTimersByTimeAsync(49);
    expect(page.posts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(page.posts).toEqual([
      {
        url: 'https://shop.example/v1/batch',
        body: JSON.stringify({ batch: [message('m1'), message('m2')], sentAt: '2025-06-02T10:00:05.050Z', writeKey: KEY }),
      },
    ]);
  });

  it('keeps messages in localStorage until the collector answers 2xx', async () => {
    const reply = deferred();
    page.answer = () => reply.promise;
    const push = createQueue(API, KEY);
    push(message('m1'));
    expect(page.storage[queueKey(KEY)]).toBe(JSON.stringify([message('m1')]));
    await vi.advanceTimersByTimeAsync(50);
    expect(storedIds()).toEqual(['m1']);
    reply.answer(200);
    await vi.advanceTimersByTimeAsync(0);
    expect(page.storage[queueKey(KEY)]).toBe('[]');
  });

  it('drops a batch the collector refused with 400 rather than resend it forever', async () => {
    page.answer = () => Promise.resolve(400);
    createQueue(API, KEY)(message('bad'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(postedIds()).toEqual([['bad']]);
    expect(storedIds()).toEqual([]);
  });

  it('retries a failed batch with growing, jittered delays and the same messageIds', async () => {
    const answers = [Promise.resolve(503), Promise.reject(new TypeError('Failed to fetch')), Promise.resolve(429)];
    answers[1]!.catch(() => undefined);
    page.answer = () => answers.shift() ?? Promise.resolve(200);
    createQueue(API, KEY)(message('m1'));
    await vi.advanceTimersByTimeAsync(50);
    expect(page.posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(page.posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(page.posts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(page.posts).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2000);
    expect(postedIds()).toEqual([['m1'], ['m1'], ['m1'], ['m1']]);
    expect(storedIds()).toEqual([]);
  });

  it('spreads retries between half and all of the backoff step', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1);
    page.answer = () => Promise.resolve(page.posts.length > 1 ? 200 : 500);
    createQueue(API, KEY)(message('m1'));
    await vi.advanceTimersByTimeAsync(50 + 999);
    expect(page.posts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(page.posts).toHaveLength(2);
  });

  it('has one request in flight at a time, and sends what came meanwhile right after', async () => {
    const reply = deferred();
    page.answer = () => (page.posts.length === 1 ? reply.promise : Promise.resolve(200));
    const push = createQueue(API, KEY);
    push(message('m1'));
    await vi.advanceTimersByTimeAsync(50);
    push(message('m2'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(postedIds()).toEqual([['m1']]);
    reply.answer(200);
    await vi.advanceTimersByTimeAsync(0);
    expect(postedIds()).toEqual([['m1'], ['m2']]);
    expect(storedIds()).toEqual([]);
  });

  it('sends what an earlier page left in storage', async () => {
    page.storage[queueKey(KEY)] = JSON.stringify([message('old-1'), message('old-2')]);
    createQueue(API, KEY);
    await vi.advanceTimersByTimeAsync(50);
    expect(postedIds()).toEqual([['old-1', 'old-2']]);
    expect(storedIds()).toEqual([]);
  });

  it('treats unreadable storage as an empty queue', async () => {
    page.storage[queueKey(KEY)] = '{not json';
    createQueue(API, KEY)(message('m1'));
    expect(storedIds()).toEqual(['m1']);
  });

  it('keeps at most 500 messages, dropping the oldest', () => {
    const push = createQueue(API, KEY);
    for (let i = 0; i < 501; i++) push(message(`m${i}`));
    const ids = storedIds();
    expect(ids).toHaveLength(500);
    expect(ids[0]).toBe('m1');
    expect(ids[499]).toBe('m500');
  });

  it('splits a queue bigger than one keepalive body into several requests', async () => {
    const push = createQueue(API, KEY);
    for (const id of ['a', 'b', 'c']) push(message(id, 'x'.repeat(25_000)));
    await vi.advanceTimersByTimeAsync(50);
    expect(postedIds()).toEqual([['a', 'b'], ['c']]);
    for (const request of page.posts) expect(new Blob([request.body]).size).toBeLessThanOrEqual(65_536);
  });

  it('drops a message too big to ever be sent', async () => {
    createQueue(API, KEY)(message('huge', 'x'.repeat(70_000)));
    await vi.advanceTimersByTimeAsync(50);
    expect(page.posts).toEqual([]);
    expect(page.storage[queueKey(KEY)]).toBeUndefined();
  });

  it('beacons the queue when the page is hidden, with the write key in the query, and takes it out of storage', () => {
    const push = createQueue(API, KEY);
    push(message('m1'));
    push(message('m2'));
    for (const leave of page.leave) leave();
    expect(page.beacons).toEqual([
      {
        url: 'https://shop.example/v1/batch?writeKey=wk_1',
        body: JSON.stringify({ batch: [message('m1'), message('m2')], sentAt: '2025-06-02T10:00:05.000Z', writeKey: KEY }),
      },
    ]);
    // The browser delivers a beacon after the page is gone; kept, the next page would send it again.
    expect(storedIds()).toEqual([]);
  });

  it('does not send again on the next page what it beaconed as the page went', async () => {
    const push = createQueue(API, KEY);
    push(message('m1'));
    push(message('m2'));
    for (const leave of page.leave) leave();
    const beaconed = page.beacons.length;
    createQueue(API, KEY);
    await vi.advanceTimersByTimeAsync(60_000);
    expect([beaconed, postedIds()]).toEqual([1, []]);
  });

  it('beacons a message once, though browsers fire both visibilitychange and pagehide on the way out', () => {
    createQueue(API, KEY)(message('m1'));
    for (const leave of page.leave) leave();
    for (const leave of page.leave) leave();
    expect(page.beacons.map((request) => (JSON.parse(request.body) as { batch: TagMessage[] }).batch.length)).toEqual([1]);
  });

  it('does not fetch what it beaconed when the page lives on after being hidden', async () => {
    createQueue(API, KEY)(message('m1'));
    for (const leave of page.leave) leave();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(page.posts).toEqual([]);
  });

  it('keeps in storage what the browser refused to beacon, for the next page', async () => {
    page.beaconAccepted = false;
    createQueue(API, KEY)(message('m1'));
    for (const leave of page.leave) leave();
    expect(storedIds()).toEqual(['m1']);
    await vi.advanceTimersByTimeAsync(50);
    expect(postedIds()).toEqual([['m1']]);
  });

  it('leaves the batch in flight to the browser when the page goes, and beacons only what came after it', async () => {
    const reply = deferred();
    page.answer = () => reply.promise;
    const push = createQueue(API, KEY);
    push(message('m1'));
    await vi.advanceTimersByTimeAsync(50);
    push(message('m2'));
    for (const leave of page.leave) leave();
    expect(
      page.beacons.map((request) => (JSON.parse(request.body) as { batch: TagMessage[] }).batch.map((m) => m.messageId)),
    ).toEqual([['m2']]);
    // The keepalive request finishes without the page; the next page sends neither message again.
    expect(storedIds()).toEqual([]);
    page.answer = () => Promise.resolve(200);
    createQueue(API, KEY);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(postedIds()).toEqual([['m1']]);
  });

  it('takes no rejection of the request in flight, as the page goes, for a failure to beacon again', async () => {
    // Chromium fires pagehide, then rejects the page's keepalive fetch (the request goes on without
    // the page), then fires visibilitychange.
    const reply = deferred();
    page.answer = () => reply.promise;
    createQueue(API, KEY)(message('m1'));
    await vi.advanceTimersByTimeAsync(50);
    page.leave[0]!();
    reply.fail(new TypeError('Failed to fetch'));
    await vi.advanceTimersByTimeAsync(0);
    page.leave[0]!();
    await vi.advanceTimersByTimeAsync(60_000);
    expect([postedIds(), page.beacons, storedIds()]).toEqual([[['m1']], [], []]);
  });

  it('puts the batch in flight back into storage when the page lives on to see it fail', async () => {
    const reply = deferred();
    page.answer = () => (page.posts.length === 1 ? reply.promise : Promise.resolve(200));
    createQueue(API, KEY)(message('m1'));
    await vi.advanceTimersByTimeAsync(50);
    for (const leave of page.leave) leave();
    expect(storedIds()).toEqual([]);
    reply.answer(503);
    await vi.advanceTimersByTimeAsync(0);
    expect(storedIds()).toEqual(['m1']);
    await vi.advanceTimersByTimeAsync(500);
    expect(postedIds()).toEqual([['m1'], ['m1']]);
    expect(storedIds()).toEqual([]);
  });

  it('beacons nothing when nothing is queued', () => {
    createQueue(API, KEY);
    for (const leave of page.leave) leave();
    expect(page.beacons).toEqual([]);
  });

  it('sends at once when the browser comes back online, without waiting for the backoff', async () => {
    page.answer = () => Promise.reject(new TypeError('Failed to fetch'));
    createQueue(API, KEY)(message('m1'));
    await vi.advanceTimersByTimeAsync(50);
    page.answer = () => Promise.resolve(200);
    for (const online of page.online) online();
    await vi.advanceTimersByTimeAsync(0);
    expect(postedIds()).toEqual([['m1'], ['m1']]);
    expect(storedIds()).toEqual([]);
  });

  it('keeps the messages of two tabs that share the storage', () => {
    const tabA = createQueue(API, KEY);
    const tabB = createQueue(API, KEY);
    tabA(message('a1'));
    tabB(message('b1'));
    tabA(message('a2'));
    expect(storedIds()).toEqual(['b1', 'a1', 'a2']);
  });

  it('restores its own messages when another tab wrote over them', () => {
    const tabA = createQueue(API, KEY);
    tabA(message('a1'));
    // Another tab, working from an older copy of the storage, wrote without a1.
    page.storage[queueKey(KEY)] = JSON.stringify([message('b1')]);
    tabA(message('a2'));
    expect(storedIds()).toEqual(['b1', 'a1', 'a2']);
  });

  it('removes what it delivered from the shared storage and keeps what another tab queued', async () => {
    const reply = deferred();
    page.answer = () => reply.promise;
    const tabA = createQueue(API, KEY);
    const tabB = createQueue(API, KEY);
    tabA(message('a1'));
    await vi.advanceTimersByTimeAsync(50);
    tabB(message('b1'));
    reply.answer(200);
    await vi.advanceTimersByTimeAsync(0);
    expect(storedIds()).toContain('b1');
    expect(storedIds()).not.toContain('a1');
  });
});
