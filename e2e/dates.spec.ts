/** Journey: dates read the same everywhere, in an en-US browser too: replay inputs, invite expiry, member lists. */
import { expect, test } from './fixtures.ts';
import { callTrpc, createInviteLink, signIn, unique, workspaceIdOf } from './journeys.ts';

const PRODUCT_DATE_TIME = /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/;

test('replay inputs and invite expiry use the product\'s one date style, in an en-US browser', async ({ browser, admin }) => {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Europe/Berlin' });
  const page = await context.newPage();
  await signIn(page, admin);
  const workspaceId = await workspaceIdOf(page);
  const source = (await callTrpc(page, 'sources.create', { workspaceId, name: unique('Dated') }, 'mutation')).data as { id: string };
  const destination = (await callTrpc(page, 'destinations.create', { workspaceId, sourceId: source.id, type: 'webhook', name: 'Dated hook', settings: { url: 'http://127.0.0.1:9/hook' } }, 'mutation')).data as { id: string };

  await page.goto(`/w/demo/destinations/${destination.id}`);
  const replay = page.getByTestId('destination-replay');
  const from = replay.getByRole('textbox', { name: 'Events received from' });
  await expect(from).toHaveValue(PRODUCT_DATE_TIME);
  await expect(replay.getByRole('textbox', { name: 'Until' })).toHaveValue(PRODUCT_DATE_TIME);
  await from.fill('12/01/2026, 01:06 PM');
  await expect(replay.getByText('Enter a date and time like 2 Dec 2026, 13:06')).toBeVisible();
  await from.fill('1 Dec 2026, 13:06');
  await expect(replay.getByText('Enter a date and time like 2 Dec 2026, 13:06')).toBeHidden();
  await replay.screenshot({ path: 'test-results/screens/replay-dates.png' });

  await createInviteLink(page, 'support');
  const invite = page.getByTestId('invites-table').getByTestId('invite-row').first();
  await expect(invite).toContainText('in 7 days');
  await expect(invite).not.toContainText('next week');
  await context.close();
});
