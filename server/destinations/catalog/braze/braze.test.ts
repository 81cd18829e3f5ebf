/** Braze through the real tracking API and worker, against a local /users/track. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall } from '../test-partner.ts';
import { BRAZE_KEY, startBraze } from './simulator.ts';

const suite = partnerSuite(startBraze);
const world = (settings: Record<string, unknown> = {}) => createPartnerWorld(suite.testDb, 'braze', { apiKey: BRAZE_KEY, endpoint: suite.sim.url, ...settings });

describe('Braze destination', () => {
  it.each(['track', 'identify', 'page', 'screen'] as const)('sends a %s call in the shape Braze documents', async (call) => {
    const { writeKey, destinationId } = await world();
    const before = suite.sim.requests.length;
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 201, explanation: 'Braze recorded the event' });
    const sent = suite.sim.requests.slice(before);
    expect(sent).toHaveLength(1);
    await expectGolden(path.join(import.meta.dirname, 'golden', `${call}.json`), goldenOf(sent[0]));
  });

  it.each(['group', 'alias'] as const)('skips a %s call with the reason', async (call) => {
    const { writeKey, destinationId } = await world();
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome.state).toBe('skipped');
    expect(outcome.explanation).toContain('no Braze equivalent');
  });

  it('discards a 201 whose body says Braze dropped the object, in Braze\'s words', async () => {
    const { writeKey, destinationId } = await world();
    const res = await fetch(`${suite.server.url}/v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
      body: JSON.stringify({ userId: 'user-1001', traits: { email: 'not-an-address' }, messageId: 'msg-bad-email' }),
    });
    expect(res.status).toBe(200);
    const outcome = await firstOutcome(suite.testDb, destinationId, 'msg-bad-email');
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 201 });
    expect(outcome.explanation).toBe("Braze answered 201 but refused the event: 'not-an-address' is not a valid email address");
  });

  it('discards on an invalid REST API key and says where to look', async () => {
    const { writeKey, destinationId } = await world({ apiKey: 'wrong-key' });
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-bad-key'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 401 });
    expect(outcome.explanation).toMatch(/^Braze says the REST API key is invalid/);
  });
});
