/** Journey 6: an admin reads the audit trail of what happened and manages API tokens. */
import { expect, test } from './fixtures.ts';
import { chooseRole, signIn, unique } from './journeys.ts';

test('an admin finds a change in the audit log, with who, role and before/after', async ({ page, admin }) => {
  await signIn(page, admin);
  const name = unique('Audited');
  await page.getByRole('button', { name: 'Create source' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add a key' }).click();
  await expect(page.getByTestId('write-key')).toHaveCount(2);

  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  const rows = page.getByTestId('audit-row');
  await expect(rows.first()).toContainText('source.write_key.add');
  await expect(rows.first()).toContainText(admin.email);
  await expect(rows.first()).toContainText('admin');

  await page.getByLabel('Filter by action prefix').fill('source.create');
  await expect(rows.first()).toContainText('source.create');
  await expect(page.getByTestId('audit-action').filter({ hasNotText: /^source\.create$/ })).toHaveCount(0);
  await rows.first().click();
  const diff = page.getByTestId('audit-diff');
  await expect(diff).toContainText('Before');
  await expect(diff).toContainText('Nothing recorded');
  await expect(diff).toContainText(`"name": "${name}"`);

  await page.getByRole('button', { name: 'Sources', exact: true }).click();
  await expect(page.getByTestId('audit-action').first()).toHaveText(/^source\./);
});

test('an admin creates an API token, sees it once with a curl example, and revokes it', async ({ page, admin }) => {
  await signIn(page, admin);
  await page.getByRole('link', { name: 'API tokens' }).click();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  const tokenName = unique('CI deploy');
  await page.getByRole('button', { name: 'Create token' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(tokenName);
  await chooseRole(dialog, 'support');
  await dialog.getByRole('button', { name: 'Create token' }).click();

  const token = (await dialog.getByTestId('api-token').textContent()) ?? '';
  expect(token).toMatch(/^sy_/);
  await expect(dialog.getByTestId('api-token-curl')).toHaveText(new RegExp(`^curl -H "Authorization: Bearer ${token}" http://[^ ]+/api/v1/sources$`));
  await expect(dialog).toContainText("You won't see this token again");
  await dialog.getByRole('button', { name: 'I have copied it' }).click();

  const row = page.getByTestId('token-row').filter({ hasText: tokenName });
  await expect(row).toContainText(token.slice(0, 10));
  await expect(row).toContainText('support');
  await expect(row).toContainText('Never');
  await expect(page.locator('body')).not.toContainText(token);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
  await expect(row).toContainText('Revoked');

  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('button', { name: 'API tokens', exact: true }).click();
  await expect(page.getByTestId('audit-row').first()).toContainText('api_token.revoke');
  await expect(page.getByTestId('audit-row').nth(1)).toContainText('api_token.create');
});
