import { describe, expect, test } from 'vitest';
import { BACKOFF_CAP_MS } from '@datafirst/destination';
import { classifyNetworkError, classifyResponse, parseRetryAfter, type SnapResponse } from './outcome.js';

const NOW = new Date('2025-06-02T12:00:00Z');
const V3_OK = '{"status":"VALID","reason":"Events have been processed successfully."}';

function answer(status: number, body: unknown, headers: SnapResponse['headers'] = {}): SnapResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

describe('classifyResponse: the §1 worker table', () => {
  test.each([
    ['v3 200 VALID', 'v3', answer(200, V3_OK), 3, { kind: 'delivered', failed: [] }],
    ['v3 200 with an unparseable body', 'v3', answer(200, 'OK'), 3, { kind: 'delivered', failed: [] }],
    ['v3 204 without a body', 'v3', answer(204, ''), 1, { kind: 'delivered', failed: [] }],
    ['v2 200 SUCCESS', 'v2', answer(200, { status: 'SUCCESS', reason: 'ok' }), 2, { kind: 'delivered', failed: [] }],
    [
      'v2 200 with error_records',
      'v2',
      answer(200, {
        status: 'SUCCESS',
        reason: 'some failed',
        error_records: [
          { reason: 'Unhashed PII', record_indexes: [2, 0] },
          { reason: 'Insufficient PII', record_indexes: [1, 0, 9] },
        ],
      }),
      3,
      {
        kind: 'delivered',
        failed: [
          { index: 0, reason: 'Unhashed PII' },
          { index: 1, reason: 'Insufficient PII' },
          { index: 2, reason: 'Unhashed PII' },
        ],
      },
    ],
    [
      'v3 400 INVALID with an event index',
      'v3',
      answer(400, {
        status: 'INVALID',
        reason: 'Insufficient PII',
        event: 1,
        errors: { codes: ['INSUFFICIENT_PII', 'UNHASHED_PII'], error_msgs: ['Insufficient PII', 'Unhashed PII'] },
      }),
      3,
      { kind: 'invalid_event', index: 1, reason: 'HTTP 400: Insufficient PII', codes: ['INSUFFICIENT_PII', 'UNHASHED_PII'] },
    ],
    [
      'v3 validate 400 with event_logs',
      'v3',
      answer(400, {
        status: 'INVALID',
        test_event: true,
        reason: 'Some events are invalid',
        event_logs: [
          { event: 0, status: 'VALID', warnings: [] },
          { event: 1, status: 'INVALID', errors: { codes: ['INVALID_CURRENCY'], error_msgs: ['Invalid currency code'] } },
        ],
      }),
      2,
      { kind: 'invalid_event', index: 1, reason: 'HTTP 400: Invalid currency code', codes: ['INVALID_CURRENCY'] },
    ],
    [
      'v3 400 with no index in a batch',
      'v3',
      answer(400, { status: 'INVALID', reason: 'Too many events' }),
      2500,
      { kind: 'split', reason: 'HTTP 400: Too many events' },
    ],
    [
      'v3 400 with an index outside the batch',
      'v3',
      answer(400, { status: 'INVALID', reason: 'bad', event: 7 }),
      2,
      { kind: 'split', reason: 'HTTP 400: bad' },
    ],
    [
      'v3 400 with no index for one event',
      'v3',
      answer(400, { status: 'INVALID', reason: 'Invalid JSON' }),
      1,
      { kind: 'permanent', reason: 'HTTP 400: Invalid JSON' },
    ],
    [
      'v3 400 blaming the token',
      'v3',
      answer(400, { status: 'INVALID', reason: 'Invalid access token' }),
      5,
      { kind: 'credentials', reason: 'HTTP 400: Invalid access token' },
    ],
    [
      '401',
      'v3',
      answer(401, { status: 'INVALID', reason: 'Invalid access token' }),
      1,
      { kind: 'credentials', reason: 'HTTP 401: Invalid access token' },
    ],
    [
      'v2 401',
      'v2',
      answer(401, { status: 'FAILED', reason: 'Unauthorized' }),
      1,
      { kind: 'credentials', reason: 'HTTP 401: Unauthorized' },
    ],
    [
      '403',
      'v3',
      answer(403, { status: 'INVALID', reason: 'Forbidden' }),
      1,
      { kind: 'credentials', reason: 'HTTP 403: Forbidden' },
    ],
    ['404', 'v3', answer(404, 'Not Found'), 1, { kind: 'credentials', reason: 'HTTP 404: Not Found' }],
    [
      '413 with several events',
      'v3',
      answer(413, 'Payload Too Large'),
      10,
      { kind: 'split', reason: 'HTTP 413: Payload Too Large' },
    ],
    ['413 with one event', 'v3', answer(413, ''), 1, { kind: 'permanent', reason: 'HTTP 413 (one event too large)' }],
    ['408', 'v3', answer(408, ''), 1, { kind: 'retry', code: 'timeout', reason: 'HTTP 408' }],
    [
      '429',
      'v3',
      answer(429, { reason: 'Rate limited' }),
      1,
      { kind: 'retry', code: 'rate_limited', reason: 'HTTP 429: Rate limited' },
    ],
    [
      '500',
      'v3',
      answer(500, { status: 'INVALID', reason: 'Internal error' }),
      1,
      { kind: 'retry', code: 'destination_unavailable', reason: 'HTTP 500: Internal error' },
    ],
    [
      '502 with an HTML page',
      'v3',
      answer(502, '<html>\n<head><title>502 Bad Gateway</title></head>\n</html>'),
      1,
      {
        kind: 'retry',
        code: 'destination_unavailable',
        reason: 'HTTP 502: <html> <head><title>502 Bad Gateway</title></head> </html>',
      },
    ],
    ['503', 'v2', answer(503, ''), 1, { kind: 'retry', code: 'destination_unavailable', reason: 'HTTP 503' }],
    ['504', 'v3', answer(504, ''), 1, { kind: 'retry', code: 'destination_unavailable', reason: 'HTTP 504' }],
    ['a redirect', 'v3', answer(302, ''), 1, { kind: 'retry', code: 'destination_unavailable', reason: 'HTTP 302' }],
    ['405', 'v3', answer(405, 'Method Not Allowed'), 1, { kind: 'permanent', reason: 'HTTP 405: Method Not Allowed' }],
    ['422', 'v3', answer(422, { reason: 'Unprocessable' }), 3, { kind: 'permanent', reason: 'HTTP 422: Unprocessable' }],
    [
      'a v3 200 that still says INVALID with an index',
      'v3',
      answer(200, { status: 'INVALID', reason: 'Unhashed PII', event: 0, errors: { codes: ['UNHASHED_PII'] } }),
      2,
      { kind: 'invalid_event', index: 0, reason: 'HTTP 200: Unhashed PII', codes: ['UNHASHED_PII'] },
    ],
  ] as const)('%s → %j', (_name, apiVersion, response, eventCount, outcome) => {
    expect(classifyResponse(apiVersion, response, eventCount, NOW)).toEqual(outcome);
  });

  test('takes an already parsed body too', () => {
    expect(classifyResponse('v3', { status: 400, body: { status: 'INVALID', reason: 'x', event: 0 } }, 1, NOW)).toEqual({
      kind: 'invalid_event',
      index: 0,
      reason: 'HTTP 400: x',
      codes: [],
    });
  });

  test('shortens a long body in the reason', () => {
    const outcome = classifyResponse('v3', answer(500, 'x'.repeat(500)), 1, NOW);
    expect(outcome).toEqual({ kind: 'retry', code: 'destination_unavailable', reason: `HTTP 500: ${'x'.repeat(200)}…` });
  });
});

describe('classifyResponse: Retry-After', () => {
  test.each([
    [{ 'retry-after': '30' }, 30_000],
    [{ 'Retry-After': '2' }, 2000],
    [{ 'retry-after': ['5', '9'] }, 5000],
    [{ 'retry-after': 'Mon, 02 Jun 2025 12:01:00 GMT' }, 60_000],
    [{ 'retry-after': 'Mon, 02 Jun 2025 11:00:00 GMT' }, 0],
    [{ 'retry-after': '86400' }, BACKOFF_CAP_MS],
  ])('honours %j as a wait of %d ms', (headers, retryAfterMs) => {
    expect(classifyResponse('v3', answer(429, '', headers), 1, NOW)).toEqual({
      kind: 'retry',
      code: 'rate_limited',
      reason: 'HTTP 429',
      retryAfterMs,
    });
  });

  test('leaves the wait to backoff when Retry-After is missing or garbled', () => {
    expect(classifyResponse('v3', answer(503, '', { 'retry-after': 'soon' }), 1, NOW)).toEqual({
      kind: 'retry',
      code: 'destination_unavailable',
      reason: 'HTTP 503',
    });
  });
});

describe('parseRetryAfter', () => {
  test.each([
    ['0', 0],
    ['1.5', 1500],
    [' 10 ', 10_000],
    ['', undefined],
    [undefined, undefined],
    ['-5', undefined],
  ])('reads %j as %s ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });
});

describe('classifyNetworkError', () => {
  function error(code: string | undefined, message: string, name = 'Error', cause?: unknown): Error {
    const failure = new Error(message, { cause }) as Error & { code?: string };
    failure.name = name;
    if (code !== undefined) failure.code = code;
    return failure;
  }

  test.each([
    [
      error('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error', 'HeadersTimeoutError'),
      'timed out (UND_ERR_HEADERS_TIMEOUT): Headers Timeout Error',
    ],
    [
      error(undefined, 'The operation was aborted due to timeout', 'TimeoutError'),
      'timed out (TimeoutError): The operation was aborted due to timeout',
    ],
    [error('ECONNRESET', 'read ECONNRESET'), 'connection reset (ECONNRESET): read ECONNRESET'],
    [error('UND_ERR_SOCKET', 'other side closed', 'SocketError'), 'connection reset (UND_ERR_SOCKET): other side closed'],
    [
      error('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'),
      'connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:9',
    ],
    [
      error('ENOTFOUND', 'getaddrinfo ENOTFOUND tr.snapchat.example'),
      'DNS lookup failed (ENOTFOUND): getaddrinfo ENOTFOUND tr.snapchat.example',
    ],
    [
      error('EAI_AGAIN', 'getaddrinfo EAI_AGAIN tr.snapchat.com'),
      'DNS lookup failed (EAI_AGAIN): getaddrinfo EAI_AGAIN tr.snapchat.com',
    ],
    [error('CERT_HAS_EXPIRED', 'certificate has expired'), 'TLS failed (CERT_HAS_EXPIRED): certificate has expired'],
    [
      error('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      'TLS failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE): unable to verify the first certificate',
    ],
    [
      error(undefined, 'fetch failed', 'TypeError', error('ECONNRESET', 'socket hang up')),
      'connection reset (ECONNRESET): fetch failed',
    ],
    [error(undefined, 'something odd'), 'network error: something odd'],
    ['a string', 'network error: a string'],
  ])('retries after %s: %s', (failure, reason) => {
    const code = reason.startsWith('timed out') ? 'timeout' : 'network_error';
    expect(classifyNetworkError(failure)).toEqual({ kind: 'retry', code, reason });
  });
});
