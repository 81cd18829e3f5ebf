/** Journey 4: a support member can look at everything but change nothing, in the UI and at the API. */
import { expect, test } from './fixtures.ts';
import { callTrpc, newMember, signIn, unique, workspaceIdOf } from './journeys.ts';

test('a support member sees sources and destinations without change controls, and the API refuses changes', async ({ browser, page, admin }) => {
  // An admin prepares a source with a destination for support to look at.
  await signIn(page, admin);
  const workspaceId = await workspaceIdOf(page);
  const sourceName = unique('Support view');
  const source = await callTrpc(page, 'sources.create', { workspaceId, name: sourceName }, 'mutation');
  const sourceId = (source.data as { id: string }).id;
  const created = await callTrpc(
    page,
    'destinations.create',
    { workspaceId, sourceId, type: 'webhook', name: 'Support-visible hook', settings: { url: 'http://127.0.0.1:9/hook', headers: { 'X-Api-Key': 'support-must-not-see' } } },
    'mutation',
  );
  const destinationId = (created.data as { id: string }).id;

  const support = await newMember(browser, admin, 'support');
  const view = support.page;
  const hint = 'Your role (support) can view but not change';

  await expect(view.getByTestId('sources-table')).toContainText(sourceName);
  await expect(view.getByTestId('read-only-hint')).toContainText(hint);
  await expect(view.getByRole('button', { name: 'Create source' })).toHaveCount(0);
  await expect(view.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
  await expect(view.getByRole('link', { name: 'API tokens' })).toHaveCount(0);

  await view.getByRole('link', { name: sourceName }).click();
  await expect(view.getByTestId('write-key')).toHaveCount(1);
  await expect(view.getByTestId('read-only-hint')).toContainText(hint);
  await expect(view.getByRole('button', { name: 'Add a key' })).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'Rename' })).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'Delete source…' })).toHaveCount(0);
  await expect(view.getByLabel('Name')).toBeDisabled();
  await expect(view.getByTestId('source-enabled').locator('input')).toBeDisabled();

  await view.getByRole('tab', { name: /Destinations/ }).click();
  await expect(view.getByTestId('destinations-table')).toContainText('Support-visible hook');
  await expect(view.getByRole('button', { name: 'Add destination' })).toHaveCount(0);
  await view.getByRole('link', { name: 'Support-visible hook' }).click();
  await expect(view).toHaveURL(new RegExp(`/destinations/${destinationId}$`));
  await expect(view.getByTestId('destination-header')).toHaveText('X-Api-Key: ••••-see');
  await expect(view.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0);
  await expect(view.getByTestId('destination-enabled').locator('input')).toBeDisabled();

  // The server refuses too, whatever the UI shows.
  const attempts: [string, unknown][] = [
    ['sources.create', { workspaceId, name: 'Sneaky' }],
    ['sources.update', { workspaceId, sourceId, name: 'Renamed by support' }],
    ['sources.addWriteKey', { workspaceId, sourceId }],
    ['destinations.update', { workspaceId, destinationId, enabled: false }],
    ['destinations.delete', { workspaceId, destinationId }],
    ['members.invite', { workspaceId, role: 'admin' }],
    ['tokens.create', { workspaceId, name: 'Sneaky', role: 'admin' }],
  ];
  for (const [procedure, input] of attempts) {
    const result = await callTrpc(view, procedure, input, 'mutation');
    expect({ procedure, status: result.status, code: result.errorCode }).toEqual({ procedure, status: 403, code: 'FORBIDDEN' });
  }
  const audit = await callTrpc(view, 'audit.list', { workspaceId }, 'query');
  expect(audit.errorCode).toBe('FORBIDDEN');

  await view.reload();
  await expect(view.getByRole('heading', { name: 'Support-visible hook', level: 1 })).toBeVisible();
  await expect(view.getByTestId('destination-enabled').locator('input')).toBeChecked();
  await support.context.close();
});
