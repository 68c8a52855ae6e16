import { expect, test } from '@playwright/test';
import { adminBase } from './support/admin.js';
import { ADMIN_TOKEN, startDatafirst, WRITE_KEY, type DatafirstProcess } from './support/datafirst.js';

// A marketer maps the checkout's `grand_total` to Snapchat's value in the integration editor of
// real Chromium, sees the preview change for the latest real order, saves, and the next order
// reaches the Snapchat mock with that value.

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

/** A server-side order as a checkout sends it: its total is called grand_total. */
async function sendOrder(messageId: string): Promise<void> {
  const res = await fetch(`${datafirst.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      writeKey: WRITE_KEY,
      batch: [
        {
          type: 'track',
          event: 'Order Completed',
          messageId,
          anonymousId: 'anon-e2e',
          properties: { grand_total: '72.50', currency: 'GBP' },
          context: { page: { url: 'https://shop.example.com/thanks' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
}

test('a marketer maps grand_total to the value, sees the preview, saves, and the next order is sent with it', async ({
  page,
}) => {
  await sendOrder('order-unmapped');
  const { integrations } = await datafirst.admin<{ integrations: { id: string }[] }>('/v1/admin/integrations');
  await page.goto(`${adminBase(datafirst)}/admin/#/integrations/${integrations[0]!.id}`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await page.getByLabel('Event data for').selectOption('Order Completed');
  const preview = page.getByLabel('Payload preview');
  await expect(page.getByRole('status').filter({ hasText: 'order-unmapped' })).toContainText('not sent');
  await page.getByLabel('Source of custom_data.value').selectOption('path');
  await page.getByLabel('Value of custom_data.value').fill('properties.grand_total');
  await expect(preview).toContainText('"value": 72.5');
  await page.getByLabel('Source of custom_data.content_type').selectOption('value');
  await page.getByLabel('Value of custom_data.content_type').fill('product');
  await expect(preview).toContainText('"content_type": "product"');

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Integration saved.')).toBeVisible();

  await sendOrder('order-mapped');
  await expect
    .poll(async () => (await datafirst.mockEvents()).find((e) => e.event.event_id === 'order-mapped')?.event.custom_data, {
      timeout: 15_000,
    })
    .toEqual({ currency: 'GBP', value: 72.5, content_type: 'product' });
});
