import { describe, expect, it } from 'vitest';
import { createMockFaultQueue, mockFaultReply, normalizeMockFault, normalizeMockFaults } from './mock-faults.js';

describe('normalizeMockFault', () => {
  it.each([
    [{ mode: 'status' }, { mode: 'status', count: 1, probability: 1, route: 'all', status: 500 }],
    [
      { mode: 'status', status: 503, retryAfter: 7 },
      { mode: 'status', count: 1, probability: 1, route: 'all', status: 503, retryAfter: 7 },
    ],
    [{ mode: 'rate_limit' }, { mode: 'rate_limit', count: 1, probability: 1, route: 'all', retryAfter: 1 }],
    [
      { mode: 'delay', route: 'send' },
      { mode: 'delay', count: 1, probability: 1, route: 'send', ms: 1000 },
    ],
    [
      { mode: 'hang', count: 0 },
      { mode: 'hang', count: 0, probability: 1, route: 'all' },
    ],
    [
      { mode: 'reset', probability: 0.5 },
      { mode: 'reset', count: 1, probability: 0.5, route: 'all' },
    ],
    [
      { mode: 'reset_after_accept', route: 'validate' },
      { mode: 'reset_after_accept', count: 1, probability: 1, route: 'validate' },
    ],
  ])('fills in the defaults of %j', (input, expected) => {
    expect(normalizeMockFault(input)).toEqual(expected);
  });

  it.each([
    [null, 'a fault must be an object'],
    [[{ mode: 'hang' }], 'a fault must be an object'],
    [{ mode: 'explode' }, 'fault mode must be one of status, rate_limit, delay, hang, reset, reset_after_accept'],
    [{ mode: 'status', status: 418 }, 'fault status must be one of 500, 502, 503, 504'],
    [{ mode: 'status', count: -1 }, 'fault count must be a whole number, 0 or more'],
    [{ mode: 'status', count: 1.5 }, 'fault count must be a whole number, 0 or more'],
    [{ mode: 'status', probability: 2 }, 'fault probability must be between 0 and 1'],
    [{ mode: 'status', route: 'logs' }, 'fault route must be one of send, validate, all'],
    [{ mode: 'rate_limit', retryAfter: '5' }, 'fault retryAfter must be whole seconds, 0 or more'],
    [{ mode: 'delay', ms: -5 }, 'fault ms must be ms, 0 or more'],
    [{ mode: 'rate_limit', retry_after: 5 }, 'unknown fault field: retry_after'],
  ])('refuses %j', (input, message) => {
    expect(() => normalizeMockFault(input)).toThrow(new TypeError(message));
  });

  it('names the bad entry of a list', () => {
    expect(() => normalizeMockFaults([{ mode: 'hang' }, { mode: 'nope' }])).toThrow(/^fault 1: fault mode must be one of/);
  });
});

describe('createMockFaultQueue', () => {
  it('hits one request by default and then disarms', () => {
    const queue = createMockFaultQueue();
    queue.set({ mode: 'status', status: 503 });
    expect(queue.take('send')?.status).toBe(503);
    expect(queue.take('send')).toBeUndefined();
    expect(queue.list()).toEqual([]);
  });

  it('hits as many requests as its count and reports what is left', () => {
    const queue = createMockFaultQueue();
    queue.set({ mode: 'rate_limit', count: 3 });
    queue.take('send');
    expect(queue.list()).toEqual([{ mode: 'rate_limit', count: 2, probability: 1, route: 'all', retryAfter: 1 }]);
    queue.take('validate');
    queue.take('send');
    expect(queue.take('send')).toBeUndefined();
  });

  it('keeps a count-0 fault until it is cleared', () => {
    const queue = createMockFaultQueue();
    queue.set({ mode: 'reset', count: 0 });
    for (let i = 0; i < 50; i++) expect(queue.take('send')?.mode).toBe('reset');
    queue.clear();
    expect(queue.take('send')).toBeUndefined();
  });

  it('only hits the route it is armed for', () => {
    const queue = createMockFaultQueue();
    queue.set({ mode: 'hang', route: 'validate' });
    expect(queue.take('send')).toBeUndefined();
    expect(queue.take('validate')?.mode).toBe('hang');
  });

  it('applies faults in the order they were given', () => {
    const queue = createMockFaultQueue();
    queue.set([{ mode: 'status', status: 502 }, { mode: 'rate_limit' }]);
    expect(queue.take('send')?.mode).toBe('status');
    expect(queue.take('send')?.mode).toBe('rate_limit');
  });

  it('rolls the injected random for a probabilistic fault without using up its count on a miss', () => {
    const rolls = [0.9, 0.1];
    const queue = createMockFaultQueue(() => rolls.shift() ?? 1);
    queue.set({ mode: 'status', probability: 0.5 });
    expect(queue.take('send')).toBeUndefined();
    expect(queue.take('send')?.mode).toBe('status');
  });

  it('replaces the armed faults on every set', () => {
    const queue = createMockFaultQueue();
    queue.set({ mode: 'hang' });
    queue.set({ mode: 'reset' });
    expect(queue.list().map((spec) => spec.mode)).toEqual(['reset']);
  });
});

describe('mockFaultReply', () => {
  it('answers a rate limit with 429 and Retry-After', () => {
    expect(mockFaultReply(normalizeMockFault({ mode: 'rate_limit', retryAfter: 30 }))).toEqual({
      status: 429,
      headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '30' },
      text: '{"status":"FAILED","reason":"Too many requests"}',
    });
  });

  it('answers a 502 with an HTML page, as a load balancer does', () => {
    const reply = mockFaultReply(normalizeMockFault({ mode: 'status', status: 502 }));
    expect(reply.status).toBe(502);
    expect(reply.headers).toEqual({ 'content-type': 'text/html; charset=utf-8' });
    expect(reply.text).toContain('<h1>502 Bad Gateway</h1>');
  });

  it.each([
    [500, '{"status":"FAILED","reason":"Internal server error"}'],
    [503, '{"status":"FAILED","reason":"Service unavailable"}'],
    [504, '{"status":"FAILED","reason":"Gateway timeout"}'],
  ])('answers a %i with a JSON body', (status, text) => {
    expect(mockFaultReply(normalizeMockFault({ mode: 'status', status }))).toEqual({
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      text,
    });
  });
});
