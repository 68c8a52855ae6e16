import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { signInTo } from './support/admin.js';
import { startDatafirst, type DatafirstProcess } from './support/datafirst.js';

// The warehouse pages as an operator uses them: add the shop's SQLite sales database, test it,
// create a sync of its sales, map the columns the preview found, run it, and see the sales arrive
// at Snapchat (the built-in mock).

let datafirst: DatafirstProcess;
let dir: string;
let salesDb: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'datafirst-sales-'));
  salesDb = join(dir, 'sales.db');
  const db = new Database(salesDb);
  db.exec('CREATE TABLE sales (sale_id TEXT PRIMARY KEY, sold_at TEXT, customer_email TEXT, amount REAL, currency TEXT)');
  const insert = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?)');
  const now = new Date().toISOString();
  insert.run('S-1', now, 'ann@example.com', 42.5, 'EUR');
  insert.run('S-2', now, 'bob@example.com', 17.25, 'EUR');
  db.close();
  datafirst = await startDatafirst();
});
test.afterAll(async () => {
  await datafirst?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an operator adds a SQLite warehouse, creates a sync, maps the previewed columns, runs it and the sales reach Snapchat', async ({
  page,
}) => {
  await signInTo(page, datafirst, '#/syncs');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Warehouse syncs');

  // A file that is not there is reported beside the URL field.
  await page.getByLabel('Warehouse name').fill('Shop sales');
  await page.getByLabel('Database URL or file').fill(`file:${join(dir, 'missing.db')}`);
  await page.getByRole('button', { name: 'Add warehouse' }).click();
  await expect(page.getByLabel('Database URL or file')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.field-error')).toContainText('Database URL or file:');
  await page.screenshot({ path: test.info().outputPath('warehouse-error.png'), fullPage: true });

  await page.getByLabel('Database URL or file').fill(`file:${salesDb}`);
  await page.getByRole('button', { name: 'Add warehouse' }).click();
  const warehouse = page.locator('tbody tr', { hasText: 'Shop sales' });
  await warehouse.getByRole('button', { name: 'Test connection' }).click();
  await expect(warehouse.locator('.test-result')).toHaveText('connected tables: sales');

  await page.getByLabel('Sync name').fill('Store sales');
  await page.getByLabel('Query').fill('select * from sales');
  await page.getByLabel('Primary key column').fill('sale_id');
  await page.getByRole('button', { name: 'Create sync' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Store sales');

  // The preview found the columns: the mapping editor offers them.
  await expect(page.locator('.preview')).toContainText('Columns: sale_id, sold_at, customer_email, amount, currency');
  const lines = page.locator('fieldset.mapping tbody tr');
  const map = async (target: string, column: string) => {
    await page.getByRole('button', { name: 'Add a target' }).click();
    await lines.last().getByLabel('Target', { exact: true }).fill(target);
    await lines
      .last()
      .getByLabel(/^Column for/)
      .selectOption(column);
  };
  await map('timestamp', 'sold_at');
  await map('email', 'customer_email');
  await map('value', 'amount');
  await map('currency', 'currency');
  await map('order_id', 'sale_id');
  await page.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mapping saved.' })).toBeVisible();
  await expect(page.locator('.preview tbody tr')).toHaveCount(2);
  await expect(page.locator('.preview tbody tr').first()).toContainText('PURCHASE');

  await page.getByRole('button', { name: 'Run now' }).click();
  const run = page.locator('.runs tbody tr').first();
  await expect(run.locator('.badge')).toHaveText('succeeded', { timeout: 15_000 });
  await expect(run.locator('[data-count="queried"]')).toHaveText('2');
  await expect(run.locator('[data-count="sent"]')).toHaveText('2');
  await expect(run.locator('[data-count="failed"]')).toHaveText('0');
  await page.screenshot({ path: test.info().outputPath('sync-detail.png'), fullPage: true });

  // The rows arrive at Snapchat as offline purchases with their amounts.
  await expect
    .poll(
      async () =>
        (await datafirst.mockEvents())
          .filter((e) => e.event.action_source === 'OFFLINE')
          .map((e) => [e.event.event_name, e.event.custom_data?.value, e.event.custom_data?.currency])
          .sort(),
      { timeout: 20_000 },
    )
    .toEqual([
      ['PURCHASE', 17.25, 'EUR'],
      ['PURCHASE', 42.5, 'EUR'],
    ]);
});

test('an operator creates a CSV sync, previews a file, uploads it and sees the run with its row error', async ({ page }) => {
  const now = new Date().toISOString();
  const csv = `order,date,email,total\nC-1,${now},cat@example.com,12.00\nC-2,${now},dan@example.com,n/a\n`;
  const file = { name: 'phone-sales.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) };

  await signInTo(page, datafirst, '#/syncs');
  await page.getByLabel('Sync name').fill('Phone sales');
  await page.getByLabel('Reads').selectOption('csv');
  await page.getByLabel('Primary key column').fill('order');
  await page.getByRole('button', { name: 'Create sync' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phone sales');

  await page.getByLabel('CSV file').setInputFiles(file);
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.locator('.preview')).toContainText('Columns: order, date, email, total');
  const lines = page.locator('fieldset.mapping tbody tr');
  for (const [target, column] of [
    ['timestamp', 'date'],
    ['email', 'email'],
    ['value', 'total'],
    ['order_id', 'order'],
  ] as const) {
    await page.getByRole('button', { name: 'Add a target' }).click();
    await lines.last().getByLabel('Target', { exact: true }).fill(target);
    await lines
      .last()
      .getByLabel(/^Column for/)
      .selectOption(column);
  }
  await page.getByRole('button', { name: 'Add a target' }).click();
  await lines.last().getByLabel('Target', { exact: true }).fill('currency');
  await lines
    .last()
    .getByLabel(/^Column for/)
    .selectOption({ label: 'one value for every row…' });
  await lines
    .last()
    .getByLabel(/^Value for/)
    .fill('EUR');
  await page.getByRole('button', { name: 'Save mapping' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Mapping saved.' })).toBeVisible();

  await page.getByRole('button', { name: 'Upload and send' }).click();
  const run = page.locator('.runs tbody tr').first();
  await expect(run.locator('.badge')).toHaveText('succeeded');
  await expect(run.locator('[data-count="queried"]')).toHaveText('2');
  await expect(run.locator('[data-count="sent"]')).toHaveText('1');
  await expect(run.locator('[data-count="failed"]')).toHaveText('1');
  await expect(run.locator('.row-errors li')).toHaveCount(1);
  await expect(run.locator('.row-errors li')).toContainText('C-2');
  await page.screenshot({ path: test.info().outputPath('csv-sync.png'), fullPage: true });
});
