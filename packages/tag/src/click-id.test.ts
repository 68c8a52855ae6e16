import { describe, expect, it } from 'vitest';
import { clickIdFrom } from './click-id.js';

describe('clickIdFrom', () => {
  it.each([
    ['https://shop.example/?ScCid=cid-9d2b1c64', 'cid-9d2b1c64'],
    ['https://shop.example/?sccid=cid-9d2b1c64', 'cid-9d2b1c64'],
    ['https://shop.example/?SCCID=cid-9d2b1c64', 'cid-9d2b1c64'],
    ['https://shop.example/?scCID=cid-9d2b1c64', 'cid-9d2b1c64'],
    ['https://shop.example/p?utm_source=snap&ScCid=AbC-123&x=1', 'AbC-123'],
    ['https://shop.example/?ScCid=a%2Fb%3Dc', 'a/b=c'],
    ['https://shop.example/?ScCid=first&sccid=second', 'first'],
  ])('finds the click id in %s', (url, clickId) => {
    expect(clickIdFrom(url)).toBe(clickId);
  });

  it.each([
    ['https://shop.example/'],
    ['https://shop.example/?ScCid='],
    ['https://shop.example/?xScCid=cid-1'],
    ['https://shop.example/?ScCidx=cid-1'],
    ['https://shop.example/#ScCid=cid-1'],
    ['https://shop.example/?utm=1#/route?ScCid=cid-1'],
  ])('finds no click id in %s', (url) => {
    expect(clickIdFrom(url)).toBeUndefined();
  });
});
