import { expect, test, type Page, type Response } from '@playwright/test';
import { ADMIN_TOKEN, startDatafirst, type DatafirstProcess } from './support/datafirst.js';

// The admin UI in real Chromium against a real `datafirst start` (demo mode: deliveries go to the
// built-in Snapchat mock). One operator's afternoon: sign in, add a source and a pixel, map an
// event, test it, then watch a page's events arrive live, with the access token never shown.

const PIXEL_ID = '3a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ACCESS_TOKEN = 'e2e-capi-token-9f8e7d6c5b4a-SECRET';

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  // Debug logging, so the check that no secret reaches the logs sees everything that is logged.
  datafirst = await startDatafirst({ env: { LOG_LEVEL: 'debug' } });
});
test.afterAll(async () => {
  await datafirst?.stop();
});

/** Every admin API answer the page received (the live stream never ends, so it is left out). */
function recordAdminAnswers(page: Page): () => Promise<string[]> {
  const responses: Response[] = [];
  page.on('response', (response) => {
    if (response.url().includes('/v1/admin/') && !response.url().includes('/events/stream')) responses.push(response);
  });
  return () => Promise.all(responses.map((response) => response.text().catch(() => '')));
}

/** Fails on any Content-Security-Policy violation or script error: the UI must run under its own CSP. */
function failOnPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
  });
  return problems;
}

/** Everything a page shows or holds: its markup and the values of its fields. */
async function everythingOn(page: Page): Promise<string> {
  const values = await page.evaluate(() =>
    [...document.querySelectorAll('input, textarea, select')].map((el) => (el as HTMLInputElement).value),
  );
  return `${await page.content()}\n${values.join('\n')}`;
}

async function signIn(page: Page, route = '#/sources') {
  await page.goto(`${datafirst.adminUrl}/admin/${route}`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Admin' })).toBeVisible();
}

test("an operator sets up a pixel, tests it, and watches a page's event arrive in the debugger as delivered without reloading", async ({
  page,
  context,
}) => {
  const problems = failOnPageErrors(page);
  const adminAnswers = recordAdminAnswers(page);
  let writeKey = '';
  let snippet = '';

  await test.step('sign in with the admin token', async () => {
    await page.goto(`${datafirst.adminUrl}/admin/`);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('That admin token was not accepted.');
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sources');
  });

  await test.step('create a source and copy its write key, shown once', async () => {
    await page.getByLabel('Name', { exact: true }).fill('E2E shop');
    await page.getByRole('button', { name: 'Create source' }).click();
    const panel = page.locator('section.new-key');
    await expect(panel.getByRole('heading')).toHaveText('Write key for “E2E shop”');
    writeKey = await panel.getByLabel('Write key of E2E shop', { exact: true }).inputValue();
    expect(writeKey).toMatch(/^wk_[\w-]{24}$/);
    snippet = await panel.getByLabel('Snippet').inputValue();
    expect(snippet).toContain(writeKey);
    await panel.getByRole('button', { name: 'I have saved it' }).click();
    await expect(panel).toHaveCount(0);
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'E2E shop' }) });
    await expect(row.locator('code.masked')).toHaveText(`****${writeKey.slice(-4)}`);
    expect(await everythingOn(page)).not.toContain(writeKey);
  });

  await test.step('create a Snapchat integration and map "Video Played" to CUSTOM_EVENT_1', async () => {
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('link', { name: 'New integration' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('New integration');
    await page.getByLabel('Source', { exact: true }).selectOption({ label: 'E2E shop' });
    await page.getByLabel('Name', { exact: true }).fill('E2E pixel');
    await page.getByLabel('Pixel ID').fill('not-a-uuid');
    await page.getByLabel('Access token').fill(ACCESS_TOKEN);
    await page.getByLabel('Your event name').fill('Video Played');
    await page.getByLabel('Snapchat event', { exact: true }).selectOption('CUSTOM_EVENT_1');
    await page.getByRole('button', { name: 'Add mapping' }).click();
    await expect(page.getByLabel('Snapchat event for Video Played')).toHaveValue('CUSTOM_EVENT_1');
    // The server refuses a pixel id of the wrong shape and says why, next to the field.
    await page.getByRole('button', { name: 'Create integration' }).click();
    await expect(page.locator('.errors')).toContainText('config.pixel_id: must be a UUID');
    await expect(page.getByLabel('Pixel ID')).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Pixel ID').fill(PIXEL_ID);
    await page.getByRole('button', { name: 'Create integration' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Integrations');
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'E2E pixel' }) });
    await expect(row).toContainText(PIXEL_ID);
    await expect(row.locator('code.masked')).toHaveText('****CRET');
  });

  await test.step("send a test event and see the mock's answer", async () => {
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'E2E pixel' }) });
    await row.getByRole('link', { name: 'Send test event' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Send test event');
    await page.getByLabel('Test event code').fill('E2E42');
    await page.getByRole('button', { name: 'Send test event' }).click();
    const result = page.locator('section.result');
    await expect(result.getByRole('heading', { name: 'Snapchat’s answer' })).toBeVisible();
    await expect(result.locator('.badge')).toHaveText('Valid');
    await expect(result.locator('.answer-summary')).toHaveText(/^HTTP 200, VALID/);
    await expect(result).toContainText(`/v3/${PIXEL_ID}/events/validate?access_token=***`);
    await expect(result).toContainText('"test_event_code": "E2E42"');
    await expect(result).toContainText('"test_event": true');
    const tested = (await datafirst.mockEvents()).filter((e) => e.test && e.assetId === PIXEL_ID);
    expect(tested.map((e) => e.event.test_event_code)).toEqual(['E2E42']);
  });

  await test.step('a page with the snippet tracks "Video Played", and the debugger shows it arrive and get delivered live', async () => {
    await page.getByRole('link', { name: 'Live debugger' }).click();
    await page.getByLabel('Source', { exact: true }).selectOption({ label: 'E2E shop' });
    await expect(page.locator('.live-status')).toHaveText(/^Live/);
    // Proof that nothing reloads: a value set on this window must survive until the end.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const site = await context.newPage();
    await site.route(`${datafirst.url}/e2e-landing.html*`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><head>${snippet}</head><body><button id="play" onclick="_df.track('Video Played', { video: 'intro' })">Play</button></body></html>`,
      }),
    );
    await site.goto(`${datafirst.url}/e2e-landing.html?ScCid=e2e-admin-click`);
    await site.click('#play');

    const card = page.locator('details.event', { hasText: 'Video Played' });
    await expect(card).toHaveCount(1, { timeout: 20_000 });
    await expect(card.locator('summary')).toContainText('E2E pixel: delivered', { timeout: 20_000 });
    await card.locator('summary').click();
    await expect(card).toContainText('"event_name": "CUSTOM_EVENT_1"');
    await expect(card).toContainText('"sc_click_id": "e2e-admin-click"');
    await expect(card).toContainText('Events have been processed successfully.');
    await expect(card.locator('ul.ids li.yes')).toContainText([
      'Snapchat click id (ScCid)',
      '_scid cookie',
      'IP address + user agent',
    ]);
    // The page view the snippet sent arrived too, as PAGE_VIEW.
    const pageView = page.locator('details.event').filter({ has: page.locator('summary .name', { hasText: /^page$/ }) });
    await expect(pageView.locator('summary')).toContainText('E2E pixel: delivered');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await site.close();
  });

  await test.step('the access token stays masked on every page and in every answer', async () => {
    for (const route of ['#/sources', '#/integrations', '#/test', '#/debugger', '#/match-quality', '#/health']) {
      await page.goto(`${datafirst.adminUrl}/admin/${route}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.waitForTimeout(700); // let the page's data arrive (the debugger's stream never goes idle)
      const shown = await everythingOn(page);
      expect(shown, route).not.toContain(ACCESS_TOKEN);
      expect(shown, route).not.toContain(writeKey);
    }
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('link', { name: 'E2E pixel' }).click();
    await expect(page.getByLabel('Access token')).toHaveValue('');
    await expect(page.getByLabel('Access token')).toHaveAttribute('placeholder', 'Saved (****CRET). Leave empty to keep it.');
    expect(await everythingOn(page)).not.toContain(ACCESS_TOKEN);
    const answers = await adminAnswers();
    expect(answers.length).toBeGreaterThan(10);
    for (const answer of answers) expect(answer).not.toContain(ACCESS_TOKEN);
    // Nor is either secret ever logged.
    expect(datafirst.output()).toContain('"level":20');
    expect(datafirst.output()).not.toContain(ACCESS_TOKEN);
    expect(datafirst.output()).not.toContain(writeKey);
  });

  expect(problems).toEqual([]);
});

test('match quality and delivery health show what the worker did', async ({ page }) => {
  const problems = failOnPageErrors(page);
  // Traffic from the demo shop: a click id, the _scid cookie and the browser's IP and user agent.
  const shop = await page.context().newPage();
  await shop.goto(`${datafirst.url}/product.html?id=SKU-3&ScCid=e2e-health-click`);
  await expect
    .poll(async () => (await datafirst.mockEvents()).some((e) => e.event.user_data?.sc_click_id === 'e2e-health-click'))
    .toBe(true);
  await shop.close();

  await signIn(page, '#/match-quality');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Match quality');
  const demo = page.locator('section.card', { has: page.getByRole('heading', { name: /Snapchat \(demo mock\)/ }) });
  const clickRow = demo.locator('tr[data-identifier="click_id"]');
  await expect(clickRow.locator('td').first()).toContainText('%');
  await expect(demo.locator('tr[data-identifier="ip_user_agent"] td').first()).toContainText('100%');
  await expect(page.getByRole('heading', { name: 'Latest events' })).toBeVisible();

  await page.getByRole('link', { name: 'Delivery health' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Delivery health');
  const delivered = page.locator('.stat', { hasText: 'Delivered' }).locator('.value');
  await expect(delivered).not.toHaveText('0');
  await expect(page.getByRole('img', { name: /Bar chart of delivered, retried and failed tries per minute/ })).toBeVisible();
  await expect(page.locator('figure.chart rect.delivered').first()).toBeVisible();
  await expect(page.locator('.stat', { hasText: 'Backlog' }).locator('.value')).toHaveText('0', { timeout: 15_000 });
  expect(problems).toEqual([]);
});

test('rotating a write key shows the new key once; marking it server-side, renaming and deleting a source ask first', async ({
  page,
}) => {
  await signIn(page);
  await page.getByLabel('Name', { exact: true }).fill('Rotate me');
  await page.getByRole('button', { name: 'Create source' }).click();
  const oldKey = await page.getByLabel('Write key of Rotate me', { exact: true }).inputValue();
  await page.getByRole('button', { name: 'I have saved it' }).click();

  await page.getByRole('button', { name: 'Rotate the write key of Rotate me' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate the write key of “Rotate me”' });
  await expect(dialog.getByLabel('Keep the old key working for')).toHaveValue('86400');
  await dialog.getByRole('button', { name: 'Rotate key' }).click();
  const newKey = await page.getByLabel('Write key of Rotate me', { exact: true }).inputValue();
  expect(newKey).not.toBe(oldKey);
  await expect(page.locator('section.new-key')).toContainText('The old key works until');
  // Both keys are accepted during the grace period.
  for (const key of [oldKey, newKey]) {
    const res = await fetch(`${datafirst.url}/v1/track`, {
      method: 'POST',
      body: JSON.stringify({ writeKey: key, event: 'Signed Up', anonymousId: 'a' }),
    });
    expect(res.status).toBe(200);
  }
  await page.getByRole('button', { name: 'I have saved it' }).click();
  await expect(page.locator('tr', { hasText: 'Rotate me' })).toContainText('The previous key works until');

  // A backend's source: marked server-side after a warning, and back.
  const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'Rotate me' }) });
  await expect(row.locator('td.source-kind')).toContainText('Browser');
  await page.getByRole('button', { name: 'Make Rotate me server-side' }).click();
  const kind = page.getByRole('dialog', { name: 'Make “Rotate me” server-side?' });
  await expect(kind).toContainText('never goes into a page');
  await kind.getByRole('button', { name: 'Make server-side' }).click();
  await expect(row.locator('td.source-kind')).toContainText('Server-side');
  await page.getByRole('button', { name: 'Make Rotate me a browser source' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Make browser source' }).click();
  await expect(row.locator('td.source-kind')).toContainText('Browser');

  await page.getByRole('button', { name: 'Rename Rotate me' }).click();
  await page.getByRole('dialog').getByLabel('New name').fill('Rotated');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('rowheader', { name: 'Rotated' })).toBeVisible();

  await page.getByRole('button', { name: 'Delete Rotated' }).click();
  await page.getByRole('dialog', { name: 'Delete “Rotated”?' }).getByRole('button', { name: 'Delete source' }).click();
  await expect(page.getByRole('rowheader', { name: 'Rotated' })).toHaveCount(0);
  const refused = await fetch(`${datafirst.url}/v1/track`, {
    method: 'POST',
    body: JSON.stringify({ writeKey: newKey, event: 'Signed Up', anonymousId: 'a' }),
  });
  expect(refused.status).toBe(401);
});

test('signing out ends the session: the live debugger stops and the sign-in page comes back', async ({ page }) => {
  await signIn(page, '#/debugger');
  await expect(page.locator('.live-status')).toHaveText(/^Live/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Datafirst');
  await expect(page.getByRole('status').first()).toContainText('You are signed out.');
  await expect(page.getByRole('navigation', { name: 'Admin' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
  await page.reload();
  await expect(page.getByLabel('Admin token')).toBeVisible();
  const cookies = await page.context().cookies();
  expect(cookies.find((cookie) => cookie.name === 'df_admin')).toBeUndefined();
});

test('signing out in another tab brings the sign-in page to the live debugger, which stops saying "Live"', async ({
  page,
  context,
}) => {
  await signIn(page, '#/debugger');
  await expect(page.locator('.live-status')).toHaveText(/^Live/);
  const other = await context.newPage();
  await other.goto(`${datafirst.adminUrl}/admin/#/sources`);
  await other.getByRole('button', { name: 'Sign out' }).click();
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Sign in to Datafirst');
  // The debugger's stream ends with signed-out: its tab shows the sign-in page on its own.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in to Datafirst');
  await expect(page.getByRole('status').first()).toContainText('Your session ended');
  await other.close();
});

test('signing out while the collector does not answer says so and keeps the session', async ({ page }) => {
  await signIn(page, '#/sources');
  await page.route('**/v1/admin/session', (route) => (route.request().method() === 'DELETE' ? route.abort() : route.continue()));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('#toast')).toContainText('Not signed out: Datafirst did not answer');
  await expect(page.getByRole('navigation', { name: 'Admin' })).toBeVisible();
  await page.unroute('**/v1/admin/session');
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Admin' })).toBeVisible();
});
