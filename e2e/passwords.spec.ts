/** Journey: a member changes their password (other sessions end); an admin resets a member's sign-in with a one-time link. */
import { expect, test } from './fixtures.ts';
import { joinWithNewAccount, createInviteLink, signIn, waitForForm } from './journeys.ts';

test('a member changes their password from the user menu, and their other browser is signed out', async ({ browser, page, admin }) => {
  test.setTimeout(120_000); // four password hashes and three sign-ins
  await signIn(page, admin);
  const editor = await joinWithNewAccount(browser, await createInviteLink(page, 'editor'), 'editor');
  const laptop = await browser.newContext();
  const laptopPage = await laptop.newPage();
  await signIn(laptopPage, editor);

  await editor.page.getByTestId('user-menu').click();
  await editor.page.getByRole('menuitem', { name: 'Change password' }).click();
  await expect(editor.page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  const form = editor.page.getByTestId('change-password-form');
  await form.getByLabel('Current password').fill('not my password');
  await form.getByLabel(/^New password(?! again)/).fill('a new and long password');
  await form.getByLabel('New password again').fill('a new and long password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Your current password is not right.')).toBeVisible();

  await form.getByLabel('Current password').fill(editor.password);
  await form.getByLabel(/^New password(?! again)/).fill('password123');
  await form.getByLabel('New password again').fill('password123');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('This is one of the most common passwords; choose another.')).toBeVisible();

  await form.getByLabel(/^New password(?! again)/).fill('a new and long password');
  await form.getByLabel('New password again').fill('a new and long password');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(editor.page.getByText('You were signed out of 1 other session.')).toBeVisible();
  await editor.page.screenshot({ path: 'test-results/screens/change-password.png', fullPage: true });

  // This browser stays signed in; the laptop is sent to sign-in.
  await editor.page.goto('/w/demo/sources');
  await expect(editor.page.getByTestId('user-menu')).toBeVisible();
  await laptopPage.goto('/w/demo/sources');
  await expect(laptopPage).toHaveURL(/\/signin/);
  await signIn(laptopPage, { email: editor.email, password: 'a new and long password' });
  await laptop.close();
  await editor.context.close();
});

test('an admin resets the sign-in of a member who forgot their password; the link works once', async ({ browser, page, admin }) => {
  test.setTimeout(120_000);
  await signIn(page, admin);
  const support = await joinWithNewAccount(browser, await createInviteLink(page, 'support'), 'support');

  await page.reload();
  const row = page.getByTestId('member-row').filter({ hasText: support.email });
  await row.getByRole('button', { name: 'Reset sign-in' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`Reset sign-in for ${support.name}?`);
  await dialog.getByRole('button', { name: 'Create reset link' }).click();
  const url = (await dialog.getByTestId('reset-url').textContent()) ?? '';
  expect(url).toMatch(/\/reset\/rst_/);
  await expect(dialog).toContainText('This link is shown only once');
  await expect(dialog).toContainText(/expires on \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
  await page.screenshot({ path: 'test-results/screens/reset-sign-in-dialog.png' });
  await dialog.getByRole('button', { name: 'Done' }).click();
  // No "Reset sign-in" for oneself.
  await expect(page.getByTestId('member-row').filter({ hasText: admin.email }).getByRole('button', { name: 'Reset sign-in' })).toHaveCount(0);

  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await freshPage.goto(new URL(url).pathname);
  await waitForForm(freshPage);
  await expect(freshPage.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await expect(freshPage.getByText(`For ${support.email}.`)).toBeVisible();
  await freshPage.getByLabel(/^New password(?! again)/).fill('my reset password 42');
  await freshPage.getByLabel('New password again').fill('my reset password 42');
  await freshPage.screenshot({ path: 'test-results/screens/reset-password.png' });
  await freshPage.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect(freshPage).toHaveURL(/\/w\/[^/]+$/);
  await expect(freshPage.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();

  // The member's old session ended; the link is used up.
  await support.page.goto('/w/demo/sources');
  await expect(support.page).toHaveURL(/\/signin/);
  await support.page.goto(new URL(url).pathname);
  await expect(support.page.getByRole('heading', { name: "This reset link doesn't work" })).toBeVisible();
  await fresh.close();
  await support.context.close();
});
