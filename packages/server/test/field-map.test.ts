import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPixel, json, mockEvents, settled } from './link-helpers.js';
import { sha256 } from './snapchat-harness.js';
import { startTestCollector, type TestCollector } from './start-collector.js';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(() => collector.stopAndClean());

const FIELD_MAP = {
  default: { 'custom_data.content_type': { value: 'product' } },
  events: {
    'Order Completed': {
      'custom_data.value': 'properties.grand_total',
      'custom_data.content_category': 'properties.department',
      'custom_data.content_ids': 'properties.products[].sku',
      'user_data.external_id': 'context.traits.loyalty_id',
    },
  },
};

/** A server-side order whose total is called grand_total, as many checkouts name it. */
function order(messageId: string) {
  return {
    type: 'track',
    event: 'Order Completed',
    messageId,
    anonymousId: 'anon-1',
    properties: { grand_total: '49.90', currency: 'EUR', department: 'Shoes', products: [{ sku: 'S-1' }, { sku: 'S-2' }] },
    context: {
      page: { url: 'https://shop.example.com/thanks' },
      traits: { email: 'person@example.com', loyalty_id: 'L-42' },
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0',
    },
  };
}

/** A new source with one pixel; returns the write key too. */
async function shopWithPixel(name: string) {
  const source = await json(await collector.admin('/v1/admin/sources', { method: 'POST', body: JSON.stringify({ name }) }));
  const pixel = await addPixel(collector, source.id, `${name} pixel`);
  return { sourceId: source.id as string, writeKey: source.write_key as string, ...pixel };
}

async function send(writeKey: string, messageId: string) {
  const res = await collector.post('/v1/batch', { writeKey, batch: [order(messageId)] });
  expect(res.status).toBe(200);
  await settled(collector);
}

describe('an integration field map', () => {
  it('changes the next payload exactly as configured, and leaves another pixel of the source as it was', async () => {
    const { sourceId, integrationId, pixelId, writeKey } = await shopWithPixel('Field map shop');
    const other = await addPixel(collector, sourceId, 'Unmapped pixel');

    // Without a map, the order has no value Snapchat can read: grand_total is not a default source.
    await send(writeKey, 'order-before');
    const before = await json(await collector.admin(`/v1/admin/events?source_id=${sourceId}&limit=1`));
    expect(before.events[0].deliveries.map((d: { reason_code: string }) => d.reason_code)).toEqual([
      'missing_value_or_currency',
      'missing_value_or_currency',
    ]);

    const patched = await collector.admin(`/v1/admin/integrations/${integrationId}`, {
      method: 'PATCH',
      body: JSON.stringify({ config: { field_map: FIELD_MAP } }),
    });
    expect(patched.status).toBe(200);
    expect((await json(patched)).config.field_map).toEqual(FIELD_MAP);

    await send(writeKey, 'order-after');
    const [mapped] = await mockEvents(collector, pixelId);
    expect(mapped!.event).toEqual({
      event_name: 'PURCHASE',
      action_source: 'WEB',
      event_time: expect.any(Number),
      event_id: 'order-after',
      event_source_url: 'https://shop.example.com/thanks',
      user_data: {
        em: [sha256('person@example.com')],
        external_id: [sha256('l-42')],
        client_ip_address: '203.0.113.7',
        client_user_agent: 'Mozilla/5.0',
      },
      custom_data: {
        currency: 'EUR',
        value: 49.9,
        content_ids: ['S-1', 'S-2'],
        num_items: 2,
        contents: [
          { id: 'S-1', quantity: 1 },
          { id: 'S-2', quantity: 1 },
        ],
        content_category: 'Shoes',
        content_type: 'product',
      },
    });
    // The other integration of the same source still applies the defaults only.
    expect(await mockEvents(collector, other.pixelId)).toEqual([]);
    const after = await json(await collector.admin(`/v1/admin/events?source_id=${sourceId}&limit=1`));
    const byIntegration = new Map(
      after.events[0].deliveries.map((d: { integration_id: string; reason_code: string | null }) => [
        d.integration_id,
        d.reason_code,
      ]),
    );
    expect(byIntegration.get(other.integrationId)).toBe('missing_value_or_currency');
    expect(byIntegration.get(integrationId)).toBeNull();
  });

  it("previews the payload of a recent real event with an unsaved map and the person's profile, and refuses a bad map with the field named", async () => {
    const { integrationId, writeKey } = await shopWithPixel('Preview shop');
    await send(writeKey, 'order-preview');
    const preview = await json(
      await collector.admin(`/v1/admin/integrations/${integrationId}/preview`, {
        method: 'POST',
        body: JSON.stringify({ event: 'Order Completed', config: { field_map: FIELD_MAP } }),
      }),
    );
    expect(preview.message.messageId).toBe('order-preview');
    expect(preview.payload.custom_data.value).toBe(49.9);
    expect(preview.payload.custom_data.content_type).toBe('product');

    // A visitor known only by an earlier identify: the preview takes the profile's email, as the worker does.
    const identify = { type: 'identify', anonymousId: 'anon-known', traits: { email: 'Known@Example.com' } };
    const track = {
      type: 'track',
      event: 'Product Viewed',
      anonymousId: 'anon-known',
      properties: { product_id: 'P-1' },
      context: { page: { url: 'https://shop.example.com/p/1' } },
    };
    expect((await collector.post('/v1/batch', { writeKey, batch: [identify, track] })).status).toBe(200);
    const profiled = await json(
      await collector.admin(`/v1/admin/integrations/${integrationId}/preview`, {
        method: 'POST',
        body: JSON.stringify({ event: 'Product Viewed' }),
      }),
    );
    expect(profiled.reason_code).toBeNull();
    expect(profiled.payload.user_data.em).toEqual([sha256('known@example.com')]);

    const refused = await collector.admin(`/v1/admin/integrations/${integrationId}`, {
      method: 'PATCH',
      body: JSON.stringify({ config: { field_map: { default: { 'custom_data.value': { value: 'lots' } } } } }),
    });
    expect(refused.status).toBe(400);
    expect((await json(refused)).errors).toEqual([
      'config.field_map.default.custom_data.value: the static value must be a number of at least 0, got "lots"',
    ]);
  });
});
