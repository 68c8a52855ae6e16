import type { Message } from '@datafirst/protocol';
import { describe, expect, test } from 'vitest';
import { buildCustomData, orderValue, snapCurrency, toNumber } from './custom-data.js';

function track(properties: Record<string, unknown>, event = 'Order Completed'): Message {
  return { type: 'track', event, properties };
}

describe('buildCustomData', () => {
  test('maps an order with products in the §7 key order', () => {
    const customData = buildCustomData(
      track({
        order_id: 'ORD-1001',
        revenue: 59.97,
        currency: 'gbp',
        products: [
          { product_id: 'SKU-1', price: 19.99, quantity: 2, brand: 'Acme' },
          { product_id: 'SKU-2', price: 19.99, quantity: 1 },
        ],
      }),
    );
    expect(JSON.stringify(customData)).toBe(
      '{"currency":"GBP","value":59.97,"order_id":"ORD-1001","content_ids":["SKU-1","SKU-2"],"num_items":3,' +
        '"contents":[{"id":"SKU-1","quantity":2,"item_price":19.99,"brand":"Acme"},{"id":"SKU-2","quantity":1,"item_price":19.99}]}',
    );
  });

  test.each([
    [{ revenue: 10, total: 20, value: 30 }, 10],
    [{ total: 20, value: 30 }, 20],
    [{ value: 30 }, 30],
    [{ revenue: '12.50' }, 12.5],
    [
      {
        products: [
          { sku: 'A', price: 19.99, quantity: 2 },
          { sku: 'B', price: 19.99 },
        ],
      },
      59.97,
    ],
    [{ products: [{ sku: 'A', price: '5', quantity: '3' }] }, 15],
  ])('takes the value of %j as %d', (properties, value) => {
    expect(buildCustomData(track({ ...properties, currency: 'USD' }))?.value).toBe(value);
  });

  test('uses sku when a product has no product_id, and numbers as ids', () => {
    const customData = buildCustomData(track({ products: [{ sku: 'SKU-9' }, { product_id: 42, quantity: 3 }] }));
    expect(customData).toEqual({
      content_ids: ['SKU-9', '42'],
      num_items: 4,
      contents: [
        { id: 'SKU-9', quantity: 1 },
        { id: '42', quantity: 3 },
      ],
    });
  });

  test('counts products without an id in num_items but leaves them out of contents', () => {
    expect(buildCustomData(track({ products: [{ name: 'Mystery box', quantity: 2 }, { sku: 'A' }] }))).toEqual({
      content_ids: ['A'],
      num_items: 3,
      contents: [{ id: 'A', quantity: 1 }],
    });
  });

  test('reads a one-product event from the properties themselves', () => {
    const customData = buildCustomData(
      track(
        { product_id: 'SKU-1', price: 19.99, quantity: 2, brand: 'Acme', category: 'Shoes', name: 'Runner', currency: 'EUR' },
        'Product Added',
      ),
    );
    expect(customData).toEqual({
      currency: 'EUR',
      value: 39.98,
      content_ids: ['SKU-1'],
      num_items: 2,
      contents: [{ id: 'SKU-1', quantity: 2, item_price: 19.99, brand: 'Acme' }],
      content_category: 'Shoes',
      content_name: 'Runner',
      brands: ['Acme'],
    });
  });

  test('keeps per-product brands in contents only, as in the §7.2 purchase', () => {
    const customData = buildCustomData(
      track({
        products: [
          { sku: 'A', brand: 'Acme' },
          { sku: 'B', brand: 'Zeta' },
        ],
      }),
    );
    expect(customData?.brands).toBeUndefined();
    expect(customData?.contents).toEqual([
      { id: 'A', quantity: 1, brand: 'Acme' },
      { id: 'B', quantity: 1, brand: 'Zeta' },
    ]);
  });

  test.each([
    [{ brands: ['Acme', ' Zeta ', 'Acme', '', 7] }, ['Acme', 'Zeta']],
    [{ brands: 'Acme' }, ['Acme']],
    [{ brand: ' Acme ' }, ['Acme']],
    [{ brands: [], brand: 'Acme' }, ['Acme']],
    [{ brands: ['  '], brand: '' }, undefined],
    [{ brand: 42 }, undefined],
  ])('reads the event-level brands of %j as %j', (properties, brands) => {
    expect(buildCustomData(track(properties, 'Product List Viewed'))?.brands).toEqual(brands);
  });

  test('passes content_type on as the sender gives it, and never guesses one', () => {
    expect(buildCustomData(track({ content_type: ' product_group ' }, 'Product List Viewed'))).toEqual({
      content_type: 'product_group',
    });
    expect(buildCustomData(track({ products: [{ sku: 'A' }] }))?.content_type).toBeUndefined();
  });

  test('emits every field in one documented key order', () => {
    const customData = buildCustomData(
      track({
        predicted_ltv: 120,
        method: 'email',
        query: 'red shoes',
        brand: 'Acme',
        content_type: 'product',
        name: 'Runner',
        category: 'Shoes',
        products: [{ sku: 'A', price: 10, quantity: 2 }],
        order_id: 'O-1',
        value: 20,
        currency: 'usd',
      }),
    );
    expect(Object.keys(customData ?? {})).toEqual([
      'currency',
      'value',
      'order_id',
      'content_ids',
      'num_items',
      'contents',
      'content_category',
      'content_name',
      'content_type',
      'brands',
      'search_string',
      'sign_up_method',
      'predicted_ltv',
    ]);
  });

  test('drops both currency and value when the currency is not one Snap accepts', () => {
    expect(buildCustomData(track({ revenue: 10, currency: 'XYZ', order_id: 'O-1' }))).toEqual({ order_id: 'O-1' });
  });

  test('sends a value only together with its currency', () => {
    expect(buildCustomData(track({ revenue: 10 }))).toBeUndefined();
  });

  test('maps the search query and the sign-up method', () => {
    expect(buildCustomData(track({ query: 'red shoes' }, 'Products Searched'))).toEqual({ search_string: 'red shoes' });
    expect(buildCustomData(track({ method: 'sms' }, 'Signed Up'))).toEqual({ sign_up_method: 'sms' });
  });

  test('does not take a page name for a content name', () => {
    expect(buildCustomData({ type: 'page', properties: { name: 'Home', url: 'https://x.example/' } })).toBeUndefined();
  });

  test('is undefined for an event with nothing to map', () => {
    expect(buildCustomData(track({}))).toBeUndefined();
    expect(buildCustomData({ type: 'page' })).toBeUndefined();
  });

  test.each([
    [
      'fractional quantities, rounded in total',
      {
        products: [
          { sku: 'A', quantity: 1.5 },
          { sku: 'B', quantity: '1.2' },
        ],
      },
      3,
    ],
    ['one fractional quantity', { products: [{ sku: 'A', quantity: 2.4 }] }, 2],
    ['the event quantity when there are no products', { quantity: 4 }, 4],
    ['a fractional event quantity', { quantity: '2.6' }, 3],
    ['products before the event quantity', { quantity: 9, products: [{ sku: 'A', quantity: 2 }] }, 2],
    ['no negative event quantity', { quantity: -1 }, undefined],
    ['no event quantity that is not a number', { quantity: 'many' }, undefined],
  ])('counts num_items from %s as an integer', (_label, properties, expected) => {
    const numItems = buildCustomData(track(properties, 'Product List Viewed'))?.num_items;
    expect(numItems).toBe(expected);
    if (numItems !== undefined) expect(Number.isInteger(numItems)).toBe(true);
  });

  test.each([
    ['the event category', { category: 'Shoes', products: [{ sku: 'A', category: 'Hats' }] }, 'Shoes'],
    ['the first product category', { products: [{ sku: 'A' }, { sku: 'B', category: ' Hats ' }, { category: 'Bags' }] }, 'Hats'],
    ['a blank event category, so the products', { category: ' ', products: [{ sku: 'A', category: 'Hats' }] }, 'Hats'],
    ['nothing', { products: [{ sku: 'A' }] }, undefined],
  ])('takes content_category from %s', (_label, properties, expected) => {
    expect(buildCustomData(track(properties, 'Product List Viewed'))?.content_category).toBe(expected);
  });

  test.each([
    ['price alone', { price: 12.5 }, 12.5],
    ['price as a string', { price: '7' }, 7],
    ['revenue before price', { revenue: 30, price: 12.5 }, 30],
    ['value before price', { value: 20, price: 12.5 }, 20],
    ['products before price', { price: 1, products: [{ sku: 'A', price: 4, quantity: 2 }] }, 8],
  ])('takes the value from %s', (_label, properties, expected) => {
    expect(buildCustomData(track({ ...properties, currency: 'EUR' }))?.value).toBe(expected);
  });

  test.each([
    [{ predicted_ltv: 120.5 }, 120.5],
    [{ predicted_ltv: '80' }, 80],
    [{ predicted_ltv: 'a lot' }, undefined],
    [{}, undefined],
  ])('takes predicted_ltv from %j as %s', (properties, expected) => {
    expect(buildCustomData(track({ ...properties, sku: 'A' }, 'Order Completed'))?.predicted_ltv).toBe(expected);
  });

  test('ignores products that are not objects', () => {
    expect(buildCustomData(track({ products: ['SKU-1', null, { sku: 'A' }] }))).toEqual({
      content_ids: ['A'],
      num_items: 1,
      contents: [{ id: 'A', quantity: 1 }],
    });
  });
});

describe('orderValue', () => {
  test('is undefined without any amount', () => {
    expect(orderValue({ products: [{ sku: 'A' }] })).toBeUndefined();
  });

  test('falls back to the event price last', () => {
    expect(orderValue({ price: '9.99', products: [{ sku: 'A' }] })).toBe(9.99);
  });
});

describe('snapCurrency', () => {
  test.each([
    ['gbp', 'GBP'],
    [' usd ', 'USD'],
    ['XOF', 'XOF'],
    ['XYZ', undefined],
    ['', undefined],
    [826, undefined],
  ])('reads %j as %s', (input, expected) => {
    expect(snapCurrency(input)).toBe(expected);
  });
});

describe('toNumber', () => {
  test.each([
    [59.97, 59.97],
    ['59.97', 59.97],
    [' 3 ', 3],
    ['-5', -5],
    ['1e3', undefined],
    ['12abc', undefined],
    ['', undefined],
    [Number.POSITIVE_INFINITY, undefined],
    [null, undefined],
  ])('reads %j as %s', (input, expected) => {
    expect(toNumber(input)).toBe(expected);
  });
});
