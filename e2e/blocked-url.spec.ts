/**
 * Journey: an editor edits a working destination's URL to the cloud metadata address. The
 * form refuses it next to the URL field, saying why, and the destination keeps its URL (so
 * its queued events are not thrown away as BLOCKED_ADDRESS, as they were before).
 */
import { expect, test } from './fixtures.ts';
import { callTrpc, newMember, unique, workspaceIdOf } from './journeys.ts';

test('a blocked destination URL is refused when saved, in the form, with a clear message', async ({ browser, admin }) => {
  const editor = await newMember(browser, admin, 'editor');
  const { page } = editor;
  const workspaceId = await workspaceIdOf(page);
  const source = (await callTrpc(page, 'sources.create', { workspaceId, name: unique('Blocked') }, 'mutation')).data as { id: string };
  const created = (await callTrpc(page, 'destinations.create', { workspaceId, sourceId: source.id, type: 'webhook', name: 'Partner', settings: { url: 'http://127.0.0.1:9/hook' } }, 'mutation')).data as { id: string };

  await page.goto(`/w/demo/destinations/${created.id}`);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const form = page.getByTestId('destination-form');
  await form.getByLabel('Webhook URL').fill('http://169.254.169.254/latest/meta-data');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form).toContainText('169.254.169.254 is a private address destinations may not reach');
  await expect(form).toContainText('SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS');
  await form.screenshot({ path: 'test-results/screens/blocked-url.png' });

  // The same through the API, and the stored URL is unchanged.
  const viaApi = await callTrpc(page, 'destinations.update', { workspaceId, destinationId: created.id, settings: { url: 'http://169.254.169.254/' } }, 'mutation');
  expect(viaApi.errorCode).toBe('BAD_REQUEST');
  const stored = (await callTrpc(page, 'destinations.get', { workspaceId, destinationId: created.id }, 'query')).data as { settings: { url: string } };
  expect(stored.settings.url).toBe('http://127.0.0.1:9/hook');
  await editor.context.close();
});
