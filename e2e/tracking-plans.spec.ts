/**
 * Journey: a marketer drafts a tracking plan from a source's real traffic, creates it,
 * connects the source with "block unplanned events", sends an event the plan does not
 * list, and finds it on the plan's violations page, marked blocked.
 */
import path from 'node:path';
import { e2eDataDir, expect, test } from './fixtures.ts';
import { newMember, unique } from './journeys.ts';

const LIVE = { timeout: 20_000 };
/** How long a web process may keep using a source's previous plan (server/ingest/source-config.ts: 1 s). */
const CONFIG_RELOAD_MS = 1_500;

async function send(baseURL: string, writeKey: string, events: Array<{ event: string; properties: Record<string, unknown> }>): Promise<void> {
  const batch = events.map((e, i) => ({ type: 'track', userId: `user-${i + 1}`, ...e }));
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

test('a marketer drafts a plan from traffic, blocks unplanned events and finds one on the violations page', async ({ browser, admin, baseURL }) => {
  test.setTimeout(150_000);
  const { page } = await newMember(browser, admin, 'editor');
  const shot = (name: string) => page.screenshot({ path: path.join(e2eDataDir(), 'screenshots', `plans-${name}.png`), fullPage: true });

  const sourceName = unique('Store');
  await page.getByRole('button', { name: 'Create source' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(sourceName);
  await page.getByRole('dialog').getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: sourceName, level: 1 })).toBeVisible();
  const writeKey = (await page.getByTestId('write-key').first().textContent()) ?? '';
  await send(baseURL ?? '', writeKey, [
    { event: 'Order Completed', properties: { total: 5, currency: 'EUR' } },
    { event: 'Order Completed', properties: { total: 12.5, currency: 'USD' } },
    { event: 'Signed Up', properties: { plan: 'pro' } },
  ]);

  // Draft from traffic, then create.
  await page.getByRole('link', { name: 'Tracking plans' }).click();
  await expect(page.getByRole('heading', { name: 'Tracking plans', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'New plan' }).first().click();
  const form = page.getByTestId('new-plan');
  await form.getByLabel('Source').selectOption({ label: sourceName });
  await form.getByRole('button', { name: 'Draft from traffic' }).click();
  await expect(form.getByTestId('draft-based-on')).toHaveText('Drafted from 3 events.');
  await expect(form.getByTestId('plan-rules')).toContainText('"Order Completed"');
  await expect(form.getByLabel('Name')).toHaveValue(`${sourceName} plan`);
  await shot('draft');
  await form.getByRole('button', { name: 'Create plan' }).click();
  await expect(page.getByRole('heading', { name: `${sourceName} plan`, level: 1 })).toBeVisible();
  await expect(page.getByText('Version 1 · 2 events')).toBeVisible();

  // Connect the source: unplanned events are blocked.
  const sources = page.getByTestId('plan-sources');
  await sources.getByLabel('Source').selectOption({ label: sourceName });
  await sources.getByLabel('Unplanned events').selectOption('block');
  await sources.getByRole('button', { name: 'Connect' }).click();
  await expect(sources.getByTestId('plan-source')).toHaveText(`${sourceName} · unplanned events: block · violations: allow`);

  // An event the plan does not list shows up as a blocked violation.
  await page.waitForTimeout(CONFIG_RELOAD_MS);
  await send(baseURL ?? '', writeKey, [{ event: 'Refund Requested', properties: { amount: 5 } }, { event: 'Order Completed', properties: { total: 1, currency: 'EUR' } }]);
  const row = page.getByTestId('violation-row').filter({ hasText: 'Refund Requested' });
  await expect(row).toBeVisible(LIVE);
  await expect(row).toContainText('unplanned event');
  await expect(row).toContainText('blocked');
  await expect(row).toContainText('“Refund Requested” is not in the tracking plan');
  await expect(page.getByTestId('violation-row')).toHaveCount(1);
  await shot('violations');
});
