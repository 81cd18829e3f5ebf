/** GA4 through the real tracking API and worker; test events through Google's validation server. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall, testEvent } from '../test-partner.ts';
import { ga4Name } from './index.ts';
import { startGa4 } from './simulator.ts';

const suite = partnerSuite(startGa4);
const world = (settings: Record<string, unknown> = {}) => createPartnerWorld(suite.testDb, 'ga4', { measurementId: 'G-TEST12345', apiSecret: 'mp-secret-abcdef', endpoint: suite.sim.url, ...settings });

describe('GA4 destination', () => {
  it.each(['track', 'page', 'screen'] as const)('sends a %s call in the shape the Measurement Protocol documents', async (call) => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 204 });
    expect(outcome.explanation).toMatch(/^GA4 received the event \(HTTP 204\); the Measurement Protocol accepts events without checking them/);
    const sent = suite.sim.requests.slice(before);
    expect(sent).toHaveLength(1);
    await expectGolden(path.join(import.meta.dirname, 'golden', `${call}.json`), goldenOf(sent[0]));
  });

  it.each(['identify', 'group', 'alias'] as const)('skips a %s call with the reason', async (call) => {
    const { writeKey, destinationId } = await world();
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome).toMatchObject({ state: 'skipped' });
    expect(outcome.explanation).toContain('takes events only');
  });

  it('turns event names into GA4 names', () => {
    expect(ga4Name('Order Completed')).toBe('order_completed');
    expect(ga4Name('signUpStarted')).toBe('sign_up_started');
    expect(ga4Name('2fa enabled')).toBe('event_2fa_enabled');
    expect(ga4Name('x'.repeat(60))).toHaveLength(40);
  });

  it('test events go to the validation server, which says what GA4 would drop', async () => {
    const created = await world();
    const good = await testEvent(suite.testDb, created, { callType: 'track' });
    expect(good).toMatchObject({ verdict: 'delivered', explanation: 'GA4\'s validation server found nothing wrong with the event' });
    expect(good.request?.url).toBe(`${suite.sim.url}/debug/mp/collect?measurement_id=G-TEST12345&api_secret=••••cdef`);

    await fetch(`${suite.server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(created.writeKey) }, body: JSON.stringify({ event: 'Google Signup', userId: 'user-9', messageId: 'msg-reserved' }) });
    await firstOutcome(suite.testDb, created.destinationId, 'msg-reserved');
    const stored = await suite.testDb.db.event.findFirst({ where: { sourceId: created.sourceId, messageId: 'msg-reserved' } });
    const reserved = await testEvent(suite.testDb, created, { eventId: stored!.id });
    expect(reserved).toMatchObject({ verdict: 'rejected', explanation: 'GA4 would drop the event: Event at index: [0] has name [google_signup] which is reserved. (field events[0].name)' });
  });
});
