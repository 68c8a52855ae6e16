import { describe, expect, it } from 'vitest';
import { allowedHeaders, MAX_REQUESTED_HEADERS_LENGTH } from './cors.js';

describe('allowedHeaders', () => {
  it.each([
    ['nothing asked', undefined, 'Content-Type, Authorization'],
    ['an empty list', '  ', 'Content-Type, Authorization'],
    ["analytics-next's retry header", 'content-type,x-retry-count', 'content-type,x-retry-count'],
    [
      "RudderStack's headers",
      'anonymousid, authorization, content-type, sentat',
      'anonymousid, authorization, content-type, sentat',
    ],
    ['a list with a line break', 'content-type\r\nx-evil: 1', 'Content-Type, Authorization'],
    ['a name that is not a token', 'content type', 'Content-Type, Authorization'],
    ['a list too long to echo', `x-${'a'.repeat(MAX_REQUESTED_HEADERS_LENGTH)}`, 'Content-Type, Authorization'],
  ])('%s: %j → %j', (_, requested, allowed) => {
    expect(allowedHeaders(requested)).toBe(allowed);
  });
});
