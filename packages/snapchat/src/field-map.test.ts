import type { EnrichedMessage } from '@datafirst/protocol';
import { describe, expect, it } from 'vitest';
import { toSnapEvent } from './build-event.js';
import type { SnapchatConfig } from './config.js';
import { fieldMapErrors, valueAtPath, type FieldMap } from './field-map.js';

const NOW = new Date('2025-06-02T12:00:00Z');
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const EM_PERSON = '542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345'; // person@example.com
const EM_JANE = '8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d'; // jane@example.com
const LOYALTY = 'eae72e6908155ac096c6caad4e87790ee61141068c131d505d428c7f46865173'; // ' Loyal 42 ' → loyal42

const order: EnrichedMessage = {
  type: 'track',
  event: 'Order Completed',
  messageId: 'o-1',
  timestamp: '2025-06-02T11:00:00.000Z',
  receivedAt: '2025-06-02T11:00:01.000Z',
  properties: {
    grand_total: '49.90',
    currency: 'eur',
    department: 'Shoes',
    products: [{ sku: 'S-1' }, { sku: 'S-2' }],
    billing_email: 'Jane@Example.com ',
  },
  context: {
    page: { url: 'https://shop.example.com/thanks' },
    traits: { email: 'person@example.com', loyalty_id: ' Loyal 42 ' },
  },
};

const built = (fieldMap: FieldMap, message: EnrichedMessage = order) => {
  const config: SnapchatConfig = { pixel_id: PIXEL, access_token: 't', field_map: fieldMap };
  return toSnapEvent(message, config, { now: NOW });
};

describe('a field map', () => {
  it('takes a field from a path in the message: grand_total as the value, department as the category', () => {
    const result = built({
      default: { 'custom_data.value': 'properties.grand_total', 'custom_data.content_category': 'properties.department' },
    });
    expect(result.ok && result.event.custom_data).toEqual({
      currency: 'EUR',
      value: 49.9,
      content_ids: ['S-1', 'S-2'],
      num_items: 2,
      contents: [
        { id: 'S-1', quantity: 1 },
        { id: 'S-2', quantity: 1 },
      ],
      content_category: 'Shoes',
    });
  });

  it('collects a field from every product with an array path', () => {
    const result = built({
      default: { 'custom_data.value': { value: 10 }, 'custom_data.content_ids': 'properties.products[].sku' },
    });
    expect(result.ok && result.event.custom_data?.content_ids).toEqual(['S-1', 'S-2']);
    expect(valueAtPath(order, 'properties.products[].sku')).toEqual(['S-1', 'S-2']);
    expect(valueAtPath(order, 'properties.nothing[].sku')).toEqual([]);
    expect(valueAtPath(order, 'context.traits.loyalty_id')).toBe(' Loyal 42 ');
  });

  it('sends a static value: content_type "product"', () => {
    const result = built({ default: { 'custom_data.value': { value: 10 }, 'custom_data.content_type': { value: 'product' } } });
    expect(result.ok && result.event.custom_data?.content_type).toBe('product');
    expect(result.ok && result.event.custom_data?.value).toBe(10);
  });

  it('never sends a field mapped to null', () => {
    const withNetwork = { ...order, context: { ...order.context, ip: '203.0.113.7', userAgent: 'UA' } };
    const result = built(
      { default: { 'custom_data.value': { value: 10 }, 'custom_data.content_ids': null, 'user_data.em': null } },
      withNetwork,
    );
    expect(result.ok && result.event.custom_data?.content_ids).toBeUndefined();
    expect(result.ok && result.event.user_data).toEqual({ client_ip_address: '203.0.113.7', client_user_agent: 'UA' });
  });

  it('normalises and hashes a mapped identity field like its default source', () => {
    const result = built({
      default: { 'custom_data.value': { value: 10 } },
      events: {
        'Order Completed': { 'user_data.em': 'properties.billing_email', 'user_data.external_id': 'context.traits.loyalty_id' },
      },
    });
    expect(result.ok && result.event.user_data).toEqual({ em: [EM_JANE], external_id: [LOYALTY] });
    // Only for the event it names: another event keeps the default email.
    const viewed = built(
      { events: { 'Order Completed': { 'user_data.em': 'properties.billing_email' } } },
      { ...order, event: 'Product Viewed' },
    );
    expect(viewed.ok && viewed.event.user_data).toEqual({ em: [EM_PERSON] });
  });

  it('lets the value and currency checks run on what the map gives, so a bad value cannot slip through', () => {
    expect(built({ default: { 'custom_data.value': 'properties.department' } })).toMatchObject({
      ok: false,
      reason: 'purchase_missing_value_or_currency',
    });
    expect(built({ default: { 'custom_data.value': { value: 5 }, 'custom_data.currency': { value: 'BTC' } } })).toMatchObject({
      ok: true,
      event: { custom_data: { currency: 'EUR', value: 5 } },
    });
  });
});

describe('fieldMapErrors', () => {
  it('accepts paths, static values and null', () => {
    expect(
      fieldMapErrors({
        default: { 'custom_data.value': 'properties.grand_total', 'custom_data.content_type': { value: 'product' } },
        events: { 'Order Completed': { 'custom_data.content_ids': 'properties.products[].sku', 'user_data.em': null } },
      }),
    ).toEqual([]);
  });

  it('names an unknown field, a path that cannot exist and a static value of the wrong type', () => {
    expect(
      fieldMapErrors({
        default: { 'custom_data.colour': 'properties.colour', 'custom_data.value': 'order.total' },
        events: { 'Order Completed': { 'custom_data.num_items': { value: 'two' } } },
        extra: {},
      }),
    ).toEqual([
      'field_map.extra: unknown (use "default" and "events")',
      expect.stringMatching(
        /^field_map\.default\.custom_data\.colour: not a field that can be mapped \(one of custom_data\.value, /,
      ),
      'field_map.default.custom_data.value: "order.total" is not a path in a message (start with properties, traits, context, userId, anonymousId, event, name, messageId; e.g. properties.grand_total or properties.products[].sku)',
      'field_map.events.Order Completed.custom_data.num_items: the static value must be a number of at least 0, got "two"',
    ]);
  });
});
