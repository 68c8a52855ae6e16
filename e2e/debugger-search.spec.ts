import { expect, test, type Browser } from '@playwright/test';
import { adminCall, signInTo } from './support/admin.js';
import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';
import { queueDrained } from './support/tag-page.js';

// An operator's question after a sale: "where are this customer's events?" The debugger finds
// them by the email the customer typed at checkout (compared by its hash) and by the ad click
// (ScCid) they came from.

let datafirst: DatafirstProcess;
test.beforeAll(async () => {
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
});

interface ListedEvent {
  id: number;
  name: string;
  message: { messageId: string; anonymousId?: string };
}

const events = async (query: string) =>
  (await adminCall<{ events: ListedEvent[] }>(datafirst, 'GET', `events?${query}&limit=500`)).events;

/** A visitor of the demo shop from an ad click; with an email, they buy. */
async function visit(browser: Browser, clickId: string, email?: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${datafirst.url}/?ScCid=${clickId}`);
  await page.click('a[data-product="SKU-1"]');
  await expect(page.locator('#name')).toHaveText('Trail running shoes');
  if (email) {
    await page.click('#add');
    await page.waitForURL('**/cart.html');
    await page.click('#checkout');
    await page.waitForURL('**/checkout.html');
    await page.fill('#email', email);
    await page.click('#buy');
    await page.waitForURL('**/thanks.html**');
  }
  // Every event the tag queued is stored before the visitor leaves, so the lists below are whole.
  await queueDrained(page);
  await context.close();
}

test('an operator finds a customer’s events by the email they bought with, then a visit by its ad click id', async ({
  page,
  browser,
}) => {
  await visit(browser, 'ad-click-buyer', '  Search.Buyer@Example.com ');
  await visit(browser, 'ad-click-browser');
  // The other visitor: two page views and a product view, each with the ad click it came from.
  expect((await events('click_id=ad-click-browser')).map((event) => event.name).sort()).toEqual([
    'Product Viewed',
    'page',
    'page',
  ]);
  const buyerEvents = await events('email=search.buyer@example.com');
  const browserEvents = await events('click_id=ad-click-browser');
  const ids = (list: ListedEvent[]) => list.map((event) => String(event.id));

  await signInTo(page, datafirst, '#/debugger');
  const cards = page.locator('#events details.event');
  await expect(cards).toHaveCount(buyerEvents.length + browserEvents.length);

  // By email: the customer's whole visit (the email came with the order; the visit shares its
  // anonymous id), and nothing of the other visitor.
  await page.getByLabel('Find by').selectOption({ label: 'Email' });
  await page.getByLabel('Search', { exact: true }).fill('search.buyer@EXAMPLE.com');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(cards).toHaveCount(buyerEvents.length);
  expect(await cards.evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.eventId))).toEqual(
    ids(buyerEvents),
  );
  const order = cards.filter({ has: page.locator('summary .name', { hasText: 'Order Completed' }) });
  await expect(order.locator('summary .destination-name')).toHaveText('→ PURCHASE');
  await expect(page.locator('#search-note')).toContainText('Showing the events whose email is search.buyer@EXAMPLE.com');
  await expect(page).toHaveURL(/#\/debugger\?email=search\.buyer%40EXAMPLE\.com/);
  // The search is in the page's address: reloading (or a shared link) shows the same events.
  await page.reload();
  await expect(page.getByLabel('Search', { exact: true })).toHaveValue('search.buyer@EXAMPLE.com');
  await expect(cards).toHaveCount(buyerEvents.length);

  // By click id: the other visit, found by the ScCid it landed with.
  await page.getByLabel('Find by').selectOption({ label: 'Click id (ScCid)' });
  await page.getByLabel('Search', { exact: true }).fill('ad-click-browser');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(cards).toHaveCount(browserEvents.length);
  expect(await cards.evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.eventId))).toEqual(
    ids(browserEvents),
  );
  await expect(cards.locator('summary .name')).toHaveText(browserEvents.map((event) => event.name));

  // A search the API refuses says why beside the box, and the list stays as it was.
  await page.getByLabel('Find by').selectOption({ label: 'Email' });
  await page.getByLabel('Search', { exact: true }).fill('search.buyer');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.locator('.field-error')).toHaveText('Search: an email address such as jane@example.com');
  await expect(cards).toHaveCount(browserEvents.length);

  // Clearing the search shows every event again.
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(cards).toHaveCount(buyerEvents.length + browserEvents.length);
});
