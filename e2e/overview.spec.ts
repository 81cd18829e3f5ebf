/**
 * Journey: the workspace home page is an overview. An admin's workspace has a healthy
 * destination and one whose endpoint refuses events; after some traffic the overview counts
 * received and delivered events over 24 h in a chart, and lists the refusing destination
 * (and a paused one) under "Needs attention", with a link to it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.ts';
import { callTrpc, newMember, signIn, unique, waitForForm, workspaceIdOf } from './journeys.ts';

async function receiver(status: number) {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('the overview shows 24 h of traffic and the destinations needing attention, with links', async ({ page, admin, baseURL }) => {
  test.setTimeout(120_000);
  const healthy = await receiver(200);
  const refusing = await receiver(403);
  await signIn(page, admin);
  const workspaceId = await workspaceIdOf(page);
  const source = (await callTrpc(page, 'sources.create', { workspaceId, name: unique('Overview') }, 'mutation')).data as { id: string; writeKeys: { key: string }[] };
  const refusingName = unique('Refusing CRM');
  const pausedName = unique('Paused hook');
  await callTrpc(page, 'destinations.create', { workspaceId, sourceId: source.id, type: 'webhook', name: unique('Healthy'), settings: { url: healthy.url } }, 'mutation');
  const refused = (await callTrpc(page, 'destinations.create', { workspaceId, sourceId: source.id, type: 'webhook', name: refusingName, settings: { url: refusing.url } }, 'mutation')).data as { id: string };
  await callTrpc(page, 'destinations.create', { workspaceId, sourceId: source.id, type: 'webhook', name: pausedName, settings: { url: healthy.url }, enabled: false }, 'mutation');

  await page.waitForTimeout(3_500); // the worker picks new destinations up within a few seconds
  const batch = Array.from({ length: 5 }, (_, i) => ({ type: 'track', event: 'Signed Up', userId: `overview-${i}` }));
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${source.writeKeys[0].key}:`).toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  const attention = page.getByTestId('needs-attention');
  // Delivery figures come from the worker's rollups, written in batches: reload until they show.
  await expect(async () => {
    await page.reload();
    await expect(attention.getByTestId('attention-item').filter({ hasText: refusingName })).toContainText('failed in the last hour', { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
  await expect(attention.getByTestId('attention-item').filter({ hasText: pausedName })).toContainText('Paused');
  await expect(page.getByTestId('total-received')).not.toContainText(/^Received, last 24 h0$/);
  await expect(page.getByTestId('traffic-chart')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/overview.png', fullPage: true });

  await attention.getByTestId('attention-item').filter({ hasText: refusingName }).getByRole('link', { name: refusingName }).click();
  await expect(page).toHaveURL(new RegExp(`/destinations/${refused.id}$`));

  // A brand-new workspace's overview says what to do first.
  const fresh = (await callTrpc(page, 'workspaces.create', { name: unique('Fresh') }, 'mutation')).data as { slug: string };
  await page.goto(`/w/${fresh.slug}`);
  await expect(page.getByTestId('needs-attention')).toContainText('No destinations yet.');
  await expect(page.getByTestId('no-traffic')).toContainText('No events in the last 24 hours.');
  await page.screenshot({ path: 'test-results/screens/overview-empty.png', fullPage: true });
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/destinations/${refused.id}$`));
  await healthy.close();
  await refusing.close();
});

test('a member who creates a second workspace lands on its overview, and the switcher opens each workspace on its overview', async ({ browser, admin }) => {
  const member = await newMember(browser, admin, 'editor');
  const { page } = member;
  const name = unique('Staging');
  await page.getByTestId('workspace-switcher').click();
  await page.getByRole('menuitem', { name: 'Create workspace' }).click();
  await waitForForm(page);
  await page.getByLabel('Workspace name').fill(name);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page).toHaveURL(/\/w\/staging-[^/]+$/);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  await expect(page.getByTestId('workspace-switcher')).toContainText(name);
  // A new workspace has no traffic yet: the overview says where to start.
  await expect(page.getByText('No events in the last 24 hours')).toBeVisible();

  await page.getByTestId('workspace-switcher').click();
  await page.getByRole('menuitem', { name: /^Demo/ }).click();
  await expect(page).toHaveURL(/\/w\/demo$/);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  await expect(page.getByTestId('workspace-switcher')).toContainText('Demo');
  await member.context.close();
});
