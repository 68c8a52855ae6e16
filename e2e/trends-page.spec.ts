import { expect, test } from '@playwright/test';
import { adminCall, signInTo } from './support/admin.js';
import { startDatafirst, WRITE_KEY, type DatafirstProcess } from './support/datafirst.js';

// Trends as an operator reads them at the end of a day: what was delivered, skipped and failed,
// and what the delivered purchases were worth, per currency.

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

const CONTEXT = { page: { url: 'https://shop.example.com/thanks' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };
const order = (messageId: string, properties: Record<string, unknown>) => ({
  type: 'track',
  event: 'Order Completed',
  messageId,
  anonymousId: 'anon-trends',
  properties,
  context: CONTEXT,
});

test("an operator opens Trends after a day's sales and sees the day's counts and revenue per currency", async ({ page }) => {
  const res = await fetch(`${datafirst.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      writeKey: WRITE_KEY,
      batch: [
        order('trend-1', { revenue: 19.99, currency: 'EUR' }),
        order('trend-2', { revenue: 39.98, currency: 'EUR' }),
        order('trend-3', { revenue: 12.5, currency: 'USD' }),
        // No value: a PURCHASE Snapchat would refuse, so it fails for good.
        order('trend-4', { currency: 'EUR' }),
        { type: 'page', messageId: 'trend-page', anonymousId: 'anon-trends', context: CONTEXT },
        { type: 'track', event: 'Video Played', messageId: 'trend-unmapped', anonymousId: 'anon-trends', context: CONTEXT },
      ],
    }),
  });
  expect(res.status).toBe(200);
  type Listed = { received_at: string; deliveries: { status: string }[] };
  let listed: Listed[] = [];
  await expect
    .poll(
      async () => {
        listed = (await adminCall<{ events: Listed[] }>(datafirst, 'GET', 'events?limit=100')).events;
        return listed.length === 6 && listed.every((e) => e.deliveries.every((d) => d.status !== 'pending'));
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  const day = listed[0]!.received_at.slice(0, 10);

  await signInTo(page, datafirst, '#/trends');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Trends');
  const stat = (label: string) => page.locator('.stat', { has: page.locator('dt', { hasText: label }) }).locator('.value');
  await expect(stat('Delivered')).toHaveText('4');
  await expect(stat('Skipped')).toHaveText('1');
  await expect(stat('Failed')).toHaveText('1');
  await expect(stat('Purchases')).toHaveText('3');
  await expect(stat('Revenue')).toHaveText('59.97 EUR · 12.50 USD');

  // The day's row of the per-day table, and the pixel's row of the per-integration table.
  const today = page
    .getByRole('region', { name: 'Per day' })
    .locator('tbody tr', { has: page.locator(`time[datetime="${day}"]`) });
  await expect(today.locator('td')).toHaveText(['4', '1', '1', '3', '59.97 EUR · 12.50 USD']);
  const pixel = page.getByRole('region', { name: 'Per integration' }).locator('tbody tr');
  await expect(pixel).toHaveCount(1);
  await expect(pixel.locator('th')).toHaveText('Snapchat (demo mock)');
  await expect(pixel.locator('td')).toHaveText(['4', '1', '1', '3', '59.97 EUR · 12.50 USD']);
  // The chart has a bar for the day: its delivered part says so on hover.
  await expect(page.locator('figure.chart svg rect.delivered title')).toHaveCount(1);

  await page.getByLabel('Window').selectOption({ label: 'Last 7 days' });
  await expect(page).toHaveURL(/days=7/);
  await expect(page.getByRole('region', { name: 'Per day' }).locator('tbody tr')).toHaveCount(7);
});
