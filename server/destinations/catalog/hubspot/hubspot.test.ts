/** HubSpot custom behavioral events and contacts through the real tracking API and worker, against a local HubSpot. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall, testEvent } from '../test-partner.ts';
import { hubspot } from './index.ts';
import { HUBSPOT_EVENTS_ONLY, HUBSPOT_TOKEN, HUBSPOT_UNSCOPED, startHubSpot } from './simulator.ts';

const suite = partnerSuite(startHubSpot);
const MAP = 'Order Completed = pe2468_order_completed\nRefund Requested = pe2468_refund_requested';
const world = (settings: Record<string, unknown> = {}) => createPartnerWorld(suite.testDb, 'hubspot', { accessToken: HUBSPOT_TOKEN, eventNames: MAP, endpoint: suite.sim.url, ...settings });

async function track(writeKey: string, event: string, messageId: string, properties: Record<string, unknown> = { email: 'ada@example.com', revenue: 42.5 }, userId = 'user-1001') {
  const res = await fetch(`${suite.server.url}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
    body: JSON.stringify({ event, userId, properties, messageId, timestamp: '2026-11-30T12:00:00.000Z' }),
  });
  expect(res.status).toBe(200);
  return messageId;
}

async function identify(writeKey: string, userId: string, messageId: string, traits: Record<string, unknown>) {
  const res = await fetch(`${suite.server.url}/v1/identify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
    body: JSON.stringify({ userId, traits, messageId, timestamp: '2026-11-30T12:00:00.000Z' }),
  });
  expect(res.status).toBe(200);
  return messageId;
}

describe('HubSpot destination', () => {
  it('sends a mapped track call as the custom event on the contact with that e-mail', async () => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-mapped'));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 204, explanation: 'HubSpot recorded the event on the contact' });
    await expectGolden(path.join(import.meta.dirname, 'golden', 'track.json'), goldenOf(suite.sim.requests.slice(before)[0]));
  });

  it('skips what it cannot send, saying why: other calls, unmapped events, no contact to put it on', async () => {
    const { writeKey, destinationId } = await world();
    expect((await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'page'))).explanation).toBe('HubSpot takes track calls (as custom behavioral events) and identify calls (as contacts); a page call is not sent');
    expect((await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Signed Up', 'msg-unmapped'))).explanation).toBe('No HubSpot event is mapped for “Signed Up”: add a line for it under Event names');
    const noEmail = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-no-email', { revenue: 1 }));
    expect(noEmail).toMatchObject({
      state: 'skipped',
      explanation: 'HubSpot custom behavioral events need a contact, found here by e-mail, and this event has none (properties.email or context.traits.email); set a user ID property to find contacts by user ID',
    });
  });

  it('an event HubSpot does not know is discarded with HubSpot\'s message', async () => {
    const { writeKey, destinationId } = await world();
    const outcome = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Refund Requested', 'msg-undefined'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 400, explanation: 'HubSpot rejected the event: Event definition pe2468_refund_requested not found.' });
  });

  it('explains a bad token and a token without the scope', async () => {
    const bad = await world({ accessToken: 'pat-na1-wrong' });
    expect((await firstOutcome(suite.testDb, bad.destinationId, await track(bad.writeKey, 'Order Completed', 'msg-401'))).explanation).toMatch(/^HubSpot says the access token is invalid/);
    const unscoped = await world({ accessToken: HUBSPOT_UNSCOPED });
    const outcome = await firstOutcome(suite.testDb, unscoped.destinationId, await track(unscoped.writeKey, 'Order Completed', 'msg-403'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 403 });
    expect(outcome.explanation).toMatch(/analytics\.behavioral_events\.send scope/);
  });

  it('creates the contact of an identify call by the user ID property, in the shape HubSpot documents', async () => {
    const { writeKey, destinationId } = await world({ userIdProperty: 'app_user_id' });
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'identify'));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 200, explanation: 'HubSpot created the contact' });
    await expectGolden(path.join(import.meta.dirname, 'golden', 'identify.json'), goldenOf(suite.sim.requests.slice(before)[0]));
    expect([...suite.sim.contacts.values()]).toContainEqual({ app_user_id: 'user-1001', email: 'ada@example.com' });
  });

  it('puts an event without an e-mail on the contact with its user ID: looks the contact up, then sends by record ID', async () => {
    const { writeKey, destinationId } = await world({ userIdProperty: 'app_user_id' });
    await firstOutcome(suite.testDb, destinationId, await identify(writeKey, 'user-2002', 'msg-identify-2002', { email: 'grace@example.com', firstName: 'Grace' }));
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-by-user-id', { revenue: 7 }, 'user-2002'));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 204, explanation: 'HubSpot recorded the event on the contact' });
    const [lookup, sent] = suite.sim.requests.slice(before);
    expect(`${lookup.method} ${lookup.path}?${lookup.query.toString()}`).toBe('GET /crm/v3/objects/contacts/user-2002?idProperty=app_user_id&properties=email');
    const id = [...suite.sim.contacts.entries()].find(([, c]) => c.app_user_id === 'user-2002')![0];
    expect(JSON.parse(sent.body)).toEqual({ eventName: 'pe2468_order_completed', objectId: id, occurredAt: '2026-11-30T12:00:00.000Z', properties: { revenue: 7 } });
  });

  it('an event whose user has no contact yet: sent by its e-mail if it has one, else skipped saying so', async () => {
    const { writeKey, destinationId } = await world({ userIdProperty: 'app_user_id' });
    const byEmail = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-unknown-user-email', { email: 'new@example.com' }, 'user-3003'));
    expect(byEmail).toMatchObject({ state: 'succeeded', explanation: 'HubSpot recorded the event on the contact' });
    const before = suite.sim.requests.length;
    const skipped = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-unknown-user', { revenue: 1 }, 'user-4004'));
    expect(skipped).toMatchObject({
      state: 'skipped',
      explanation: 'HubSpot has no contact whose app_user_id is user-4004, and the event has no e-mail to find one by: an identify call with this user ID creates the contact',
    });
    expect(suite.sim.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('a look-up the private app may not make is discarded, naming the scope to add', async () => {
    const { writeKey, destinationId } = await world({ userIdProperty: 'app_user_id', accessToken: HUBSPOT_EVENTS_ONLY });
    const outcome = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-no-read-scope', { revenue: 1 }, 'user-5005'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 403, explanation: 'HubSpot says the private app lacks the crm.objects.contacts.read scope: add it to the app in HubSpot' });
  });

  it('skips an identify call with nothing to find the contact by, and discards one with a property HubSpot does not have', async () => {
    const { writeKey, destinationId } = await world();
    const none = await firstOutcome(suite.testDb, destinationId, await identify(writeKey, 'user-6006', 'msg-identify-no-email', { plan: 'pro' }));
    expect(none).toMatchObject({ state: 'skipped', explanation: 'HubSpot identifies contacts by e-mail here (no user ID property is set), and this identify call has no traits.email' });
    const custom = await world({ userIdProperty: 'crm_user_key' });
    const refused = await firstOutcome(suite.testDb, custom.destinationId, await identify(custom.writeKey, 'user-7007', 'msg-identify-unknown-property', { email: 'x@example.com' }));
    expect(refused).toMatchObject({ state: 'discarded', statusCode: 400 });
    expect(refused.explanation).toBe('HubSpot rejected the contact: Property "crm_user_key" does not exist');
  });

  it('a known user costs one call: the contact\'s record ID is remembered after the first look-up', async () => {
    const { writeKey, destinationId } = await world({ userIdProperty: 'app_user_id' });
    await firstOutcome(suite.testDb, destinationId, await identify(writeKey, 'user-8008', 'msg-identify-8008', { email: 'hedy@example.com' }));
    const before = suite.sim.requests.length;
    for (const n of [1, 2, 3]) {
      const outcome = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', `msg-known-${n}`, { revenue: n }, 'user-8008'));
      expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 204 });
    }
    const id = [...suite.sim.contacts.entries()].find(([, c]) => c.app_user_id === 'user-8008')![0];
    const calls = suite.sim.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /crm/v3/objects/contacts/user-8008', 'POST /events/v3/send', 'POST /events/v3/send', 'POST /events/v3/send']);
    expect(calls.filter((r) => r.method === 'POST').map((r) => (JSON.parse(r.body) as { objectId: string }).objectId)).toEqual([id, id, id]);
  });

  it('a remembered contact that HubSpot no longer has (merged, deleted) is looked up again and the event still arrives', async () => {
    const { writeKey, destinationId } = await world({ userIdProperty: 'app_user_id' });
    await firstOutcome(suite.testDb, destinationId, await identify(writeKey, 'user-9009', 'msg-identify-9009', { email: 'joan@example.com' }));
    await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-before-merge', { revenue: 1 }, 'user-9009'));
    // HubSpot merges the contact: it lives on under a new record ID.
    const [oldId, contact] = [...suite.sim.contacts.entries()].find(([, c]) => c.app_user_id === 'user-9009')!;
    suite.sim.contacts.delete(oldId);
    const newId = `${oldId}0`;
    suite.sim.contacts.set(newId, contact);
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-after-merge', { revenue: 2 }, 'user-9009'));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 204, explanation: 'HubSpot recorded the event on the contact' });
    const calls = suite.sim.requests.slice(before);
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /events/v3/send', 'GET /crm/v3/objects/contacts/user-9009', 'POST /events/v3/send']);
    expect((JSON.parse(calls[0].body) as { objectId: string }).objectId).toBe(oldId);
    expect((JSON.parse(calls[2].body) as { objectId: string }).objectId).toBe(newId);
    // And the new record ID is the one remembered now.
    const after = suite.sim.requests.length;
    await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-after-merge-2', { revenue: 3 }, 'user-9009'));
    expect(suite.sim.requests.slice(after).map((r) => `${r.method} ${(JSON.parse(r.body || '{}') as { objectId?: string }).objectId ?? ''}`)).toEqual([`POST ${newId}`]);
  });

  it('"send test event" always shows the look-up, even for a user whose contact is remembered', async () => {
    const w = await world({ userIdProperty: 'app_user_id' });
    await firstOutcome(suite.testDb, w.destinationId, await identify(w.writeKey, 'user-1001', 'msg-identify-test-event', { email: 'ada@example.com' }));
    await firstOutcome(suite.testDb, w.destinationId, await track(w.writeKey, 'Order Completed', 'msg-remembered', { revenue: 1 }, 'user-1001'));
    const event = await suite.testDb.db.event.findFirstOrThrow({ where: { messageId: 'msg-remembered', sourceId: w.sourceId } });
    const before = suite.sim.requests.length;
    const result = await testEvent(suite.testDb, w, { eventId: event.id });
    expect(result).toMatchObject({ verdict: 'delivered', explanation: 'HubSpot recorded the event on the contact' });
    expect(suite.sim.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /crm/v3/objects/contacts/user-1001', 'POST /events/v3/send']);
  });

  it('names event properties the way HubSpot accepts them (a letter first; lower-case letters, digits, underscores)', async () => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-property-names', { email: 'ada@example.com', $revenue: 9.5, 'Order ID': 'o-7', '2fa': true, _: 'dropped' }));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 204 });
    expect((JSON.parse(suite.sim.requests.slice(before)[0].body) as { properties: unknown }).properties).toEqual({ revenue: 9.5, order_id: 'o-7', fa: true });
  });

  it('reads the missing scopes in both shapes HubSpot gives them, and an upsert answer that lists its input under errors', () => {
    const documented = hubspot.readResponse!({ status: 403, body: JSON.stringify({ status: 'error', message: 'This app hasn\'t been granted all required scopes to make this call.', category: 'MISSING_SCOPES', correlationId: 'c0ffee00-0000-4000-8000-000000000403', context: { missingScopes: ['crm.objects.contacts.write'] } }) });
    expect(documented.explanation).toBe('HubSpot says the private app lacks the crm.objects.contacts.write scope: add it to the app in HubSpot');
    const refused = hubspot.readResponse!({ status: 200, body: JSON.stringify({ status: 'COMPLETE', results: [], numErrors: 1, errors: [{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property "lastname" is read-only' }] }) });
    expect(refused).toEqual({ verdict: 'discard', explanation: 'HubSpot rejected the contact: Property "lastname" is read-only' });
  });

  it('refuses an event-name map it cannot read, next to the field', async () => {
    await expect(world({ eventNames: 'Order Completed -> order' })).rejects.toMatchObject({ issues: { 'settings.eventNames': expect.stringContaining('each line must look like') } });
  });
});
