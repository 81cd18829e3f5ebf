/**
 * Journey: a marketer (editor) keeps internal test orders away from a webhook. On the
 * destination's Filters tab they build the condition with the visual builder, see the
 * expression it writes, preview it against the source's recent events (one would be
 * dropped), save it, add a second one and move it up to run first, and after sending new
 * events find the matching one marked "filtered" in the source's debugger, while the
 * receiver got only the others. An invalid expression typed by hand is refused with the
 * position and what was expected.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { e2eDataDir, expect, test } from './fixtures.ts';
import { addWebhookFromCatalog, createSourceFromHome, newMember, unique } from './journeys.ts';

const LIVE = { timeout: 15_000 };
/** How long a web process may keep using a source's previous filters (server/ingest/source-config.ts: 1 s). */
const FILTER_RELOAD_MS = 1_500;

async function startReceiver() {
  const bodies: Array<{ event?: string; properties?: Record<string, unknown> }> = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: string });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { bodies, url: `http://127.0.0.1:${port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function send(baseURL: string, writeKey: string, events: Array<{ event: string; email: string }>): Promise<void> {
  const batch = events.map(({ event, email }, i) => ({ type: 'track', event, userId: `user-${i + 1}`, properties: { email, total: 20 + i } }));
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(e2eDataDir(), 'screenshots', `filters-${name}.png`), fullPage: true });
}

test('a marketer builds a filter, previews it on recent events, saves it and sees events marked "filtered"', async ({ browser, admin, baseURL }) => {
  test.setTimeout(150_000);
  const receiver = await startReceiver();
  const { page } = await newMember(browser, admin, 'editor');

  // A source with a webhook destination, and a few events already received.
  const sourceName = unique('Shop');
  const writeKey = await createSourceFromHome(page, sourceName);
  await addWebhookFromCatalog(page, { name: 'Warehouse', url: receiver.url });
  await send(baseURL ?? '', writeKey, [
    { event: 'Order Completed', email: 'qa@acme.test' },
    { event: 'Order Completed', email: 'ada@example.com' },
    { event: 'Signed Up', email: 'bob@acme.test' },
  ]);
  await expect.poll(() => receiver.bodies.length, LIVE).toBe(3);

  // The Filters tab, empty at first.
  await page.getByRole('tab', { name: 'Filters' }).click();
  await expect(page).toHaveURL(/\?tab=filters$/);
  await expect(page.getByText('No filters yet')).toBeVisible();
  await shot(page, 'empty');

  // Build: event equals "Order Completed" and properties.email matches *@acme.test.
  await page.getByRole('button', { name: 'Add filter' }).click();
  const editor = page.getByTestId('filter-editor');
  await editor.getByLabel('Title').fill('No internal test orders');
  await editor.getByLabel('Value 1').fill('Order Completed');
  await editor.getByRole('button', { name: 'Add condition' }).click();
  await editor.getByLabel('Field 2').fill('properties.email');
  await editor.getByLabel('Operator 2').selectOption('match');
  await editor.getByLabel('Value 2').fill('*@acme.test');
  await expect(editor.getByTestId('builder-expression')).toHaveText('event = "Order Completed" and properties.email match "*@acme.test"');

  // Preview against the three events received: one dropped, shown with who it was.
  await editor.getByRole('button', { name: 'Preview on recent events' }).click();
  const preview = editor.getByTestId('filter-preview');
  await expect(preview.getByTestId('preview-count-dropped')).toContainText('1');
  await expect(preview.getByTestId('preview-count-kept')).toContainText('2');
  await expect(preview.getByTestId('preview-row')).toHaveCount(1);
  await expect(preview.getByTestId('preview-row')).toHaveAttribute('data-decision', 'dropped');
  await shot(page, 'preview');

  // Save; the list shows it in order with its expression.
  await editor.getByRole('button', { name: 'Add filter' }).click();
  const row = page.getByTestId('filter-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('filter-condition')).toHaveText('event = "Order Completed" and properties.email match "*@acme.test"');
  await expect(row).toContainText('Drop the event');
  await shot(page, 'list');

  // A hand-written expression with a mistake is refused where it is wrong.
  await page.getByRole('button', { name: 'Add filter' }).click();
  await editor.getByLabel('Title').fill('Broken');
  await editor.getByRole('button', { name: 'Edit as expression' }).click();
  await editor.getByTestId('raw-expression').fill('properties.total > ');
  await editor.getByRole('button', { name: 'Add filter' }).click();
  await expect(editor.getByTestId('condition-error')).toHaveText('Expected a value after ">" at character 20, found the end of the expression');
  await shot(page, 'invalid');
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('filter-row')).toHaveCount(1);

  // A second filter goes last; moving it up makes it run first, and the order is kept.
  await page.getByRole('button', { name: 'Add filter' }).click();
  await editor.getByLabel('Title').fill('Drop debug events');
  await editor.getByLabel('Value 1').fill('Debug');
  await editor.getByRole('button', { name: 'Add filter' }).click();
  const rows = page.getByTestId('filter-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('Drop debug events');
  await page.getByRole('button', { name: 'Move Drop debug events up' }).click();
  await expect(rows.first()).toContainText('Drop debug events');
  await page.reload();
  await expect(rows.first()).toContainText('Drop debug events');
  await expect(rows.nth(1)).toContainText('No internal test orders');
  await expect(page.getByRole('button', { name: 'Move Drop debug events up' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Move No internal test orders down' })).toBeDisabled();
  await shot(page, 'reordered');

  // New events: the internal order is kept from the receiver and marked in the debugger.
  // A web process re-reads a source's filters within FILTER_RELOAD_MS; wait that long once.
  await page.waitForTimeout(FILTER_RELOAD_MS);
  await send(baseURL ?? '', writeKey, [
    { event: 'Order Completed', email: 'ops@acme.test' },
    { event: 'Order Completed', email: 'cy@example.com' },
  ]);
  await expect.poll(() => receiver.bodies.some((b) => b.properties?.email === 'cy@example.com'), LIVE).toBe(true);

  await page.getByRole('link', { name: sourceName }).first().click();
  await page.getByRole('tab', { name: 'Debugger' }).click();
  const filtered = page.getByTestId('event-row').filter({ has: page.getByTestId('event-filtered') });
  await expect(filtered.first()).toBeVisible(LIVE);
  await expect(filtered.first().getByTestId('event-filtered')).toHaveText('filtered');
  const clean = page.getByTestId('event-row').filter({ hasNot: page.getByTestId('event-filtered') });
  await expect(clean.first()).toBeVisible();
  await filtered.first().click();
  await expect(page.getByTestId('routing-decision')).toContainText('Not sent: dropped by filter “No internal test orders”');
  await shot(page, 'debugger');
  expect(receiver.bodies.filter((b) => b.properties?.email === 'ops@acme.test')).toEqual([]);
  expect(receiver.bodies).toHaveLength(4);
  await receiver.close();
});

