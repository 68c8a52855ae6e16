import { describe, expect, it } from 'vitest';
import { maskUrl } from './mask.js';

describe('maskUrl', () => {
  it.each([
    ['postgres://app:s3cret@db.example:5432/shop', 'postgres://app:****@db.example:5432/shop'],
    ['postgres://app@db.example/shop?password=s3cret', 'postgres://app@db.example/shop?password=****'],
    ['mysql://app@db.example/shop?ssl=true&Password=s3cret', 'mysql://app@db.example/shop?ssl=true&Password=****'],
    [
      'postgres://app@db.example/shop?sslmode=require&sslpassword=s3cret',
      'postgres://app@db.example/shop?sslmode=require&sslpassword=****',
    ],
    ['postgres://app@db.example/shop?sslmode=require', 'postgres://app@db.example/shop?sslmode=require'],
    ['file:/var/data/shop.db', 'file:/var/data/shop.db'],
    ['not a url', '****'],
  ])('shows %s as %s', (url, shown) => {
    expect(maskUrl(url)).toBe(shown);
  });
});
