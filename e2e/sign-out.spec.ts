/** Journey 5: signing out ends the session on the server; a copy of the old cookie is worthless. */
import { expect, test } from './fixtures.ts';
import { signIn } from './journeys.ts';

test('after signing out, the saved session cookie no longer opens the workspace or the API', async ({ browser, page, admin }) => {
  await signIn(page, admin);
  const saved = await page.context().cookies();
  expect(saved.some((cookie) => cookie.name.endsWith('switchyard.session'))).toBe(true);

  await page.getByTestId('user-menu').click();
  await expect(page.getByTestId('user-menu-name')).toBeVisible();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);

  const replay = await browser.newContext();
  await replay.addCookies(saved);
  const stale = await replay.newPage();
  await stale.goto('/w/demo/sources');
  await expect(stale).toHaveURL(/\/signin\?callbackUrl=%2Fw%2Fdemo%2Fsources/);
  await expect(stale.getByRole('heading', { name: 'Sign in to Switchyard' })).toBeVisible();

  const me = await stale.request.get('/api/trpc/workspaces.me');
  expect(me.status()).toBe(401);
  const body = (await me.json()) as { error?: { json?: { data?: { code?: string } } } };
  expect(body.error?.json?.data?.code).toBe('UNAUTHORIZED');
  await replay.close();
});
