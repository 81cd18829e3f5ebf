/**
 * Journey: a new source's Debugger tab shows how to send the first event; the curl command
 * it shows, run as written, makes the event appear without a reload; a second event of
 * another type streams in, a filter narrows the list, pausing holds new events back, one
 * event opens to its JSON, and a support member reaches the same view by its URL.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from './fixtures.ts';
import { newMember, signIn, unique } from './journeys.ts';

const ARRIVES = { timeout: 10_000 };

/** Splits a command into words the way sh does for what the page shows: spaces, '…', \ and \<newline>. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === '\\') {
      if (command[i + 1] !== '\n') word = (word ?? '') + command[i + 1];
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${command}`);
      word = (word ?? '') + command.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

interface TCurlRequest {
  method: string;
  url: string;
  user: string;
  headers: Record<string, string>;
  body: string;
}

/** The request a `curl -X … URL -u … -H … -d …` command makes; any other option fails the test. */
function parseCurl(command: string): TCurlRequest {
  const [program, ...args] = shellWords(command);
  expect(program).toBe('curl');
  const request: TCurlRequest = { method: 'GET', url: '', user: '', headers: {}, body: '' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-X') request.method = args[++i];
    else if (arg === '-u') request.user = args[++i];
    else if (arg === '-d') request.body = args[++i];
    else if (arg === '-H') {
      const [name, ...value] = args[++i].split(':');
      request.headers[name.trim().toLowerCase()] = value.join(':').trim();
    } else if (!arg.startsWith('-') && !request.url) request.url = arg;
    else throw new Error(`unexpected curl argument ${arg}`);
  }
  return request;
}

async function send(request: TCurlRequest): Promise<unknown> {
  const authorization = `Basic ${Buffer.from(request.user).toString('base64')}`;
  const response = await fetch(request.url, { method: request.method, headers: { ...request.headers, authorization }, body: request.body });
  expect(response.status).toBe(200);
  return response.json();
}

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs the command exactly as shown (sh + curl) when curl is installed, else sends the same request. */
async function runAsShown(command: string): Promise<unknown> {
  if (!hasCurl()) return send(parseCurl(command));
  const { stdout } = await promisify(execFile)('sh', ['-c', command]);
  return JSON.parse(stdout);
}

test('the debugger shows how to send a first event, then streams events live with filters and their JSON', async ({ page, browser, admin, baseURL }) => {
  await signIn(page, admin);
  const name = unique('Debugger');
  await page.getByRole('button', { name: 'Create source' }).first().click();
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const writeKey = (await page.getByTestId('write-key').first().textContent()) ?? '';
  expect(writeKey).toMatch(/^wk_/);

  // The empty state, with commands made of this install's URL and the source's key.
  await page.getByRole('tab', { name: 'Debugger' }).click();
  await expect(page).toHaveURL(/\?tab=debugger$/);
  const empty = page.getByTestId('debugger-empty');
  await expect(empty.getByRole('heading', { name: 'Waiting for the first event' })).toBeVisible();
  await expect(empty.getByRole('button', { name: 'Copy command' })).toBeVisible();
  await expect(empty.getByTestId('node-snippet')).toContainText(`new Analytics({ writeKey: '${writeKey}', host: '${baseURL}' })`);
  await expect(empty.getByTestId('node-snippet')).toContainText('await analytics.closeAndFlush();');
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-status', 'live');

  const command = (await page.getByTestId('curl-command').textContent()) ?? '';
  const request = parseCurl(command);
  expect(request).toMatchObject({ method: 'POST', url: `${baseURL}/v1/track`, user: `${writeKey}:`, headers: { 'content-type': 'application/json' } });
  const tracked = JSON.parse(request.body) as { event: string; userId: string };

  // A reload would lose this mark.
  await page.evaluate(() => document.body.setAttribute('data-journey-mark', 'kept'));
  expect(await runAsShown(command)).toMatchObject({ success: true, accepted: 1 });
  const rows = page.getByTestId('event-row');
  await expect(rows).toHaveCount(1, ARRIVES);
  await expect(rows.first()).toContainText(tracked.event);
  await expect(rows.first()).toContainText(tracked.userId);
  await expect(empty).toBeHidden();

  // A second event of another type streams in on top.
  await send({ ...request, url: request.url.replace(/\/track$/, '/identify'), body: JSON.stringify({ userId: 'user-2', traits: { plan: 'enterprise' } }) });
  await expect(rows).toHaveCount(2, ARRIVES);
  await expect(rows.first()).toHaveAttribute('data-type', 'identify');

  // Filters restart the stream with only what matches.
  await page.getByLabel('Event type').selectOption('track');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-type', 'track');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows).toHaveCount(2);
  await page.getByLabel('User ID or anonymous ID').fill('user-2');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-type', 'identify');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows).toHaveCount(2);

  // Paused, new events wait; resumed, they come in.
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('live-status')).toHaveAttribute('data-status', 'paused');
  await send({ ...request, url: request.url.replace(/\/track$/, '/page'), body: JSON.stringify({ anonymousId: 'anon-1', name: 'Pricing' }) });
  await page.waitForTimeout(3_500);
  await expect(rows).toHaveCount(2);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(rows).toHaveCount(3, ARRIVES);
  await expect(rows.first()).toHaveAttribute('data-type', 'page');

  // One event opened: its full JSON, with the messageId the list shows, and its routing.
  const trackRow = rows.filter({ hasText: tracked.event });
  const messageId = (await trackRow.getByTestId('event-message-id').textContent()) ?? '';
  expect(messageId).not.toBe('');
  await trackRow.click();
  const detail = page.getByTestId('event-detail');
  await expect(detail.getByTestId('event-json')).toContainText(`"messageId": "${messageId}"`);
  await expect(detail.getByTestId('event-json')).toContainText(`"event": "${tracked.event}"`);
  await expect(detail.getByRole('button', { name: 'Copy JSON' })).toBeVisible();
  await expect(detail.getByTestId('routing-decision')).toContainText('No destinations were connected');
  expect(await page.evaluate(() => document.body.getAttribute('data-journey-mark'))).toBe('kept');

  // Support (read-only) opens the same tab from its URL.
  const support = await newMember(browser, admin, 'support');
  await support.page.goto(page.url());
  await expect(support.page.getByRole('tab', { name: 'Debugger', selected: true })).toBeVisible();
  await expect(support.page.getByTestId('event-row')).toHaveCount(3);
  await support.context.close();
});
