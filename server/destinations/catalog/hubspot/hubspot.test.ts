/** HubSpot custom behavioral events through the real tracking API and worker, against a local HubSpot. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall } from '../test-partner.ts';
import { HUBSPOT_TOKEN, HUBSPOT_UNSCOPED, startHubSpot } from './simulator.ts';

const suite = partnerSuite(startHubSpot);
const MAP = 'Order Completed = pe2468_order_completed\nRefund Requested = pe2468_refund_requested';
const world = (settings: Record<string, unknown> = {}) => createPartnerWorld(suite.testDb, 'hubspot', { accessToken: HUBSPOT_TOKEN, eventNames: MAP, endpoint: suite.sim.url, ...settings });

async function track(writeKey: string, event: string, messageId: string, properties: Record<string, unknown> = { email: 'ada@example.com', revenue: 42.5 }) {
  const res = await fetch(`${suite.server.url}/v1/track`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
    body: JSON.stringify({ event, userId: 'user-1001', properties, messageId, timestamp: '2026-11-30T12:00:00.000Z' }),
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

  it('skips what it cannot send, saying why: other calls, unmapped events, no e-mail', async () => {
    const { writeKey, destinationId } = await world();
    expect((await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'identify'))).explanation).toContain('a identify call is not sent');
    expect((await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Signed Up', 'msg-unmapped'))).explanation).toBe('No HubSpot event is mapped for “Signed Up”: add a line for it under Event names');
    const noEmail = await firstOutcome(suite.testDb, destinationId, await track(writeKey, 'Order Completed', 'msg-no-email', { revenue: 1 }));
    expect(noEmail).toMatchObject({ state: 'skipped' });
    expect(noEmail.explanation).toMatch(/^HubSpot finds the contact by e-mail/);
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

  it('refuses an event-name map it cannot read, next to the field', async () => {
    await expect(world({ eventNames: 'Order Completed -> order' })).rejects.toMatchObject({ issues: { 'settings.eventNames': expect.stringContaining('each line must look like') } });
  });
});
