/**
 * Journey: a marketer adds Amplitude from the catalog with a wrong API key, sends a test
 * event and reads why Amplitude refused it, fixes the key, sends again and sees it
 * accepted, then watches real events delivered. A local Amplitude (the same simulator the
 * integration tests use) checks every request as Amplitude's documentation says.
 */
import path from 'node:path';
import { AMPLITUDE_KEY, startAmplitude } from '../server/destinations/catalog/amplitude/simulator.ts';
import { expect, test } from './fixtures.ts';
import { createSourceFromHome, newMember, openCatalog, unique } from './journeys.ts';

const LIVE = { timeout: 15_000 };
const SHOTS = path.join(import.meta.dirname, '..', '.test-data', 'screenshots');

test('a marketer connects Amplitude from the catalog, fixes a rejected key with a test event, and sees events delivered', async ({ browser, admin, baseURL }) => {
  test.setTimeout(120_000);
  const amplitude = await startAmplitude();
  const marketer = await newMember(browser, admin, 'editor');
  const { page } = marketer;
  await page.setViewportSize({ width: 1360, height: 1000 });

  const sourceName = unique('Web shop');
  const writeKey = await createSourceFromHome(page, sourceName);

  // The catalog: logos, categories, search.
  await openCatalog(page);
  const catalog = page.getByTestId('catalog');
  await expect(catalog.getByTestId('catalog-type-amplitude')).toBeVisible();
  await expect(catalog.getByTestId('catalog-type-mixpanel')).toBeVisible();
  await expect(catalog.getByRole('img', { name: 'Amplitude logo' })).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'catalog.png'), fullPage: true });
  await catalog.getByRole('tab', { name: 'Messaging' }).click();
  await expect(catalog.getByTestId('catalog-type-slack')).toBeVisible();
  await expect(catalog.getByTestId('catalog-type-amplitude')).toHaveCount(0);
  await catalog.getByRole('tab', { name: 'All' }).click();
  await catalog.getByLabel('Search the catalog').fill('zzz-no-such-tool');
  await expect(page.getByTestId('catalog-empty')).toContainText('Raw HTTP');
  await page.screenshot({ path: path.join(SHOTS, 'catalog-no-match.png') });
  await catalog.getByLabel('Search the catalog').fill('amplit');
  await expect(catalog.getByRole('button')).toHaveCount(1);
  await catalog.getByTestId('catalog-type-amplitude').click();

  // What it does, then the form generated from its settings schema, checked as it is filled in.
  await expect(page.getByTestId('type-intro')).toContainText('insert_id');
  await expect(page.getByTestId('type-intro')).toContainText('identify');
  const form = page.getByTestId('destination-form');
  await expect(form.getByRole('checkbox', { name: sourceName })).toBeChecked();
  await form.getByRole('button', { name: 'Save destination' }).click();
  await expect(form).toContainText('API key is required');
  await form.getByLabel('API key').fill('wrong-key-7777');
  await expect(form).not.toContainText('API key is required');
  await form.getByLabel('Region').selectOption('eu');
  await form.getByRole('button', { name: 'Advanced settings' }).click();
  await expect(form.getByLabel('Endpoint')).toHaveValue('https://api.eu.amplitude.com');
  await form.getByLabel('Endpoint').fill('not a url');
  await expect(form).toContainText('Enter a full URL');
  await form.getByLabel('Endpoint').fill(amplitude.url);
  await page.screenshot({ path: path.join(SHOTS, 'amplitude-form.png'), fullPage: true });
  await form.getByRole('button', { name: 'Save destination' }).click();

  // The test panel: Amplitude refuses the key, and says so in words.
  await expect(page.getByRole('heading', { name: 'Amplitude', level: 1 })).toBeVisible();
  const tester = page.getByTestId('test-event');
  await expect(tester.getByLabel('Event to send')).toBeVisible();
  await tester.getByRole('button', { name: 'Send test event' }).click();
  await expect(tester.getByTestId('test-verdict')).toHaveText('Rejected');
  await expect(tester.getByTestId('test-explanation')).toContainText('Amplitude says the API key is invalid');
  await expect(tester.getByTestId('test-request')).toContainText(`POST ${amplitude.url}/2/httpapi`);
  await expect(tester.getByTestId('test-request')).toContainText('"api_key": "••••7777"');
  await expect(tester.getByTestId('test-response')).toContainText('Invalid API key');
  await expect(page.locator('body')).not.toContainText('wrong-key-7777');
  await page.screenshot({ path: path.join(SHOTS, 'test-panel-rejected.png'), fullPage: true });

  // Fix the key (other settings keep their values), send again: accepted.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const edit = page.getByTestId('destination-form');
  await expect(edit.getByLabel('API key')).toHaveValue('');
  await edit.getByLabel('API key').fill(AMPLITUDE_KEY);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Destination saved')).toBeVisible();
  await expect(page.getByTestId('setting-row-apiKey')).toContainText(`••••${AMPLITUDE_KEY.slice(-4)}`);
  await expect(page.getByTestId('setting-row-region')).toContainText('EU residency');
  await tester.getByLabel('Event to send').selectOption('sample:identify');
  await tester.getByRole('button', { name: 'Send test event' }).click();
  await expect(tester.getByTestId('test-verdict')).toHaveText('Delivered');
  await expect(tester.getByTestId('test-explanation')).toHaveText('Amplitude accepted the event (events ingested: 1)');
  await expect(tester.getByTestId('test-request')).toContainText('"$identify"');
  await page.screenshot({ path: path.join(SHOTS, 'test-panel-delivered.png'), fullPage: true });

  // Test events left no trace in the activity; real events are delivered.
  const activity = page.getByTestId('destination-activity');
  await expect(activity.getByTestId('stat-delivered')).toHaveText('0');
  const batch = ['Signed Up', 'Order Completed'].map((event, i) => ({ type: 'track', event, userId: `customer-${i + 100}`, properties: { plan: 'pro' } }));
  const response = await fetch(`${baseURL}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify({ batch }),
  });
  expect(response.status).toBe(200);
  await expect(activity.getByTestId('stat-delivered')).toHaveText('2', LIVE);
  await activity.getByTestId('attempt-row').first().click();
  // The worker batches Amplitude deliveries: the two events usually share one request.
  await expect(activity.getByTestId('attempt-explanation')).toHaveText(/^Amplitude accepted the event \(events ingested: (1|2\) \(in a request of 2 events)\)$/);
  const delivered = amplitude.requests.filter((r) => r.body.includes('customer-10')).flatMap((r) => (JSON.parse(r.body) as { events: Array<{ event_type: string }> }).events);
  expect(delivered.map((e) => e.event_type).sort()).toEqual(['Order Completed', 'Signed Up']);

  await marketer.context.close();
  await amplitude.close();
});
