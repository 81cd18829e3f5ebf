/** Journey 3b: an editor connects a webhook destination, sees its signing secret once, and tunes it. */
import { expect, test } from './fixtures.ts';
import { newMember, unique } from './journeys.ts';

test('an editor adds a webhook with a header, sees the signing secret once, toggles and tunes it', async ({ browser, admin }) => {
  const editor = await newMember(browser, admin, 'editor');
  const { page } = editor;
  const sourceName = unique('Mobile app');
  await page.getByRole('button', { name: 'Create source' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(sourceName);
  await page.getByRole('dialog').getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: sourceName, level: 1 })).toBeVisible();

  await page.getByRole('tab', { name: /Destinations/ }).click();
  await expect(page.getByText(`No destinations for ${sourceName} yet`)).toBeVisible();
  await page.getByRole('button', { name: 'Add destination' }).click();
  await expect(page).toHaveURL(/\/destinations\/new\?sourceId=/);
  await page.getByTestId('catalog-type-webhook').click();

  const form = page.getByTestId('destination-form');
  await expect(form.getByLabel('Source')).toHaveValue(/[0-9a-f-]{36}/);
  await form.getByLabel('Name', { exact: true }).fill('Warehouse');
  await form.getByLabel('Webhook URL').fill('ftp://example.com/hook');
  await form.getByRole('button', { name: 'Add header' }).click();
  await form.getByLabel('Header 1 name').fill('Authorization');
  await form.getByLabel('Header 1 value').fill('Bearer very-secret-1234');
  await form.getByRole('button', { name: 'Create destination' }).click();
  await expect(form).toContainText('Use an http:// or https:// URL');

  await form.getByLabel('Webhook URL').fill('http://127.0.0.1:9/hook');
  await form.getByRole('button', { name: 'Create destination' }).click();

  const secretDialog = page.getByRole('dialog');
  await expect(secretDialog).toContainText("You won't see it again");
  const secret = (await secretDialog.getByTestId('signing-secret').textContent()) ?? '';
  expect(secret).toMatch(/^whsec_/);
  await expect(secretDialog.getByRole('button', { name: 'Copy' })).toBeVisible();
  await secretDialog.getByRole('button', { name: 'I have copied it' }).click();

  await expect(page).toHaveURL(/\/destinations\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Warehouse', level: 1 })).toBeVisible();
  await expect(page.getByTestId('destination-url')).toHaveText('http://127.0.0.1:9/hook');
  const hint = page.getByTestId('signing-secret-hint');
  await expect(hint).toHaveText(`whsec_••••${secret.slice(-4)}`);
  await expect(page.getByTestId('destination-header')).toHaveText('Authorization: ••••1234');
  await expect(page.locator('body')).not.toContainText(secret);
  await expect(page.locator('body')).not.toContainText('very-secret');

  // Enable / disable.
  const enabled = page.getByTestId('destination-enabled').locator('input');
  await expect(enabled).toBeChecked();
  await page.getByTestId('destination-enabled').click();
  await expect(page.getByText('Disabled: events are not delivered')).toBeVisible();
  await expect(enabled).not.toBeChecked();

  // Delivery tuning: the server refuses an inconsistent backoff next to the field.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(form.getByLabel('Header 1 value')).toHaveValue('');
  await form.getByRole('button', { name: /Advanced delivery settings/ }).click();
  await expect(form.getByLabel(/Request timeout/)).toHaveValue('10000');
  await form.getByLabel(/First retry after/).fill('1200');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toContainText('must not be larger than maxBackoffSeconds');

  await form.getByLabel(/First retry after/).fill('10');
  await form.getByLabel(/Request timeout/).fill('5000');
  await form.getByLabel(/Rate limit/).fill('50');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Destination saved')).toBeVisible();
  await expect(page.getByTestId('delivery-timeoutMs')).toHaveText('5 s');
  await expect(page.getByTestId('delivery-ratePerSecond')).toHaveText('50');
  await expect(page.getByTestId('delivery-minBackoffSeconds')).toHaveText('10 s');
  // The header was left empty on edit, so its stored value was kept.
  await expect(page.getByTestId('destination-header')).toHaveText('Authorization: ••••1234');
  await expect(page.getByTestId('signing-secret-hint')).toHaveText(`whsec_••••${secret.slice(-4)}`);

  await page.getByRole('link', { name: 'Destinations' }).first().click();
  await expect(page.getByTestId('destinations-table')).toContainText('Warehouse');
  await expect(page.getByTestId('destinations-table')).toContainText(sourceName);
  await editor.context.close();
});
