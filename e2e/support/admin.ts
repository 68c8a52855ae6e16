import { expect, type Page } from '@playwright/test';
import { ADMIN_TOKEN, adminBase, type DatafirstProcess } from './datafirst.js';

// The admin's address comes from `adminBase` (support/datafirst.ts): the one place to change it.
export { adminBase };

/** Opens an admin page (`#/links`) and signs in with the admin token. */
export async function signInTo(page: Page, datafirst: DatafirstProcess, route: string): Promise<void> {
  await page.goto(`${adminBase(datafirst)}/admin/${route}`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Admin' })).toBeVisible();
}

/** Calls the admin API with the admin token; resolves with its JSON answer, or throws with its status. */
export async function adminCall<T = any>(
  datafirst: DatafirstProcess,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${adminBase(datafirst)}/v1/admin/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
