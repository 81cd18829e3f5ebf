/** Mixpanel through the real tracking API and worker, against a local Mixpanel /import that validates as documented. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall, testEvent } from '../test-partner.ts';
import { MIXPANEL_ACCOUNT, MIXPANEL_TOKEN, startMixpanel } from './simulator.ts';

const suite = partnerSuite(startMixpanel);
const world = (settings: Record<string, unknown> = {}) => createPartnerWorld(suite.testDb, 'mixpanel', { projectToken: MIXPANEL_TOKEN, endpoint: suite.sim.url, ...settings });

describe('Mixpanel destination', () => {
  it.each(['track', 'page', 'screen'] as const)('imports a %s call in the shape Mixpanel documents', async (call) => {
    const { writeKey, destinationId } = await world();
    const messageId = await sendCall(suite.server, writeKey, call);
    const outcome = await firstOutcome(suite.testDb, destinationId, messageId);
    expect(outcome).toMatchObject({ state: 'succeeded', explanation: 'Mixpanel imported the event (1 record)' });
    await expectGolden(path.join(import.meta.dirname, 'golden', `${call}.json`), goldenOf(suite.sim.requests.find((r) => r.body.includes(messageId))!));
  });

  it('authenticates with a service account and the project ID when one is set', async () => {
    const { writeKey, destinationId } = await world({ serviceAccountUsername: MIXPANEL_ACCOUNT.username, serviceAccountSecret: MIXPANEL_ACCOUNT.secret, projectId: MIXPANEL_ACCOUNT.projectId });
    const messageId = await sendCall(suite.server, writeKey, 'track', 'msg-service-account');
    expect((await firstOutcome(suite.testDb, destinationId, messageId)).state).toBe('succeeded');
    const request = suite.sim.requests.find((r) => r.body.includes(messageId))!;
    expect(request.query.get('project_id')).toBe(MIXPANEL_ACCOUNT.projectId);
  });

  it.each(['identify', 'group', 'alias'] as const)('skips a %s call with the reason', async (call) => {
    const { writeKey, destinationId } = await world();
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome.state).toBe('skipped');
    expect(outcome.explanation).toContain('/import takes events only');
  });

  it('discards an event Mixpanel rejects in failed_records, naming the property', async () => {
    const { writeKey, destinationId } = await world();
    const res = await fetch(`${suite.server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
      body: JSON.stringify({ event: 'Future', userId: 'user-1', messageId: 'msg-future', timestamp: '2099-01-01T00:00:00Z' }),
    });
    expect(res.status).toBe(200);
    const outcome = await firstOutcome(suite.testDb, destinationId, 'msg-future');
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 400 });
    expect(outcome.explanation).toBe("Mixpanel rejected property `time`: 'properties.time' is invalid: must not be more than 1 hour in the future");
  });

  it('discards on refused credentials and says which to check', async () => {
    const { writeKey, destinationId } = await world({ projectToken: 'not-the-token' });
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-bad-token'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 401 });
    expect(outcome.explanation).toMatch(/^Mixpanel says the credentials are invalid/);
  });

  it('retries when Mixpanel rate limits (429)', async () => {
    const { writeKey, destinationId } = await world();
    suite.sim.throttle(true);
    try {
      const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-429'));
      expect(outcome).toMatchObject({ state: 'awaiting_retry', statusCode: 429 });
      expect(outcome.explanation).toMatch(/^Mixpanel is rate limiting us/);
    } finally {
      suite.sim.throttle(false);
    }
  });

  it('test event: the token masked in the body and in the Basic header', async () => {
    const created = await world();
    const result = await testEvent(suite.testDb, created, { callType: 'track' });
    expect(result.verdict).toBe('delivered');
    expect(result.request?.headers.authorization).toBe('Basic ••••');
    expect(result.request?.body).not.toContain(MIXPANEL_TOKEN);
  });
});
