import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { startDatafirst, type DatafirstProcess, type MockEvent } from './support/datafirst.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

async function eventsNamed(name: string, expected: number): Promise<MockEvent[]> {
  let events: MockEvent[] = [];
  await expect
    .poll(
      async () => {
        events = (await datafirst.mockEvents()).filter((e) => e.event.event_name === name);
        return events.length;
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(expected);
  return events;
}

test('a purchase in the demo shop reaches the Snapchat mock with the hashed email, click id, cookie and value', async ({
  page,
  context,
}) => {
  await page.goto(`${datafirst.url}/?ScCid=e2e-click`);
  await page.click('a[data-product="SKU-1"]');
  await expect(page.locator('#name')).toHaveText('Trail running shoes');
  await page.click('#add');
  await page.waitForURL('**/cart.html');
  await page.click('#checkout');
  await page.waitForURL('**/checkout.html');
  await page.fill('#email', '  E2E.Buyer@Example.com ');
  await page.click('#buy');
  await page.waitForURL('**/thanks.html**');
  await expect(page.locator('#order')).not.toBeEmpty();

  const purchases = await eventsNamed('PURCHASE', 1);
  const scid = (await context.cookies()).find((cookie) => cookie.name === '_scid')?.value;
  expect(scid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

  // The message as the collector stored it, with the messageId and order id the tag gave it. (A
  // call made right before the shop navigates leaves by beacon or as a keepalive fetch of a page
  // being unloaded, which the browser's network events do not always show.)
  const { events: stored } = await datafirst.admin<{ events: { message: Record<string, any> }[] }>(
    '/v1/admin/events?name=Order%20Completed&limit=5',
  );
  const orderCompleted = stored.map((event) => event.message).find((m) => m.event === 'Order Completed');
  expect(orderCompleted, 'the collector stored the Order Completed the tag sent').toBeTruthy();

  // Five page loads: home, product, cart, checkout, thanks.
  const pageViews = await eventsNamed('PAGE_VIEW', 5);
  await eventsNamed('VIEW_CONTENT', 1);
  await eventsNamed('ADD_CART', 1);
  await page.waitForTimeout(1000); // let any duplicate show itself before counting
  const all = await datafirst.mockEvents();
  const count = (name: string) => all.filter((e) => e.event.event_name === name).length;
  expect(count('PURCHASE')).toBe(1);
  expect(count('PAGE_VIEW')).toBe(5);
  expect(count('VIEW_CONTENT')).toBe(1);
  expect(count('ADD_CART')).toBe(1);
  expect(pageViews.every((e) => e.event.user_data.sc_click_id === 'e2e-click')).toBe(true);

  const purchase = purchases[0]!.event;
  expect(purchase.event_id).toBe(orderCompleted!.messageId);
  expect(purchase.action_source).toBe('WEB');
  expect(purchase.user_data.em).toEqual([sha256('e2e.buyer@example.com')]);
  expect(purchase.user_data.sc_click_id).toBe('e2e-click');
  expect(purchase.user_data.sc_cookie1).toBe(scid);
  expect(purchase.user_data.client_ip_address).toBe('127.0.0.1');
  expect(purchase.user_data.client_user_agent).toBe(await page.evaluate(() => navigator.userAgent));
  expect(purchase.custom_data).toMatchObject({
    currency: 'USD',
    value: 89.99,
    order_id: orderCompleted!.properties.order_id,
    content_ids: ['SKU-1'],
    num_items: 1,
  });
  expect(purchase.event_source_url).toBe(`${datafirst.url}/checkout.html`);
});

test("the debugger and the admin API show each event with the payload sent and Snapchat's answer", async ({ page }) => {
  await page.goto(`${datafirst.url}/product.html?id=SKU-2&ScCid=debug-click`);
  await expect
    .poll(async () =>
      (await datafirst.mockEvents()).some(
        (e) => e.event.event_name === 'VIEW_CONTENT' && e.event.user_data.sc_click_id === 'debug-click',
      ),
    )
    .toBe(true);

  const { events } = await datafirst.admin<{ events: any[] }>('/v1/admin/events?limit=50');
  const viewed = events.find((e) => e.message.event === 'Product Viewed' && e.message.properties.product_id === 'SKU-2');
  expect(viewed.deliveries).toHaveLength(1);
  await expect
    .poll(async () => {
      const latest = await datafirst.admin<{ events: any[] }>('/v1/admin/events?limit=50');
      return latest.events.find((e) => e.id === viewed.id).deliveries[0].status;
    })
    .toBe('delivered');
  const { events: after } = await datafirst.admin<{ events: any[] }>('/v1/admin/events?limit=50');
  const delivery = after.find((e) => e.id === viewed.id).deliveries[0];
  expect(delivery.payload.event.event_name).toBe('VIEW_CONTENT');
  expect(delivery.payload.url).not.toContain('demo-token');
  expect(delivery.response).toEqual({
    status: 200,
    body: { status: 'VALID', reason: 'Events have been processed successfully.' },
  });

  await page.goto(`${datafirst.adminUrl}/debugger`);
  await page.fill('#token', 'e2e-admin-token-of-24-characters');
  await page.click('button[type=submit]');
  const row = page.locator(`details[data-event-id="${viewed.id}"]`);
  await expect(row).toContainText('Product Viewed');
  await expect(row).toContainText('delivered');
  await row.locator('summary').click();
  await expect(row).toContainText('"event_name": "VIEW_CONTENT"');
  await expect(row).toContainText('Events have been processed successfully.');
});
