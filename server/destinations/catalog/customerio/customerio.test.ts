/** Customer.io through the real tracking API and worker, against a local Track API. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall } from '../test-partner.ts';
import { CIO_KEY, CIO_SITE, startCustomerIo } from './simulator.ts';

const suite = partnerSuite(startCustomerIo);
const world = (settings: Record<string, unknown> = {}) => createPartnerWorld(suite.testDb, 'customerio', { siteId: CIO_SITE, apiKey: CIO_KEY, endpoint: suite.sim.url, ...settings });

describe('Customer.io destination', () => {
  it.each(['track', 'identify', 'page'] as const)('sends a %s call in the shape Customer.io documents', async (call) => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome).toMatchObject({ state: 'succeeded', explanation: 'Customer.io recorded it' });
    const sent = suite.sim.requests.slice(before);
    expect(sent).toHaveLength(1);
    await expectGolden(path.join(import.meta.dirname, 'golden', `${call}.json`), goldenOf(sent[0]));
  });

  it('sends a track call of someone without a user ID as an anonymous event', async () => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    await fetch(`${suite.server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ event: 'Viewed Product', anonymousId: 'anon-77', messageId: 'msg-anon' }) });
    expect((await firstOutcome(suite.testDb, destinationId, 'msg-anon')).state).toBe('succeeded');
    const [request] = suite.sim.requests.slice(before);
    expect(request.path).toBe('/api/v1/events');
    expect(JSON.parse(request.body)).toMatchObject({ name: 'Viewed Product', anonymous_id: 'anon-77' });
  });

  it.each(['screen', 'group', 'alias'] as const)('skips a %s call with the reason', async (call) => {
    const { writeKey, destinationId } = await world();
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome.state).toBe('skipped');
    expect(outcome.explanation).toContain(`no ${call} call`);
  });

  it('discards on credentials that do not match, saying which to copy', async () => {
    const { writeKey, destinationId } = await world({ apiKey: 'wrong' });
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-bad'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 401 });
    expect(outcome.explanation).toBe('Customer.io says the site ID and API key do not match. Copy both from Tracking API Keys in Customer.io.');
  });

  it('discards a body Customer.io rejects, with its error', async () => {
    const { writeKey, destinationId } = await world();
    await fetch(`${suite.server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ event: 'x'.repeat(120), userId: 'user-1', messageId: 'msg-long' }) });
    const outcome = await firstOutcome(suite.testDb, destinationId, 'msg-long');
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 400, explanation: 'Customer.io rejected the request: event name is longer than 100 characters' });
  });
});
