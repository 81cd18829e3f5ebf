/**
 * Journey (issues 12 and 13): an editor's endpoint fails everything. The destination page
 * says what is really happening — "Paused after 12 failures in the last minute; next probe
 * at 13:07:32" — and the probe arrives at that time; attempt rows never claim "due now"
 * while the breaker holds them. The endpoint recovers and everything is delivered. Then
 * the editor mistypes the host: the events are held (not discarded) until the URL is
 * fixed. Last, the endpoint answers 429 with Retry-After: the page says until when, and the
 * event's trace says its retry window was extended by the time the destination was paused.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.ts';
import { addWebhookFromCatalog, createSourceFromHome, newMember, unique } from './journeys.ts';

const SLOW = { timeout: 60_000 };

/** A webhook endpoint on 127.0.0.1 answering `status` (and `retryAfter` when set); records when each request arrived. */
async function startReceiver() {
  const receiver = { status: 500, retryAfter: null as string | null, arrivals: [] as number[] };
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      receiver.arrivals.push(Date.now());
      response.writeHead(receiver.status, { 'content-type': 'application/json', ...(receiver.retryAfter ? { 'retry-after': receiver.retryAfter } : {}) });
      response.end(receiver.status === 200 ? '{"ok":true}' : '{"error":"down"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { receiver, url: `http://127.0.0.1:${port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function sendBatch(baseURL: string, writeKey: string, count: number, name: string): Promise<void> {
  const batch = Array.from({ length: count }, (_, i) => ({ type: 'track', event: name, userId: `user-${i + 1}` }));
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

/** "13:07:32" → that time today, in ms. */
function today(time: string): number {
  const [h, m, s] = time.split(':').map(Number);
  const date = new Date();
  date.setHours(h, m, s, 0);
  return date.getTime();
}

test('an editor sees why nothing is delivered (paused, held, rate limited) with times that agree, and everything arrives once fixed', async ({ browser, admin, baseURL }) => {
  test.setTimeout(240_000);
  const { receiver, url, close } = await startReceiver();
  const editor = await newMember(browser, admin, 'editor');
  const { page } = editor;

  const writeKey = await createSourceFromHome(page, unique('Storefront'));
  await addWebhookFromCatalog(page, { name: 'Flaky endpoint', url });
  const activity = page.getByTestId('destination-activity');
  await expect(activity.getByTestId('delivery-status')).toHaveCount(0);

  // Everything fails: the breaker opens and the page says so, with the next probe's time.
  await sendBatch(baseURL ?? '', writeKey, 12, 'Checkout Started');
  const status = activity.getByTestId('delivery-status');
  await expect(status).toHaveAttribute('data-state', 'probing', SLOW);
  await expect(status).toContainText(/Paused after \d+ failures in the last minute \(of \d+ attempts\); next probe at \d\d:\d\d:\d\d/);
  await expect(status).toContainText('one request at a time');
  await expect(activity.getByTestId('stat-limit')).toBeVisible();
  const nextRetry = activity.getByTestId('attempt-next-retry');
  await expect(nextRetry.first()).toHaveText('waits (paused)');
  await expect(nextRetry.filter({ hasText: 'due now' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('destination-paused.png'), fullPage: true });

  // The times agree: the probe arrives at the time shown (to the second), not before.
  const shown = (await status.textContent())?.match(/next probe at (\d\d:\d\d:\d\d)/)?.[1] ?? '';
  const before = receiver.arrivals.length;
  await expect.poll(() => receiver.arrivals.length, SLOW).toBeGreaterThan(before);
  const probeAt = receiver.arrivals[before];
  expect(probeAt).toBeGreaterThanOrEqual(today(shown)); // shown to the second, rounded down
  expect(probeAt - today(shown)).toBeLessThan(5_000);

  // It recovers: a probe succeeds, the breaker closes, all 12 arrive.
  receiver.status = 200;
  await expect(activity.getByTestId('stat-delivered')).toHaveText('12', { timeout: 120_000 });
  // (It may still say that it sends under lowered limits, rising while requests succeed.)
  await expect(activity.locator('[data-testid="delivery-status"]:not([data-state="adapting"])')).toHaveCount(0);

  // A mistyped host: the events are held, none discarded, until the URL is fixed.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.getByTestId('destination-form');
  await form.getByLabel('Webhook URL').fill('http://no-such-host.invalid/hook');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toBeHidden();
  await page.waitForTimeout(3_500); // the worker reloads destinations every few seconds
  await sendBatch(baseURL ?? '', writeKey, 3, 'Order Completed');
  await expect(status).toHaveAttribute('data-state', 'held', SLOW);
  await expect(status).toContainText('Held: the host name does not exist');
  await expect(status).toContainText('3 events wait in the queue; none is discarded');
  await expect(activity.getByTestId('stat-queue')).toHaveText('3');
  await expect(activity.getByTestId('stat-discarded')).toHaveText('0');
  await page.screenshot({ path: test.info().outputPath('destination-held.png'), fullPage: true });
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await form.getByLabel('Webhook URL').fill(url);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(activity.getByTestId('stat-delivered')).toHaveText('15', SLOW);
  await expect(activity.locator('[data-testid="delivery-status"]:not([data-state="adapting"])')).toHaveCount(0);

  // Rate limited with a Retry-After: paused until then, and the page says until when.
  receiver.status = 429;
  receiver.retryAfter = '30';
  const sentAt = Date.now();
  await sendBatch(baseURL ?? '', writeKey, 2, 'Product Viewed');
  await expect(status).toHaveAttribute('data-state', 'paused', SLOW);
  await expect(status).toContainText(/Rate limited by the partner until \d\d:\d\d:\d\d/);
  await expect(status).toContainText('HTTP 429 with Retry-After: 30 s');
  const until = (await status.textContent())?.match(/until (\d\d:\d\d:\d\d)/)?.[1] ?? '';
  expect(Math.abs(today(until) - (receiver.arrivals.at(-1)! + 30_000))).toBeLessThan(3_000);
  expect(receiver.arrivals.filter((at) => at > sentAt).length).toBeLessThanOrEqual(2);
  await page.screenshot({ path: test.info().outputPath('destination-rate-limited.png'), fullPage: true });

  // The rate-limited event's trace: the pause does not use up its retry window, and it says by how much.
  await activity.getByTestId('attempt-row').filter({ has: page.getByTestId('attempt-status').filter({ hasText: '429' }) }).first().click();
  await activity.getByTestId('attempt-trace-link').click();
  await expect(page).toHaveURL(/\/events\/[0-9a-f-]{36}$/);
  const delivery = page.getByTestId('trace-delivery');
  await expect(delivery).toHaveAttribute('data-state', 'retrying');
  await expect(delivery.getByTestId('attempt-decision').first()).toContainText('The destination asked to wait 30 s (Retry-After)');
  const windowNote = delivery.getByTestId('delivery-window');
  await expect(windowNote).toContainText(/^The destination was held for (\d+ min )?\d+ s while this event waited \(paused by a Retry-After/, SLOW);
  await expect(windowNote).toContainText(/so its retry window was extended by as much, to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.$/);
  await page.screenshot({ path: test.info().outputPath('trace-window-extended.png'), fullPage: true });

  await editor.context.close();
  await close();
});
