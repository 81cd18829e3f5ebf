/** Journey 1: the first admin signs in with the credentials printed on first start. */
import { expect, test } from './fixtures.ts';
import { waitForForm } from './journeys.ts';

test('the seeded admin signs in; a wrong password is refused with a clear message', async ({ page, admin }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin/);
  await waitForForm(page);
  await expect(page.getByRole('heading', { name: 'Sign in to Switchyard' })).toBeVisible();

  await page.getByLabel('E-mail').fill(admin.email);
  await page.getByLabel('Password').fill(`${admin.password}-wrong`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signin-error')).toContainText('E-mail or password is incorrect');
  await expect(page).toHaveURL(/\/signin/);

  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Signing in lands on the workspace's overview: the last 24 hours and what needs a look.
  await expect(page).toHaveURL(/\/w\/demo$/);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  await expect(page.getByTestId('needs-attention')).toBeVisible();
  await expect(page.getByTestId('workspace-switcher')).toContainText('Demo');
  await expect(page.getByTestId('user-menu')).toContainText('admin');
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Sources', exact: true }).click();
  await expect(page).toHaveURL(/\/w\/demo\/sources$/);
  await expect(page.getByRole('heading', { name: 'Sources', level: 1 })).toBeVisible();
  // The demo workspace comes with a source, and admins see the admin-only settings.
  await expect(page.getByTestId('sources-table')).toContainText('Website');
  await expect(page.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'API tokens' })).toBeVisible();
});

test('a signed-out visitor is sent to sign in and brought back to the page they asked for', async ({ page, admin }) => {
  await page.goto('/w/demo/settings/members');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fw%2Fdemo%2Fsettings%2Fmembers/);
  await waitForForm(page);
  await page.getByLabel('E-mail').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/w\/demo\/settings\/members$/);
  await expect(page.getByTestId('members-table')).toContainText(admin.email);
});
