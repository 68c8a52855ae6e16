import { describe, expect, it } from 'vitest';
import { pageContext } from './page-context.js';

describe('pageContext', () => {
  it.each([
    ['https://shop.example/', { url: 'https://shop.example/', path: '/', referrer: 'r', title: 't', search: '' }],
    [
      'https://shop.example/shoes/red?size=9&ScCid=cid-1',
      {
        url: 'https://shop.example/shoes/red?size=9&ScCid=cid-1',
        path: '/shoes/red',
        referrer: 'r',
        title: 't',
        search: '?size=9&ScCid=cid-1',
      },
    ],
    [
      'https://shop.example/login?next=%2F#access_token=secret',
      { url: 'https://shop.example/login?next=%2F', path: '/login', referrer: 'r', title: 't', search: '?next=%2F' },
    ],
  ])('describes %s without its fragment', (url, context) => {
    expect(pageContext(url, 't', 'r')).toEqual(context);
  });
});
