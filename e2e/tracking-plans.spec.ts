/**
 * Journey: a marketer drafts a tracking plan from a source's real traffic, creates it,
 * connects the source with "block unplanned events", sends an event the plan does not
 * list, and finds it on the plan's violations page, marked blocked, with its sparkline and
 * an example. They add the event to the plan, download the typed client (a .ts file),
 * replay the blocked event from its row, the webhook receives it, the row says it was
 * released by replay (not blocked any more), the example's trace shows the replay, and
 * Delivery health counts it released, not blocked, and delivered.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { e2eDataDir, expect, test } from './fixtures.ts';
import { addWebhookFromCatalog, createSourceFromHome, newMember, unique } from './journeys.ts';

const LIVE = { timeout: 20_000 };
/** How long a web process may keep using a source's previous plan (server/ingest/source-config.ts: 1 s). */
const CONFIG_RELOAD_MS = 1_500;

async function startReceiver() {
  const events: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      events.push(String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: string }).event));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { events, url: `http://127.0.0.1:${port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function send(baseURL: string, writeKey: string, events: Array<{ event: string; properties: Record<string, unknown> }>): Promise<void> {
  const batch = events.map((e, i) => ({ type: 'track', userId: `user-${i + 1}`, ...e }));
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

test('a marketer drafts a plan from traffic, blocks unplanned events, finds one on the violations page and replays it after fixing the plan', async ({ browser, admin, baseURL }) => {
  test.setTimeout(180_000);
  const receiver = await startReceiver();
  const { page } = await newMember(browser, admin, 'editor');
  const shot = (name: string) => page.screenshot({ path: path.join(e2eDataDir(), 'screenshots', `plans-${name}.png`), fullPage: true });

  const sourceName = unique('Store');
  const writeKey = await createSourceFromHome(page, sourceName);
  await addWebhookFromCatalog(page, { name: 'Warehouse', url: receiver.url });
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
  await expect(row.getByTestId('violation-blocked')).toHaveText('1 blocked');
  await expect(row).toContainText('“Refund Requested” is not in the tracking plan');
  await expect(page.getByTestId('violation-row')).toHaveCount(1);
  // Its counts over the week as a sparkline, and the blocked event as an example to open.
  await expect(row.getByRole('img', { name: /Refund Requested, unplanned event: 1 in 7 days/ })).toBeVisible();
  await expect(row.getByTestId('violation-example')).toHaveCount(1);
  await shot('violations');

  // The plan learns the event (a new version); the blocked one is replayed from its row.
  const rules = page.getByLabel('Rules');
  const plan = JSON.parse(await rules.inputValue()) as { events: Array<{ name: string; schema: object }> };
  plan.events.push({ name: 'Refund Requested', schema: { type: 'object', properties: { amount: { type: 'number' } } } });
  await rules.fill(JSON.stringify(plan, null, 2));
  await page.getByRole('button', { name: 'Save as a new version' }).click();
  await expect(page.getByText('Version 2 · 3 events')).toBeVisible();
  // The typed client of the new version downloads as a real .ts file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Typed client' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^store-[a-z0-9-]+-plan\.ts$/);
  const client = await readFile(await download.path(), 'utf8');
  expect(client).toContain('export function refundRequested(');
  await row.getByRole('button', { name: 'Replay blocked…' }).click();
  const dialog = page.getByTestId('blocked-replay');
  await expect(dialog.getByLabel('Event name')).toHaveValue('Refund Requested');
  await expect(dialog.getByLabel('With a violation of kind')).toHaveValue('unplanned_event');
  await dialog.getByRole('button', { name: 'Replay', exact: true }).click();
  await expect(dialog.getByTestId('blocked-replay-result')).toContainText('1 event of 1 now passes the plan and was replayed (1 delivery queued).');
  await shot('replayed');
  await expect.poll(() => receiver.events.filter((e) => e === 'Refund Requested').length, LIVE).toBe(1);
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The row says what happened: released, nothing left blocked, nothing left to replay.
  await expect(row.getByTestId('violation-released')).toHaveText('1 released by replay', LIVE);
  await expect(row.getByTestId('violation-blocked')).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Replay blocked…' })).toHaveCount(0);
  await shot('violations-released');

  // The example's trace: the plan says valid now, the replay is a step, the webhook got it.
  await row.getByTestId('violation-example').first().click();
  const replayStep = page.getByTestId('pipeline-step').filter({ hasText: 'replayed' });
  await expect(replayStep).toContainText('blocked: “Refund Requested” is not in the tracking plan at ingest; replayed');
  await expect(page.getByTestId('pipeline-step').filter({ hasText: 'matches the tracking plan' })).toBeVisible();
  await shot('replayed-trace');

  // Delivery health: 5 received, none blocked any more, 1 released by replay; the webhook
  // delivered all 5 (the released one too).
  await page.getByRole('link', { name: 'Delivery health' }).click();
  const sourceRow = page.getByTestId('overview-source').filter({ hasText: sourceName });
  const destinationRow = page.getByTestId('overview-destination').filter({ hasText: `from ${sourceName}` });
  await expect(async () => {
    // Counters are read every 30 s: reload until the worker's last outcome is in.
    await page.reload();
    await expect(destinationRow.getByTestId('overview-delivered')).toHaveText('5', { timeout: 2_000 });
  }).toPass(LIVE);
  await expect(sourceRow.getByTestId('overview-stored')).toHaveText('5');
  await expect(sourceRow.getByTestId('overview-blocked')).toHaveText('0');
  await expect(sourceRow.getByTestId('overview-released')).toHaveText('1 released by replay');
  await shot('health-released');
  await receiver.close();
});
