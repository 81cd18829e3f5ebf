/** Journey: a 440-character pasted name is not cut but explained; a second source of the same name is refused, saying why. */
import { expect, test } from './fixtures.ts';
import { signIn, unique } from './journeys.ts';

test('source names: a counter and a message instead of a silent cut, and no two sources alike', async ({ page, admin }) => {
  await signIn(page, admin);
  await page.getByRole('button', { name: 'Create source' }).first().click();
  const dialog = page.getByRole('dialog');
  const input = dialog.getByLabel('Name');
  const long = 'Mobile application of the spring campaign for returning customers '.repeat(7).slice(0, 440);
  await input.fill(long);
  await expect(input).toHaveValue(long);
  await expect(dialog.getByText('Use at most 80 characters; this name has 440.')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Create source' })).toBeDisabled();
  await dialog.screenshot({ path: 'test-results/screens/source-name-too-long.png' });

  const name = unique('Mobile App');
  await input.fill(name);
  await expect(dialog.getByText(`${name.length} / 80 characters`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Sources' }).click();
  await page.getByRole('button', { name: 'Create source' }).first().click();
  await dialog.getByLabel('Name').fill(name.toLowerCase());
  await dialog.getByRole('button', { name: 'Create source' }).click();
  await expect(dialog.getByText(`Another source in this workspace is already called “${name}”. Choose a name that tells them apart.`)).toBeVisible();
  await dialog.screenshot({ path: 'test-results/screens/source-name-taken.png' });
});
