import { describe, expect, it } from 'vitest';
import { clickIdFromUrl } from './click-id.js';

describe('clickIdFromUrl', () => {
  it.each([
    ['https://shop.example.com/?ScCid=abc-123', 'abc-123'],
    ['https://shop.example.com/?sccid=abc-123', 'abc-123'],
    ['https://shop.example.com/?SCCID=AbC-123&utm_source=snap', 'AbC-123'],
    ['https://shop.example.com/p?x=1&sCcId=v%2Fw', 'v/w'],
    ['https://shop.example.com/?ScCid=', undefined],
    ['https://shop.example.com/?other=1', undefined],
    ['not a url', undefined],
    ['/relative?ScCid=abc', undefined],
    [undefined, undefined],
  ])('reads %s as %s, keeping the value exactly', (url, expected) => {
    expect(clickIdFromUrl(url)).toBe(expected);
  });

  it('answers a URL asked for again, or another after it, as the first time', () => {
    const urls = ['https://a.example/?ScCid=1', 'https://a.example/?ScCid=1', '/p?ScCid=2', 'https://b.example/?sccid=3'];
    expect([...urls, ...urls].map(clickIdFromUrl)).toEqual(['1', '1', undefined, '3', '1', '1', undefined, '3']);
  });
});
