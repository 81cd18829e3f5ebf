/**
 * Journey: an editor points a webhook destination at a local receiver, sends events with
 * the source's write key and watches the destination's Activity count them as delivered,
 * live; the receiver got them signed. The editor rotates the signing secret (shown once;
 * both secrets sign for a day), sees refused events discarded, and replays them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expect, test } from './fixtures.ts';
import { newMember, unique } from './journeys.ts';

const LIVE = { timeout: 15_000 };
/** How long a running worker may keep using a destination's previous settings (server/delivery/destination-config.ts). */
const WORKER_CONFIG_RELOAD_MS = 3_500;

interface TReceived {
  headers: Record<string, string>;
  body: string;
}

/** A webhook endpoint on 127.0.0.1 that checks nothing, records every request and answers `status`. */
async function startReceiver() {
  const receiver = { status: 200, requests: [] as TReceived[] };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      receiver.requests.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(receiver.status, { 'content-type': 'application/json' });
      response.end(receiver.status === 200 ? '{"ok":true}' : '{"error":"unauthorized"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { receiver, url: `http://127.0.0.1:${port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function sendBatch(baseURL: string, writeKey: string, events: string[]): Promise<void> {
  const batch = events.map((event, i) => ({ type: 'track', event, userId: `user-${i + 1}`, properties: { plan: 'pro' } }));
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ success: true, accepted: events.length });
}

test('an editor follows deliveries live, rotates the signing secret and replays refused events', async ({ browser, admin, baseURL }) => {
  test.setTimeout(120_000);
  const { receiver, url, close } = await startReceiver();
  const editor = await newMember(browser, admin, 'editor');
  const { page } = editor;

  // A source and its write key.
  const sourceName = unique('Checkout');
  await page.getByRole('button', { name: 'Create source' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(sourceName);
  await page.getByRole('dialog').getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: sourceName, level: 1 })).toBeVisible();
  const writeKey = (await page.getByTestId('write-key').first().textContent()) ?? '';
  expect(writeKey).toMatch(/^wk_/);

  // A webhook destination pointing at the receiver; its secret is shown once.
  await page.getByRole('tab', { name: /Destinations/ }).click();
  await page.getByRole('button', { name: 'Add destination' }).click();
  await page.getByTestId('catalog-type-webhook').click();
  const form = page.getByTestId('destination-form');
  await form.getByLabel('Name', { exact: true }).fill('Receiver');
  await form.getByLabel('Webhook URL').fill(url);
  await form.getByRole('button', { name: 'Create destination' }).click();
  const secretDialog = page.getByRole('dialog');
  const secret = (await secretDialog.getByTestId('signing-secret').textContent()) ?? '';
  expect(secret).toMatch(/^whsec_/);
  await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByRole('heading', { name: 'Receiver', level: 1 })).toBeVisible();

  // Nothing delivered yet.
  const activity = page.getByTestId('destination-activity');
  await expect(activity.getByText('No deliveries yet — send an event to the source')).toBeVisible();
  await expect(activity.getByTestId('stat-delivered')).toHaveText('0');
  await expect(activity.getByTestId('activity-live')).toHaveAttribute('data-status', 'live');

  // Three events: counted as delivered and listed with status 200, without a reload.
  await page.evaluate(() => document.body.setAttribute('data-journey-mark', 'kept'));
  await sendBatch(baseURL ?? '', writeKey, ['Signed Up', 'Order Completed', 'Order Shipped']);
  await expect(activity.getByTestId('stat-delivered')).toHaveText('3', LIVE);
  const rows = activity.getByTestId('attempt-row');
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) {
    await expect(row.getByTestId('attempt-outcome')).toHaveText('Succeeded');
    await expect(row.getByTestId('attempt-status')).toHaveText('HTTP 200');
  }
  await expect(activity.getByTestId('stat-queue')).toHaveText('0');
  await rows.first().click();
  await expect(activity.getByTestId('attempt-detail')).toContainText('{"ok":true}');

  // The receiver got them, signed with the secret shown at creation.
  expect(receiver.requests).toHaveLength(3);
  const names = receiver.requests.map((request) => (JSON.parse(request.body) as { event: string }).event).sort();
  expect(names).toEqual(['Order Completed', 'Order Shipped', 'Signed Up']);
  for (const request of receiver.requests) {
    expect(request.headers['webhook-signature']).toMatch(/^v1,/);
    expect(() => new Webhook(secret).verify(request.body, request.headers)).not.toThrow();
  }

  // Rotation: explained first, the new secret shown once, the old one still signs for 24 h.
  await page.getByRole('button', { name: 'Rotate signing secret' }).click();
  const confirm = page.getByRole('dialog').filter({ hasText: 'Rotate the signing secret' });
  await expect(confirm).toContainText('24 hours');
  await confirm.getByRole('button', { name: 'Rotate secret' }).click();
  const rotatedAt = Date.now();
  const rotated = page.getByRole('dialog').filter({ hasText: 'Copy the new signing secret' });
  await expect(rotated).toContainText("You won't see it again");
  await expect(rotated.getByTestId('previous-secret-until')).toContainText('24 hours');
  const newSecret = (await rotated.getByTestId('signing-secret').textContent()) ?? '';
  expect(newSecret).toMatch(/^whsec_/);
  expect(newSecret).not.toBe(secret);
  await rotated.getByRole('button', { name: 'I have copied it' }).click();
  await expect(rotated).toBeHidden();
  await expect(page.getByTestId('signing-secret-hint')).toHaveText(`whsec_••••${newSecret.slice(-4)}`);
  await expect(page.getByTestId('previous-secret-note')).toBeVisible();
  await expect(page.locator('body')).not.toContainText(newSecret);

  // The endpoint now refuses: the event is discarded, and both secrets signed it (once the
  // worker has reloaded the destination's settings, which it does every few seconds).
  await page.waitForTimeout(Math.max(0, rotatedAt + WORKER_CONFIG_RELOAD_MS - Date.now()));
  receiver.status = 401;
  await sendBatch(baseURL ?? '', writeKey, ['Refund Requested']);
  await expect(activity.getByTestId('stat-discarded')).toHaveText('1', LIVE);
  const discarded = rows.filter({ has: page.getByTestId('attempt-outcome').filter({ hasText: 'Discarded' }) });
  await expect(discarded).toHaveCount(1);
  await expect(discarded.getByTestId('attempt-status')).toHaveText('HTTP 401');
  const refused = receiver.requests[3];
  expect(refused.headers['webhook-signature'].split(' ')).toHaveLength(2);
  expect(() => new Webhook(newSecret).verify(refused.body, refused.headers)).not.toThrow();
  expect(() => new Webhook(secret).verify(refused.body, refused.headers)).not.toThrow();

  // Fixed endpoint: the discarded event is replayed and delivered.
  receiver.status = 200;
  const replay = page.getByTestId('destination-replay');
  await replay.locator('label').filter({ hasText: /^Discarded/ }).click();
  await expect(replay.getByLabel(/^Discarded/)).toBeChecked();
  await replay.getByRole('button', { name: 'Replay events…' }).click();
  const replayDialog = page.getByRole('dialog').filter({ hasText: 'Replay events to' });
  await expect(replayDialog).toContainText('archived or discarded');
  await replayDialog.getByRole('button', { name: 'Replay events' }).click();
  await expect(page.getByText('1 event queued for replay')).toBeVisible();
  await expect(activity.getByTestId('stat-delivered')).toHaveText('4', LIVE);
  await expect(rows.filter({ has: page.getByTestId('attempt-outcome').filter({ hasText: 'Replayed' }) })).toHaveCount(1);
  expect(receiver.requests).toHaveLength(5);
  expect(JSON.parse(receiver.requests[4].body)).toMatchObject({ event: 'Refund Requested' });

  expect(await page.evaluate(() => document.body.getAttribute('data-journey-mark'))).toBe('kept');
  await editor.context.close();
  await close();
});
