import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { adminBase } from './support/admin.js';
import { ADMIN_TOKEN, startDatafirst, type DatafirstProcess, type MockEvent } from './support/datafirst.js';

// The offer a smart link points to lives on another site: a page that shows the parameters it
// received, and remembers each request, as an offer network's landing page would.
let offer: Server;
let offerUrl: string;
const offerRequests: string[] = [];
let datafirst: DatafirstProcess;

test.beforeAll(async () => {
  offer = createServer((req, res) => {
    offerRequests.push(req.url ?? '');
    const params = [...new URL(req.url ?? '/', 'http://offer.invalid').searchParams];
    const rows = params.map(([name, value]) => `<li data-name="${escape(name)}">${escape(value)}</li>`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Offer</title><h1>Creator offer</h1><ul id="params">${rows}</ul>`);
  });
  await new Promise<void>((resolve) => offer.listen(0, '127.0.0.1', resolve));
  offerUrl = `http://127.0.0.1:${(offer.address() as AddressInfo).port}`;
  datafirst = await startDatafirst();
});

test.afterAll(async () => {
  await datafirst?.stop();
  await new Promise((resolve) => offer?.close(resolve));
});

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function adminPost<T = any>(path: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${adminBase(datafirst)}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function mockEvent(eventId: string): Promise<MockEvent> {
  let found: MockEvent | undefined;
  await expect
    .poll(async () => (found = (await datafirst.mockEvents()).find((e) => e.event.event_id === eventId)) !== undefined, {
      timeout: 20_000,
    })
    .toBe(true);
  return found!;
}

test('a fan following a smart link with ?ScCid=…&utm_source=snap lands on the offer with every parameter plus the click id', async ({
  page,
}) => {
  const { integrations } = await datafirst.admin<{
    integrations: { id: string; source_id: string; config: { pixel_id: string } }[];
  }>('/v1/admin/integrations');
  const pixel = integrations[0]!;
  const link = await adminPost<{ id: string; url: string }>('/v1/admin/links', {
    name: 'E2E Snap campaign',
    destination_url: `${offerUrl}/landing?aff=42`,
    offer_type: 'free_trial',
    integrations: [pixel.id],
  });

  await page.goto(`${link.url}?ScCid=e2e-sc-1&utm_source=snap`);
  await page.waitForURL(`${offerUrl}/landing?**`);
  await expect(page.locator('h1')).toHaveText('Creator offer');

  const landed = new URL(page.url());
  const clickId = landed.searchParams.get('df_click_id');
  expect(clickId).toMatch(/^[A-Za-z0-9]{16}$/);
  expect([...landed.searchParams]).toEqual([
    ['aff', '42'],
    ['ScCid', 'e2e-sc-1'],
    ['utm_source', 'snap'],
    ['df_click_id', clickId],
  ]);
  // What the destination received, as its own page shows it.
  const shown = await page
    .locator('#params li')
    .evaluateAll((items) => items.map((li) => [li.getAttribute('data-name'), li.textContent]));
  expect(shown).toEqual([...landed.searchParams]);
  expect(offerRequests).toContain(`/landing?aff=42&ScCid=e2e-sc-1&utm_source=snap&df_click_id=${clickId}`);

  // The click reached Snapchat as VIEW_CONTENT, matched on the browser's own user agent and the ad's click id.
  const userAgent = await page.evaluate(() => navigator.userAgent);
  const viewed = await mockEvent(`click:${clickId}`);
  expect(viewed.assetId).toBe(pixel.config.pixel_id);
  expect(viewed.event).toMatchObject({
    event_name: 'VIEW_CONTENT',
    event_source_url: `${link.url}?ScCid=e2e-sc-1&utm_source=snap`,
    user_data: { client_ip_address: '127.0.0.1', client_user_agent: userAgent, sc_click_id: 'e2e-sc-1' },
  });

  // The offer network reports a sale for that click: Snapchat gets a PURCHASE with the same identifiers.
  const { postback_key: key } = await adminPost(`/v1/admin/sources/${pixel.source_id}/postback-key`);
  const res = await fetch(
    `${datafirst.url}/v1/postback?key=${key}&click_id=${clickId}&event=sale&value=24.99&currency=USD&txid=e2e-tx-1`,
  );
  expect(res.status).toBe(200);
  const purchase = await mockEvent('pb:e2e-tx-1');
  expect(purchase.event).toMatchObject({
    event_name: 'PURCHASE',
    event_source_url: landed.href,
    user_data: { client_user_agent: userAgent, sc_click_id: 'e2e-sc-1' },
    custom_data: { currency: 'USD', value: 24.99, order_id: 'e2e-tx-1' },
  });
});

test('an unknown smart link shows a plain "Link not found" page and goes nowhere', async ({ page }) => {
  const response = await page.goto(`${datafirst.url}/go/NoSuchLink42?ScCid=x&url=${encodeURIComponent(offerUrl)}`);
  expect(response?.status()).toBe(404);
  expect(page.url()).toBe(`${datafirst.url}/go/NoSuchLink42?ScCid=x&url=${encodeURIComponent(offerUrl)}`);
  await expect(page.locator('h1')).toHaveText('Link not found');
});
