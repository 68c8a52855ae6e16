import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { adminCall, signInTo } from './support/admin.js';
import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';

// The smart-link pages as an operator uses them: create a link picking the demo pixel by name,
// copy its URL, follow it as a fan, send the postback the offer network would, and see the click
// and its conversion on the link's page.

let offer: Server;
let offerUrl: string;
let datafirst: DatafirstProcess;

test.beforeAll(async () => {
  offer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Offer</title><h1>Creator offer</h1>');
  });
  await new Promise<void>((resolve) => offer.listen(0, '127.0.0.1', resolve));
  offerUrl = `http://127.0.0.1:${(offer.address() as AddressInfo).port}`;
  datafirst = await startDatafirst();
});

test.afterAll(async () => {
  await datafirst?.stop();
  await new Promise((resolve) => offer?.close(resolve));
});

test('an operator creates a smart link by pixel name, copies it, and sees a fan’s click and its postback conversion', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const { integrations } = await adminCall<{ integrations: { id: string; name: string }[] }>(datafirst, 'GET', 'integrations');
  const pixel = integrations[0]!;

  await signInTo(page, datafirst, '#/links');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Smart links');
  await page.getByRole('link', { name: 'New smart link' }).click();

  // A wrong destination is reported beside its field, in words.
  await page.getByLabel('Name').fill('Spring campaign');
  await page.getByLabel('Destination URL').fill('not a url');
  await page.getByLabel(`${pixel.name} (`).check();
  await page.getByRole('button', { name: 'Create smart link' }).click();
  const destination = page.getByLabel('Destination URL');
  await expect(destination).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toHaveCount(1);
  await expect(page.locator('.field-error')).toContainText('Destination URL:');
  await page.screenshot({ path: test.info().outputPath('link-form-error.png'), fullPage: true });

  await destination.fill(`${offerUrl}/landing?aff=7`);
  await page.getByRole('button', { name: 'Create smart link' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spring campaign');

  // The link URL, copied as the operator would.
  const linkUrlField = page.getByLabel('Link URL');
  const linkUrl = await linkUrlField.inputValue();
  expect(linkUrl).toMatch(new RegExp(`^${datafirst.url}/go/[\\w-]+$`));
  await linkUrlField.locator('..').getByRole('button', { name: 'Copy' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(linkUrl);

  // The postback URL with a fresh key of the source.
  await page.getByRole('button', { name: 'Make a postback key' }).click();
  const postbackTemplate = await page.getByLabel('Postback URL').inputValue();
  expect(postbackTemplate).toMatch(/\/v1\/postback\?key=[^&]+&click_id=\{click_id\}&event=\{event\}/);

  // A fan follows the link in a browser (a bot-looking client would not be counted).
  const fan = await context.newPage();
  await fan.goto(`${linkUrl}?ScCid=sc-pages-1`);
  await fan.waitForURL(`${offerUrl}/landing?**`);
  const clickId = new URL(fan.url()).searchParams.get('df_click_id')!;
  expect(clickId).toMatch(/^[A-Za-z0-9]{16}$/);
  await fan.close();

  // The offer network fills the template's macros and calls it.
  const postback = postbackTemplate
    .replace('{click_id}', clickId)
    .replace('{event}', 'sale')
    .replace('{value}', '19.99')
    .replace('{currency}', 'USD')
    .replace('{txid}', 'tx-pages-1');
  expect((await fetch(postback)).status).toBe(200);

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Spring campaign');
  const totals = page.getByRole('definition');
  await expect(totals.filter({ hasText: /^1$/ })).toHaveCount(2); // one click, one purchase
  await expect(page.getByText('19.99 USD').first()).toBeVisible();
  const click = page.locator(`details.click[data-click-id="${clickId}"]`);
  await expect(click).toContainText('sc-pages-1');
  await click.locator('summary').click();
  const conversion = click.locator('tbody tr');
  await expect(conversion).toHaveCount(1);
  await expect(conversion).toContainText('purchase');
  await expect(conversion).toContainText('19.99 USD');
  await expect(conversion).toContainText('tx-pages-1');
  await page.screenshot({ path: test.info().outputPath('link-detail.png'), fullPage: true });

  // A new postback key would cut off every offer network holding this one: the page asks first.
  await page.getByRole('button', { name: 'Make a new postback key' }).click();
  const replace = page.getByRole('dialog', { name: 'Make a new postback key?' });
  await expect(replace).toContainText('The current key stops working at once');
  await replace.getByRole('button', { name: 'Cancel' }).click();
  await expect(replace).toBeHidden();
  // The key still works: the same sale again is acknowledged (and counted once).
  expect((await fetch(postback)).status).toBe(200);

  // A test event reaches the pixel (the built-in mock).
  await page.getByRole('button', { name: 'Send test event' }).click();
  await expect(page.locator('.test-result')).toContainText(`Sent as Snapchat VIEW_CONTENT to 1 pixel(s):`);
  await expect(page.locator('.test-result li')).toContainText(pixel.name);

  // The list shows the totals.
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Smart links' }).click();
  const row = page.locator('tbody tr', { hasText: 'Spring campaign' });
  await expect(row.locator('td').nth(2)).toHaveText('1'); // clicks
  await expect(row.locator('td').nth(4)).toHaveText('1'); // purchases
  await expect(row.locator('td').nth(5)).toHaveText('19.99 USD');
  await page.screenshot({ path: test.info().outputPath('links-list.png'), fullPage: true });
});
