/**
 * Journey: an admin suppresses and deletes a user by e-mail, watches every target finish
 * (Braze, through its deletion API, answers; Mixpanel without a GDPR token says it cannot),
 * opens the receipt, and a new event of that user is answered but not stored.
 * Local Braze and Mixpanel (the simulators the integration tests use) stand in for the partners.
 * Screenshots land in test-results/privacy/ (empty page, confirmation, receipt).
 */
import type { Page } from '@playwright/test';
import { BRAZE_KEY, startBraze } from '../server/destinations/catalog/braze/simulator.ts';
import { MIXPANEL_TOKEN, startMixpanel } from '../server/destinations/catalog/mixpanel/simulator.ts';
import { expect, test } from './fixtures.ts';
import { callTrpc, signIn, unique } from './journeys.ts';

const SHOTS = 'test-results/privacy';

async function sendBatch(page: Page, writeKey: string, batch: unknown[]): Promise<number> {
  const res = await page.request.post('/v1/batch', { headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` }, data: { batch } });
  return res.status();
}

async function storedEventsOf(page: Page, workspaceId: string, userId: string): Promise<number> {
  const events = await callTrpc(page, 'events.list', { workspaceId, userId }, 'query');
  return (events.data as { data: unknown[] }).data.length;
}

test('an admin suppresses and deletes a user by e-mail, follows the targets and reads the receipt', async ({ page, admin }) => {
  await signIn(page, admin);
  // A workspace of its own, so the journey does not depend on other journeys' destinations.
  const created = await callTrpc(page, 'workspaces.create', { name: unique('Privacy shop') }, 'mutation');
  const workspace = created.data as { id: string; slug: string };
  const source = await callTrpc(page, 'sources.create', { workspaceId: workspace.id, name: 'Web shop' }, 'mutation');
  const writeKey = (source.data as { writeKeys: { key: string }[] }).writeKeys[0].key;
  const sourceId = (source.data as { id: string }).id;
  const braze = await startBraze();
  const mixpanel = await startMixpanel();
  await callTrpc(page, 'destinations.create', { workspaceId: workspace.id, sourceId, type: 'braze', name: 'Braze', settings: { apiKey: BRAZE_KEY, endpoint: braze.url } }, 'mutation');
  await callTrpc(page, 'destinations.create', { workspaceId: workspace.id, sourceId, type: 'mixpanel', name: 'Mixpanel', settings: { projectToken: MIXPANEL_TOKEN, endpoint: mixpanel.url } }, 'mutation');
  const stamp = Date.now().toString(36);
  const email = `grace.${stamp}@example.com`;
  const userId = `user ${stamp}`;
  expect(await sendBatch(page, writeKey, [
    { type: 'identify', userId, anonymousId: `anon-${userId}`, traits: { email, name: 'Grace' } },
    { type: 'track', userId, event: 'Order Completed', properties: { total: 42 } },
    { type: 'track', anonymousId: `anon-${userId}`, event: 'Viewed Pricing' },
  ])).toBe(200);
  expect(await storedEventsOf(page, workspace.id, userId)).toBe(2);

  await page.goto(`/w/${workspace.slug}/settings/privacy`);
  await expect(page.getByRole('heading', { name: 'Privacy', level: 1 })).toBeVisible();
  await expect(page.getByText('No privacy requests yet')).toBeVisible();
  await expect(page.getByText('Nobody is suppressed.')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/privacy-empty.png`, fullPage: true });

  await page.getByRole('button', { name: 'New request' }).first().click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel('Request')).toHaveValue('SUPPRESS_WITH_DELETE');
  await dialog.getByLabel('Subjects are').selectOption('EMAIL');
  await dialog.getByLabel('E-mails').fill(`  ${email.toUpperCase()}\n`);
  await expect(dialog).toContainText('1 subject.');
  await dialog.getByRole('button', { name: 'Review' }).click();
  const consequences = dialog.getByTestId('request-consequences');
  await expect(consequences).toContainText('This concerns 1 e-mail.');
  await expect(consequences).toContainText('answered normally but not stored or delivered');
  await expect(consequences).toContainText('Deleted data cannot be restored.');
  await expect(consequences).toContainText('Amplitude, Braze, Mixpanel and Customer.io get their own deletion API call');
  await expect(dialog).toContainText(`E-mails: ${email}`);
  await page.screenshot({ path: `${SHOTS}/privacy-confirm.png` });
  braze.failDeletions(2, 503); // Braze is briefly unavailable: its target retries (after 2 s, then 4 s)
  await dialog.getByRole('button', { name: 'Suppress and delete (1)' }).click();

  // The request opens and follows its targets until the worker finished all of them.
  const sheet = page.getByTestId('regulation-sheet');
  await expect(sheet.getByRole('heading', { name: 'Suppress and delete' })).toBeVisible();
  await expect(sheet.getByTestId('subjects')).toHaveText(email);
  const targets = sheet.getByTestId('target-row');
  await expect(targets).toHaveCount(5);
  // While Braze answers 503 its row says it is retrying, and why.
  const brazeRow = targets.filter({ hasText: 'Braze' });
  await expect(brazeRow.getByTestId('status')).toHaveText('Retrying', { timeout: 15_000 });
  await expect(brazeRow.getByTestId('target-error')).toContainText('failed, retrying soon: Braze answered HTTP 503 to deletion call 1 of 3');
  await page.screenshot({ path: `${SHOTS}/privacy-retrying.png`, fullPage: true });
  await expect(sheet.getByTestId('status').first()).toHaveText('Finished', { timeout: 30_000 });
  await expect(brazeRow.getByTestId('target-error')).toHaveCount(0);
  for (const name of ['Suppression at ingest', 'Event store', 'Archive', 'Braze']) {
    await expect(targets.filter({ hasText: name }).getByTestId('status')).toHaveText('Finished');
  }
  // Braze was asked by user ID, by the anonymous ID's user alias and by e-mail; Mixpanel needs a GDPR token it does not have.
  const brazeReceipt = targets.filter({ hasText: 'Braze' }).getByTestId('receipt');
  await expect(brazeReceipt).toContainText('Braze deleted 1 user profile');
  await expect(brazeReceipt).toContainText('3 of 3 deletion calls done');
  await expect(brazeReceipt).toContainText('partner answered HTTP 201');
  expect(braze.deleted.map((call) => call.kind)).toEqual(['external_ids', 'user_aliases', 'email_addresses']);
  await expect(targets.filter({ hasText: 'Mixpanel' }).getByTestId('status')).toHaveText('Not supported');
  await expect(targets.filter({ hasText: 'Mixpanel' }).getByTestId('receipt')).toContainText('needs a GDPR API token');
  await expect(targets.filter({ hasText: 'Event store' }).getByTestId('receipt')).toContainText('3 events deleted');
  await expect(targets.filter({ hasText: 'Suppression at ingest' }).getByTestId('receipt')).toContainText('2 linked identifiers suppressed');
  await expect(sheet).toContainText(`requested by ${admin.email}`);
  await expect(page.getByText('Follow each target below.')).toBeHidden({ timeout: 15_000 });
  await page.screenshot({ path: `${SHOTS}/privacy-receipt.png`, fullPage: true });

  // Nothing of Grace is found any more, and a new event of hers is answered but not stored.
  expect(await storedEventsOf(page, workspace.id, userId)).toBe(0);
  expect(await sendBatch(page, writeKey, [{ type: 'track', userId, event: 'Came Back' }])).toBe(200);
  expect(await storedEventsOf(page, workspace.id, userId)).toBe(0);

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('regulation-row')).toHaveCount(1);
  await expect(page.getByTestId('regulation-row').getByTestId('status')).toHaveText('Finished');
  const suppressed = page.getByTestId('suppression-row');
  await expect(suppressed).toHaveCount(3);
  await expect(page.getByTestId('suppressions')).toContainText('1 event suppressed', { timeout: 10_000 });
  await page.screenshot({ path: `${SHOTS}/privacy-list.png`, fullPage: true });
  await braze.close();
  await mixpanel.close();
});
