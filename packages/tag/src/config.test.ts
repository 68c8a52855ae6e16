import { describe, expect, it } from 'vitest';
import { collectorUrl } from './config.js';

describe('collectorUrl', () => {
  it.each([
    [undefined, 'https://shop.example/_df.js', 'https://shop.example/cart', 'https://shop.example'],
    [undefined, 'https://collect.shop.example/js/_df.js', 'https://shop.example/', 'https://collect.shop.example'],
    ['/df', 'https://cdn.example/_df.js', 'https://shop.example/a/b', 'https://shop.example/df'],
    ['/df/', 'https://cdn.example/_df.js', 'https://shop.example/', 'https://shop.example/df'],
    ['https://c.example/', 'https://cdn.example/_df.js', 'https://shop.example/', 'https://c.example'],
    ['https://c.example/base', 'https://cdn.example/_df.js', 'https://shop.example/', 'https://c.example/base'],
    ['', 'https://shop.example:8080/_df.js', 'https://shop.example:8080/', 'https://shop.example:8080'],
  ])('resolves data-api %j (script %s, page %s) to %s', (api, src, page, url) => {
    expect(collectorUrl(api, src, page)).toBe(url);
  });
});
