/**
 * Journey: a support engineer types a customer's e-mail in the search box, finds their
 * events, opens the one whose destination answered 500 twice and then 200 (a local
 * receiver), reads the three attempts with their status codes and bodies, and then that
 * destination's status-code chart, and opens the events behind the overview's "Delivered"
 * step of that destination. An editor re-sends the event from its trace.
 * Screenshots of the search, the trace, the charts and the empty states go to
 * test-results/traces/ to be looked at.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.ts';
import { callTrpc, newMember, unique, workspaceIdOf } from './journeys.ts';

const LIVE = { timeout: 30_000 };
const SHOTS = 'test-results/traces';

/** A receiver that answers 500 (with a body) to the first two requests of each webhook-id, then 200. */
async function startFlakyReceiver() {
  const seen = new Map<string, number>();
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id'] ?? '');
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      if (n <= 2) {
        response.writeHead(500, { 'content-type': 'application/json', 'x-request-id': `req-${id.slice(0, 8)}-${n}`, 'x-ratelimit-remaining': '41', etag: '"not-kept"' });
        response.end('{"error":"database is down, try later"}');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"ok":true}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('support finds a customer by e-mail and reads every attempt; the status-code chart shows the 500s', async ({ browser, admin, baseURL }) => {
  test.setTimeout(180_000);
  const receiver = await startFlakyReceiver();
  const editor = await newMember(browser, admin, 'editor');
  const workspaceId = await workspaceIdOf(editor.page);

  // A source and a webhook at the receiver, with short retries so the journey doesn't wait minutes.
  const source = await callTrpc(editor.page, 'sources.create', { workspaceId, name: unique('Mobile app') }, 'mutation');
  const { id: sourceId, name: sourceName, writeKeys } = source.data as { id: string; name: string; writeKeys: Array<{ key: string }> };
  const destinationName = unique('Warehouse');
  const created = await callTrpc(editor.page, 'destinations.create', { workspaceId, sourceId, type: 'webhook', name: destinationName, settings: { url: receiver.url, headers: { authorization: 'Bearer e2e-very-secret' } }, delivery: { minBackoffSeconds: 1, maxBackoffSeconds: 2 } }, 'mutation');
  expect(created.errorCode).toBeUndefined();

  // The customer's app sends an identify with their e-mail (and someone else sends a track).
  const email = `dana.${Date.now()}@example.com`;
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'AcmeMobile/5.2 (iPhone)', authorization: `Basic ${Buffer.from(`${writeKeys[0].key}:`).toString('base64')}` },
    body: JSON.stringify({
      batch: [
        { type: 'identify', userId: 'dana-42', traits: { email: email.replace('dana', 'Dana'), plan: 'enterprise' }, timestamp: new Date(Date.now() - 5000).toISOString(), sentAt: new Date().toISOString() },
        { type: 'track', event: 'Viewed Pricing', userId: 'someone-else', properties: { plan: 'pro' } },
      ],
    }),
  });
  expect(response.status).toBe(200);

  // Support types the e-mail (in another case) into the search box in the top bar.
  const support = await newMember(browser, admin, 'support');
  const { page } = support;
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.getByTestId('global-search').fill(email.toUpperCase());
  await page.getByTestId('global-search').press('Enter');
  await expect(page).toHaveURL(/\/events\?q=/);
  const rows = page.getByTestId('search-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('dana-42');
  await expect(rows.first()).toContainText(email);
  await expect(rows.first().getByTestId('delivery-badge')).toContainText(destinationName);
  await expect(rows.first().getByTestId('delivery-badge')).toHaveAttribute('data-state', 'delivered', LIVE);
  await page.reload();
  await expect(page.getByTestId('search-row').first().getByTestId('delivery-badge')).toHaveAttribute('data-state', 'delivered', LIVE);
  await page.screenshot({ path: `${SHOTS}/search.png`, fullPage: true });

  // The trace: three attempts, 500, 500, 200, with the answers and the decisions in words.
  await page.getByTestId('search-row').first().click();
  await expect(page).toHaveURL(/\/events\/[0-9a-f-]{36}$/);
  const delivery = page.getByTestId('trace-delivery').filter({ hasText: destinationName });
  await expect(delivery).toHaveAttribute('data-state', 'delivered', LIVE);
  await expect(delivery.getByTestId('delivery-summary')).toHaveText('Delivered at attempt 3 (HTTP 200).');
  const attempts = delivery.getByTestId('attempt');
  await expect(attempts).toHaveCount(3);
  await expect(attempts.getByTestId('attempt-status')).toHaveText(['500', '500', '200']);
  await expect(attempts.nth(0).getByTestId('attempt-decision')).toContainText('HTTP 500 is retried; next attempt at');
  await attempts.nth(0).getByRole('button').first().click();
  await expect(attempts.nth(0).getByTestId('response-excerpt')).toContainText('database is down, try later');
  await expect(attempts.nth(0).getByTestId('request-headers')).toContainText('authorization••••••');
  await expect(attempts.nth(0).getByTestId('request-headers')).not.toContainText('e2e-very-secret');
  // The answer's headers that matter are kept with it (the partner's request id to quote, the quota left), not the rest.
  await expect(attempts.nth(0).getByTestId('response-headers')).toContainText(/x-request-idreq-[0-9a-f]{8}-1/);
  await expect(attempts.nth(0).getByTestId('response-headers')).toContainText('x-ratelimit-remaining41');
  await expect(attempts.nth(0).getByTestId('response-headers')).not.toContainText('etag');
  await attempts.nth(2).getByRole('button').first().click();
  await expect(attempts.nth(2).getByTestId('response-excerpt')).toContainText('"ok": true');
  await expect(page.getByTestId('trace-received')).toContainText('AcmeMobile/5.2 (iPhone)');
  await expect(page.getByTestId('payload-as-sent')).toContainText(email.replace('dana', 'Dana'));
  await expect(page.getByTestId('pipeline-step').filter({ hasText: 'routing' })).toContainText(`sent to ${destinationName}`);
  await expect(delivery.getByTestId('resend')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/trace.png`, fullPage: true });

  // That destination's status-code chart: both events of the batch got 500, 500, then 200.
  await delivery.getByRole('link', { name: 'Status codes' }).click();
  const charts = page.getByTestId('status-charts');
  await expect(charts.getByTestId('kpi-attempts')).toContainText(/Attempts\s*6\s*2 delivered/, LIVE);
  await expect(charts.getByTestId('kpi-first')).toContainText('0 %');
  await expect(charts.getByTestId('kpi-eventual')).toContainText('100 %');
  await expect(charts.getByTestId('chart-codes')).toContainText('HTTP 500');
  await expect(charts.getByTestId('top-responses')).toContainText('database is down, try later');
  await charts.scrollIntoViewIfNeeded();
  await charts.screenshot({ path: `${SHOTS}/charts.png` });
  await charts.getByTestId('range-1h').click();
  await expect(charts.getByTestId('kpi-attempts')).toContainText(/Attempts\s*6/);

  // Delivery health and the empty states.
  await page.getByRole('link', { name: 'Delivery health' }).click();
  await expect(page.getByTestId('overview-source').filter({ hasText: sourceName }).getByTestId('overview-stored')).toHaveText('2', LIVE);
  await expect(page.getByTestId('overview-destination').filter({ hasText: destinationName }).getByTestId('overview-delivered')).toHaveText('2');
  await page.screenshot({ path: `${SHOTS}/health.png`, fullPage: true });
  // Each step of the overview opens the events behind it: here, the two delivered to the Warehouse.
  await page.getByTestId('overview-destination').filter({ hasText: destinationName }).getByTestId('overview-delivered').click();
  await expect(page).toHaveURL(/\/events\?.*destinationId=[0-9a-f-]{36}.*state=delivered/);
  // The chip shows the destination's name as written (innerText: as rendered, after CSS text-transform).
  await expect(page.getByTestId('search-destination-chip')).toHaveText(`Delivered at ${destinationName}`, { useInnerText: true });
  await expect(page.getByTestId('search-row')).toHaveCount(2);
  await expect(page.getByTestId('search-row').getByTestId('delivery-badge')).toHaveCount(2);
  for (const badge of await page.getByTestId('search-row').getByTestId('delivery-badge').all()) await expect(badge).toHaveAttribute('data-state', 'delivered');
  await page.screenshot({ path: `${SHOTS}/search-by-state.png`, fullPage: true });
  await page.getByTestId('search-destination-filter').getByRole('button', { name: 'Show all events' }).click();
  await expect(page.getByTestId('search-destination-filter')).toHaveCount(0);
  await page.getByTestId('global-search').fill('nobody@example.com');
  await page.getByTestId('global-search').press('Enter');
  await expect(page.getByTestId('empty-state')).toContainText('No events for “nobody@example.com”');
  await page.screenshot({ path: `${SHOTS}/search-empty.png` });

  // An editor re-sends the event from its trace: a replay attempt appears.
  const tracePath = new URL(page.url()).pathname.replace(/\/events.*$/, '');
  await editor.page.goto(`${tracePath}/events?q=${encodeURIComponent(`email:${email}`)}`);
  await editor.page.getByTestId('search-row').first().click();
  const editorDelivery = editor.page.getByTestId('trace-delivery').filter({ hasText: destinationName });
  await editorDelivery.getByTestId('resend').click();
  await editor.page.getByRole('dialog').getByRole('button', { name: 'Re-send' }).click();
  await expect(editorDelivery.getByTestId('attempt')).toHaveCount(7, LIVE);
  await expect(editorDelivery.getByText('Replay').first()).toBeVisible();
  await expect(editorDelivery).toHaveAttribute('data-state', 'delivered', LIVE);

  await receiver.close();
  await support.context.close();
  await editor.context.close();
});
