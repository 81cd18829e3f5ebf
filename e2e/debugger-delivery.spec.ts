/**
 * Journey: an editor connects three webhook destinations to a source, one healthy, one
 * down (500) and one refusing the key (401), sends one event and opens it in the debugger.
 * Routing sent it to all three; only the healthy one shows a success mark, the others say
 * what delivery made of it. Delivery health's "Retrying now" of the one that is down opens
 * the event in the search.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.ts';
import { callTrpc, newMember, unique, workspaceIdOf } from './journeys.ts';

async function receiver(status: number) {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(status === 200 ? '{"ok":true}' : '{"error":"no"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('the debugger shows each destination\'s delivery next to the routing decision, never a tick for a failure', async ({ browser, admin, baseURL }) => {
  test.setTimeout(120_000);
  const receivers = { ok: await receiver(200), down: await receiver(500), refused: await receiver(401) };
  const editor = await newMember(browser, admin, 'editor');
  const { page } = editor;
  const workspaceId = await workspaceIdOf(page);
  const source = (await callTrpc(page, 'sources.create', { workspaceId, name: unique('Debugged') }, 'mutation')).data as { id: string; writeKeys: { key: string }[] };
  for (const [name, { url }] of [['Warehouse', receivers.ok], ['Partner down', receivers.down], ['Wrong key', receivers.refused]] as const) {
    const created = await callTrpc(page, 'destinations.create', { workspaceId, sourceId: source.id, type: 'webhook', name, settings: { url } }, 'mutation');
    expect(created.errorCode, created.message).toBeUndefined();
  }

  // The worker reloads destinations every few seconds; give it the new ones before sending.
  await page.waitForTimeout(3_500);
  const response = await fetch(`${baseURL}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${source.writeKeys[0].key}:`).toString('base64')}` },
    body: JSON.stringify({ userId: 'user-1', event: 'Order Completed' }),
  });
  expect(response.status).toBe(200);

  await page.goto(`/w/demo/sources/${source.id}?tab=debugger`);
  await page.getByTestId('event-row').first().click();
  const routing = page.getByTestId('event-detail').getByTestId('routing-decision');
  const line = (name: string) => routing.getByTestId('routed-to').filter({ hasText: name });
  await expect(line('Warehouse').getByTestId('delivery-state')).toHaveText('Delivered · answered 200', { timeout: 20_000 });
  await expect(line('Partner down').getByTestId('delivery-state')).toHaveText('Not delivered yet · answered 500', { timeout: 20_000 });
  await expect(line('Partner down')).toContainText('retrying');
  await expect(line('Wrong key').getByTestId('delivery-state')).toHaveText('Failed · answered 401', { timeout: 20_000 });
  await expect(line('Wrong key')).toContainText('not retried');
  await page.getByTestId('event-detail').screenshot({ path: 'test-results/screens/debugger-delivery.png' });

  // Delivery health's "Retrying now" opens that destination's queue in the search: the event,
  // ordered by next attempt (what the queue's index gives), with its retrying badge.
  await page.getByRole('link', { name: 'Delivery health' }).click();
  const down = page.getByTestId('overview-destination').filter({ hasText: 'Partner down' });
  await expect(down.getByTestId('overview-retrying')).toHaveText('1', { timeout: 20_000 });
  await down.getByTestId('overview-retrying').click();
  await expect(page).toHaveURL(/\/events\?.*destinationId=[0-9a-f-]{36}.*state=retrying/);
  // Between attempts (not while the next one is in flight, when it has no answer yet).
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('search-row')).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText('1 event, by next attempt, latest first')).toBeVisible();
  await expect(page.getByTestId('search-destination-chip')).toHaveText(/^Retrying at Partner down$/, { useInnerText: true });
  await expect(page.getByTestId('search-row').getByTestId('delivery-badge').filter({ hasText: 'Partner down' })).toHaveAttribute('data-state', 'retrying');
  await page.screenshot({ path: 'test-results/screens/search-retrying.png', fullPage: true });

  for (const r of Object.values(receivers)) await r.close();
  await editor.context.close();
});
