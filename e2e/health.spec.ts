import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

test('the install reports itself healthy: database up and a delivery worker alive', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('no-store');
  const body = await response.json();
  expect(body).toMatchObject({ status: 'ok', database: { up: true }, worker: { up: true } });
  expect(Date.now() - Date.parse(body.worker.lastSeenAt)).toBeLessThan(60_000);
});

test('a fresh install hands out first-run admin credentials', async ({ admin }) => {
  expect(admin.email).toBe('admin@switchyard.local');
  expect(admin.password).toMatch(/^[A-Za-z0-9]{20}$/);
});

test('the sign-in page renders', async ({ page }) => {
  test.skip(!existsSync(path.join(ROOT, 'app/signin')), 'app/signin is not written yet');
  const response = await page.goto('/signin');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('textbox', { name: /e-?mail/i })).toBeVisible();
  await expect(page.locator('input[type="password"]')).toBeVisible();
  await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
});
