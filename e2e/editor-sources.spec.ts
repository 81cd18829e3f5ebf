/** Journey 3a: an editor creates a source and rotates its write key without downtime. */
import { expect, test } from './fixtures.ts';
import { newMember, unique } from './journeys.ts';

test('an editor creates a source, adds a second write key, revokes the first, renames and deletes it', async ({ browser, admin }) => {
  const editor = await newMember(browser, admin, 'editor');
  const { page } = editor;
  const name = unique('Checkout');

  await page.getByRole('button', { name: 'Create source' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

  const keys = page.getByTestId('write-key');
  await expect(keys).toHaveCount(1);
  const firstKey = (await keys.first().textContent()) ?? '';
  expect(firstKey).toMatch(/^wk_/);
  await expect(page.getByTestId('write-keys')).toContainText('rotate without downtime');
  await expect(page.getByTestId('write-key-row').getByRole('button', { name: 'Copy' })).toBeVisible();
  // The only active key cannot be revoked.
  await expect(page.getByTestId('write-key-row').getByRole('button', { name: 'Revoke' })).toBeDisabled();

  await page.getByRole('button', { name: 'Add a key' }).click();
  await expect(keys).toHaveCount(2);
  const secondKey = (await keys.nth(1).textContent()) ?? '';
  expect(secondKey).not.toEqual(firstKey);

  await page.getByTestId('write-key-row').filter({ hasText: firstKey }).getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  await expect(keys).toHaveCount(1);
  await expect(keys.first()).toHaveText(secondKey);
  await page.getByRole('button', { name: 'Revoked keys (1)' }).click();
  await expect(page.getByTestId('revoked-keys')).toContainText(firstKey);

  const renamed = `${name} (renamed)`;
  await page.getByLabel('Name').fill(renamed);
  await page.getByRole('button', { name: 'Rename' }).click();
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();

  await page.getByTestId('source-enabled').click();
  await expect(page.getByText('Source disabled')).toBeVisible();
  await expect(page.getByTestId('source-enabled').locator('input')).not.toBeChecked();

  await page.getByRole('button', { name: 'Delete source…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(renamed);
  await dialog.getByRole('button', { name: 'Delete source' }).click();
  await expect(page).toHaveURL(/\/w\/demo\/sources$/);
  await expect(page.getByTestId('sources-table')).not.toContainText(renamed);
  await editor.context.close();
});
