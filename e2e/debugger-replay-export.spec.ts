import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { adminCall, signInTo } from './support/admin.js';
import { startDatafirst, WRITE_KEY, type DatafirstProcess } from './support/datafirst.js';

// The debugger and delivery health as an operator uses them after a bad day: find the orders,
// see which Snapchat event each became, send a failed one again, export what the list shows, and
// see parked deliveries apart from failures, with what fixes them.

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

const CONTEXT = { page: { url: 'https://shop.example.com/thanks' }, ip: '203.0.113.7', userAgent: 'Mozilla/5.0' };

async function send(batch: Record<string, unknown>[]): Promise<void> {
  const res = await fetch(`${datafirst.url}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ writeKey: WRITE_KEY, batch }),
  });
  expect(res.status).toBe(200);
}

interface ListedEvent {
  id: number;
  name: string;
  deliveries: { id: number; status: string; attempts: number }[];
}

async function eventByMessageId(messageId: string): Promise<ListedEvent> {
  const { events } = await adminCall<{ events: (ListedEvent & { message: { messageId: string } })[] }>(
    datafirst,
    'GET',
    'events?limit=100',
  );
  const found = events.find((e) => e.message.messageId === messageId);
  if (!found) throw new Error(`no event ${messageId}`);
  return found;
}

test('an operator filters the orders, sees their Snapchat names, sends a failed one again and exports the list', async ({
  page,
}) => {
  await send([
    { type: 'page', messageId: 'dbg-page-1', anonymousId: 'anon-1', context: CONTEXT },
    {
      type: 'track',
      event: 'Order Completed',
      messageId: 'dbg-order-ok',
      anonymousId: 'anon-1',
      properties: { revenue: 30, currency: 'EUR' },
      context: CONTEXT,
    },
    // No value: the destination cannot build a PURCHASE, so it fails for good.
    {
      type: 'track',
      event: 'Order Completed',
      messageId: 'dbg-order-bad',
      anonymousId: 'anon-1',
      properties: { currency: 'EUR' },
      context: CONTEXT,
    },
  ]);
  await expect
    .poll(async () => (await eventByMessageId('dbg-order-bad')).deliveries[0]?.status, { timeout: 15_000 })
    .toBe('failed');
  await expect
    .poll(async () => (await eventByMessageId('dbg-order-ok')).deliveries[0]?.status, { timeout: 15_000 })
    .toBe('delivered');

  await signInTo(page, datafirst, '#/debugger');
  const cards = page.locator('#events details.event');
  await expect(cards).toHaveCount(3);
  // The site's event name, and beside it the Snapchat event it was sent as.
  const pageView = page.locator('#events details.event').filter({ has: page.locator('summary .name', { hasText: /^page$/ }) });
  await expect(pageView.locator('summary .destination-name')).toHaveText('→ PAGE_VIEW');
  const delivered = await eventByMessageId('dbg-order-ok');
  const deliveredSummary = page.locator(`details[data-event-id="${delivered.id}"] summary`);
  await expect(deliveredSummary.locator('.name')).toHaveText('Order Completed');
  await expect(deliveredSummary.locator('.destination-name')).toHaveText('→ PURCHASE');

  await page.getByLabel('Event name').fill('Order Completed');
  await expect(cards).toHaveCount(2);
  await expect(page).toHaveURL(/name=Order\+Completed/);

  // The failed order, sent again from its row.
  const failed = await eventByMessageId('dbg-order-bad');
  const failedCard = page.locator(`details[data-event-id="${failed.id}"]`);
  await failedCard.locator('summary').click();
  await page.screenshot({ path: test.info().outputPath('debugger.png'), fullPage: true });
  await failedCard.getByRole('button', { name: 'Send again' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Queued again for' })).toBeVisible();
  await expect.poll(async () => (await eventByMessageId('dbg-order-bad')).deliveries[0]?.attempts, { timeout: 15_000 }).toBe(2);

  // The export is what the list shows: the two orders, newest first.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export as JSON' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as { filters: { name: string }; events: ListedEvent[] };
  expect(exported.filters.name).toBe('Order Completed');
  expect(exported.events.map((e) => e.id)).toEqual([failed.id, delivered.id]);
  expect(exported.events.map((e) => e.name)).toEqual(['Order Completed', 'Order Completed']);
});

test('delivery health shows parked deliveries apart from failures, with what fixes them', async ({ page }) => {
  // No page URL: Snapchat needs one for web events, so the delivery is parked until it is given.
  await send([
    {
      type: 'track',
      event: 'Product Viewed',
      messageId: 'health-parked-1',
      anonymousId: 'anon-2',
      context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0' },
    },
  ]);
  await expect
    .poll(async () => (await eventByMessageId('health-parked-1')).deliveries[0]?.status, { timeout: 15_000 })
    .toBe('blocked');
  const { reason_codes: codes } = await adminCall<{ reason_codes: { code: string; fix: string | null }[] }>(
    datafirst,
    'GET',
    'reason-codes',
  );
  const fix = codes.find((c) => c.code === 'missing_event_source_url')!.fix!;

  await signInTo(page, datafirst, '#/health');
  const parked = page.getByRole('region', { name: /^Parked deliveries/ });
  await expect(parked.getByRole('heading')).toHaveText('Parked deliveries (1)');
  const row = parked.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('td.fix')).toHaveText(fix);
  await expect(page.locator('.stat', { hasText: 'Parked' }).locator('.value')).toHaveText('1');
  await page.screenshot({ path: test.info().outputPath('health.png'), fullPage: true });
});
