/** Journey 2: an admin invites an editor and a support member; each joins with a new account. */
import { expect, test } from './fixtures.ts';
import { createInviteLink, joinWithNewAccount, signIn } from './journeys.ts';

test('an admin invites an editor and a support member, who join by creating accounts', async ({ browser, page, admin }) => {
  await signIn(page, admin);
  const editorLink = await createInviteLink(page, 'editor');
  const supportLink = await createInviteLink(page, 'support');
  expect(editorLink).not.toEqual(supportLink);
  await expect(page.getByTestId('invites-table')).toContainText('editor');
  await expect(page.getByTestId('invites-table')).toContainText('support');

  const editor = await joinWithNewAccount(browser, editorLink, 'editor');
  const support = await joinWithNewAccount(browser, supportLink, 'support');

  await page.reload();
  const members = page.getByTestId('members-table');
  await expect(members.getByTestId('member-row').filter({ hasText: editor.email }).getByRole('combobox')).toHaveValue('editor');
  await expect(members.getByTestId('member-row').filter({ hasText: support.email }).getByRole('combobox')).toHaveValue('support');

  // A used link does not work a second time.
  const again = await browser.newContext();
  const page2 = await again.newPage();
  await page2.goto(new URL(editorLink).pathname);
  await expect(page2.getByRole('heading', { name: "This invite link doesn't work" })).toBeVisible();
  await again.close();
  await editor.context.close();
  await support.context.close();
});

test('an admin revokes a pending invite, changes a role and removes a member', async ({ browser, page, admin }) => {
  await signIn(page, admin);
  const revokedLink = await createInviteLink(page, 'editor');
  const invites = page.getByTestId('invites-table');
  await invites.getByTestId('invite-row').first().getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke invite' }).click();
  await expect(page.getByText('Invite revoked')).toBeVisible();

  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  await visitorPage.goto(new URL(revokedLink).pathname);
  await expect(visitorPage.getByRole('heading', { name: "This invite link doesn't work" })).toBeVisible();
  await visitor.close();

  const member = await joinWithNewAccount(browser, await createInviteLink(page, 'support'), 'support');
  await page.reload();
  const row = page.getByTestId('member-row').filter({ hasText: member.email });
  await row.getByRole('combobox').selectOption('editor');
  await expect(page.getByText(`${member.name} is now an editor`)).toBeVisible();
  await expect(row.getByRole('combobox')).toHaveValue('editor');

  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove member' }).click();
  await expect(page.getByTestId('member-row').filter({ hasText: member.email })).toHaveCount(0);

  // The removed member's next visit to the workspace finds nothing.
  await member.page.goto('/w/demo/sources');
  await expect(member.page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await member.context.close();
});
