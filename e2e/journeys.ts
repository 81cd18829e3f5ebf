/**
 * Steps the journeys share: signing in through the form, creating an invite link as an
 * admin, joining from it with a new account in a fresh browser, creating a source and
 * adding a webhook from the catalog, and calling the tRPC API from inside a page (with that page's session cookie), the way a curious user could.
 */
import { randomBytes } from 'node:crypto';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { TCredentials } from './fixtures.ts';

export type TRole = 'admin' | 'editor' | 'support';

export interface TMember extends TCredentials {
  name: string;
  context: BrowserContext;
  page: Page;
}

/**
 * Signing in hashes a password (Argon2) and redirects twice (/ → the workspace); on a
 * machine shared by several test runs that takes longer than expect's default 5 s.
 */
const SIGN_IN_REDIRECT = { timeout: 20_000 };

export function unique(prefix: string): string {
  return `${prefix} ${randomBytes(3).toString('hex')}`;
}

/** Waits until the sign-in / invite / new-workspace card is hydrated, so typing is not lost. */
export async function waitForForm(page: Page): Promise<void> {
  await expect(page.locator('[data-ready="true"]')).toBeVisible();
}

export async function signIn(page: Page, { email, password }: TCredentials): Promise<void> {
  await page.goto('/signin');
  await waitForForm(page);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await landOnOverviewThenOpenSources(page);
}

/**
 * Signing in lands on the workspace overview; most journeys start from the sources, so they
 * go there through the side navigation as a person would.
 */
export async function landOnOverviewThenOpenSources(page: Page): Promise<void> {
  await expect(page).toHaveURL(/\/w\/[^/]+$/, SIGN_IN_REDIRECT);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible(SIGN_IN_REDIRECT);
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Sources', exact: true }).click();
  await expect(page).toHaveURL(/\/w\/[^/]+\/sources$/, SIGN_IN_REDIRECT);
  await expect(page.getByRole('heading', { name: 'Sources', level: 1 })).toBeVisible();
}

/** Picks a role in the role picker of a dialog (the whole card is the radio's label). */
export async function chooseRole(dialog: Locator, role: TRole): Promise<void> {
  await dialog.locator('label').filter({ hasText: new RegExp(`^${role}`, 'i') }).click();
  await expect(dialog.getByRole('radio', { name: new RegExp(`^${role}`, 'i') })).toBeChecked();
}

/** Creates an invite link through the Members screen and returns it (shown once). */
export async function createInviteLink(page: Page, role: TRole): Promise<string> {
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('button', { name: 'Invite member' }).click();
  const dialog = page.getByRole('dialog');
  await chooseRole(dialog, role);
  await dialog.getByRole('button', { name: 'Create invite link' }).click();
  const url = (await dialog.getByTestId('invite-url').textContent()) ?? '';
  expect(url).toMatch(/\/invite\/inv_/);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
  return url;
}

/** Opens an invite link in a fresh browser context and creates an account from it. */
export async function joinWithNewAccount(browser: Browser, inviteUrl: string, role: TRole): Promise<TMember> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const tag = randomBytes(4).toString('hex');
  const member = { name: `${role[0].toUpperCase()}${role.slice(1)} ${tag}`, email: `${role}-${tag}@example.com`, password: `pw-${tag}-long-enough` };
  await page.goto(new URL(inviteUrl).pathname);
  await waitForForm(page);
  await expect(page.getByRole('heading', { name: /^Join / })).toBeVisible();
  await expect(page.getByTestId('role-badge')).toHaveText(role);
  await page.getByLabel('Your name').fill(member.name);
  await page.getByLabel('E-mail').fill(member.email);
  await page.getByLabel('Password').fill(member.password);
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await landOnOverviewThenOpenSources(page);
  await expect(page.getByTestId('user-menu')).toContainText(role);
  return { ...member, context, page };
}

/** An admin signs in (in a context of its own), invites, and the new member joins. */
export async function newMember(browser: Browser, admin: TCredentials, role: TRole): Promise<TMember> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, admin);
  const url = await createInviteLink(page, role);
  await context.close();
  return joinWithNewAccount(browser, url, role);
}

/** From the workspace's home: creates a source and lands on its page. Returns its write key. */
export async function createSourceFromHome(page: Page, name: string): Promise<string> {
  await page.getByRole('button', { name: 'Create source' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const writeKey = page.getByTestId('write-key').first();
  await expect(writeKey).not.toBeEmpty();
  return (await writeKey.textContent()) ?? '';
}

/** On a source's page: Destinations, then "Add destination" (the catalog opens). */
export async function openCatalog(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Destinations/ }).click();
  await page.getByRole('button', { name: 'Add destination' }).click();
}

/** On a source's page: picks the webhook in the catalog, creates it, confirms its signing secret and lands on its page. */
export async function addWebhookFromCatalog(page: Page, { name, url }: { name: string; url: string }): Promise<void> {
  await openCatalog(page);
  await page.getByTestId('catalog-type-webhook').click();
  const form = page.getByTestId('destination-form');
  await form.getByLabel('Name', { exact: true }).fill(name);
  await form.getByLabel('Webhook URL').fill(url);
  await form.getByRole('button', { name: 'Create destination' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
}

export interface TTrpcResult {
  status: number;
  data?: unknown;
  errorCode?: string;
  message?: string;
}

/** Calls a tRPC procedure from inside the page, with its cookies (superjson wire format). */
export async function callTrpc(page: Page, procedure: string, input: unknown, type: 'query' | 'mutation'): Promise<TTrpcResult> {
  return page.evaluate(
    async ({ procedure, input, type }) => {
      const encoded = encodeURIComponent(JSON.stringify({ json: input }));
      const response =
        type === 'query'
          ? await fetch(`/api/trpc/${procedure}?input=${encoded}`)
          : await fetch(`/api/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ json: input }) });
      const body = await response.json();
      return {
        status: response.status,
        data: body.result?.data?.json,
        errorCode: body.error?.json?.data?.code,
        message: body.error?.json?.message,
      };
    },
    { procedure, input, type },
  );
}

export async function workspaceIdOf(page: Page, slug = 'demo'): Promise<string> {
  const me = await callTrpc(page, 'workspaces.me', undefined, 'query');
  const workspaces = (me.data as { workspaces: { id: string; slug: string }[] }).workspaces;
  const workspace = workspaces.find((w) => w.slug === slug);
  if (!workspace) throw new Error(`not a member of ${slug}`);
  return workspace.id;
}
