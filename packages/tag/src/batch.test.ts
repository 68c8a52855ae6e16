import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TagMessage } from './api.js';
import { batchBody, isFinalAnswer, MAX_BATCH_BYTES, messageBytes, nextBatch } from './batch.js';

const message = (messageId: string, padding = ''): TagMessage => ({
  type: 'track',
  event: 'Padded',
  properties: { padding },
  anonymousId: 'anon-1',
  messageId,
  timestamp: '2025-06-02T10:00:00.000Z',
});

/** A message of exactly `bytes` bytes on the wire. */
const sized = (messageId: string, bytes: number): TagMessage =>
  message(messageId, 'x'.repeat(bytes - messageBytes(message(messageId))));

afterEach(() => {
  vi.useRealTimers();
});

describe('messageBytes', () => {
  it('counts UTF-8 bytes, not characters', () => {
    const ascii = messageBytes(message('m', 'aaaa'));
    expect(messageBytes(message('m', 'éééé'))).toBe(ascii + 4);
    expect(messageBytes(message('m', '😀😀'))).toBe(ascii + 4);
  });
});

describe('nextBatch', () => {
  it('takes every message when they fit in one keepalive body', () => {
    const messages = [message('a'), message('b'), message('c')];
    expect(nextBatch(messages)).toEqual(messages);
  });

  it('stops before the message that would take the body over 60,000 bytes', () => {
    const messages = [sized('a', 30_000), sized('b', 29_998), sized('c', 200)];
    expect(nextBatch(messages).map((m) => m.messageId)).toEqual(['a', 'b']);
    expect(nextBatch(messages.slice(2)).map((m) => m.messageId)).toEqual(['c']);
  });

  it('keeps the order of the queue', () => {
    const messages = [sized('a', 40_000), sized('b', 200), sized('c', 200)];
    expect(nextBatch(messages).map((m) => m.messageId)).toEqual(['a', 'b', 'c']);
    expect(nextBatch([sized('a', 40_000), sized('b', 30_000), sized('c', 200)]).map((m) => m.messageId)).toEqual(['a']);
  });

  it('sends a message too big for any batch alone rather than never', () => {
    const big = sized('big', MAX_BATCH_BYTES + 10);
    expect(nextBatch([big, message('b')])).toEqual([big]);
  });

  it('takes nothing from an empty queue', () => {
    expect(nextBatch([])).toEqual([]);
  });
});

describe('batchBody', () => {
  it('wraps the batch with the time it is sent and the write key', () => {
    vi.useFakeTimers({ now: new Date('2025-06-02T10:00:05.000Z') });
    expect(batchBody([message('a')], 'wk_1')).toBe(
      '{"batch":[{"type":"track","event":"Padded","properties":{"padding":""},"anonymousId":"anon-1",' +
        '"messageId":"a","timestamp":"2025-06-02T10:00:00.000Z"}],"sentAt":"2025-06-02T10:00:05.000Z","writeKey":"wk_1"}',
    );
  });
});

describe('isFinalAnswer', () => {
  it.each([
    [200, true],
    [204, true],
    [400, true],
    [401, true],
    [404, true],
    [413, true],
    [408, false],
    [429, false],
    [500, false],
    [502, false],
    [503, false],
  ])('treats %i as final: %s', (status, final) => {
    expect(isFinalAnswer(status)).toBe(final);
  });
});
