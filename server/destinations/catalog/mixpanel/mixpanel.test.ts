/** Mixpanel through the real tracking API and worker, against a local Mixpanel /import that validates as documented. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall, testEvent } from '../test-partner.ts';
import { startDeletion } from '../../../privacy/test-deletion.ts';
import { MIXPANEL_ACCOUNT, MIXPANEL_GDPR_TOKEN, MIXPANEL_TOKEN, startMixpanel } from './simulator.ts';

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

  it.each(['group', 'alias'] as const)('skips a %s call with the reason', async (call) => {
    const { writeKey, destinationId } = await world();
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, call));
    expect(outcome.state).toBe('skipped');
    expect(outcome.explanation).toBe(`Mixpanel has no ${call} call for this destination: /import takes events and /engage user profiles (identify calls)`);
  });

  it('sets an identify call\'s traits on the user\'s profile through /engage ($set), in the shape Mixpanel documents', async () => {
    const { writeKey, destinationId } = await world();
    const messageId = await sendCall(suite.server, writeKey, 'identify');
    const outcome = await firstOutcome(suite.testDb, destinationId, messageId);
    expect(outcome).toMatchObject({ state: 'succeeded', statusCode: 200, explanation: 'Mixpanel updated the user profile' });
    const request = suite.sim.requests.find((r) => r.path === '/engage' && r.body.includes('"$distinct_id":"user-1001"'))!;
    await expectGolden(path.join(import.meta.dirname, 'golden', 'identify.json'), goldenOf(request));
    expect(suite.sim.profiles.get('user-1001')).toMatchObject({ $email: 'ada@example.com', plan: 'pro' });
  });

  it('discards an identify Mixpanel refuses (200 with status 0), in Mixpanel\'s words', async () => {
    const { writeKey, destinationId } = await world({ projectToken: 'not-a-project-token' });
    const outcome = await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'identify', 'msg-identify-bad-token'));
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 200, explanation: 'Mixpanel refused the profile update: $token, invalid: not the token of a project' });
  });

  it('skips an identify call without a user ID, saying why', async () => {
    const { writeKey, destinationId } = await world();
    const res = await fetch(`${suite.server.url}/v1/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) },
      body: JSON.stringify({ anonymousId: 'anon-7777', traits: { plan: 'free' }, messageId: 'msg-identify-anon' }),
    });
    expect(res.status).toBe(200);
    const outcome = await firstOutcome(suite.testDb, destinationId, 'msg-identify-anon');
    expect(outcome).toMatchObject({ state: 'skipped', explanation: 'Mixpanel keeps user profiles for identified users, and this identify call has no user ID (only an anonymous ID)' });
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
      expect(outcome.explanation).toMatch(/^Mixpanel is rate limiting this project/);
    } finally {
      suite.sim.throttle(false);
    }
  });

  it('test event of an identify call: the /engage request with the token masked, Mixpanel\'s answer in words', async () => {
    const created = await world();
    const result = await testEvent(suite.testDb, created, { callType: 'identify' });
    expect(result).toMatchObject({ verdict: 'delivered', explanation: 'Mixpanel updated the user profile' });
    expect(result.request?.url).toBe(`${suite.sim.url}/engage?verbose=1`);
    expect(result.request?.body).not.toContain(MIXPANEL_TOKEN);
  });

  it('test event: the token masked in the body and in the Basic header', async () => {
    const created = await world();
    const result = await testEvent(suite.testDb, created, { callType: 'track' });
    expect(result.verdict).toBe('delivered');
    expect(result.request?.headers.authorization).toBe('Basic ••••');
    expect(result.request?.body).not.toContain(MIXPANEL_TOKEN);
  });
});

describe('Mixpanel privacy deletion (GDPR API)', () => {
  it('creates a GDPR deletion task for the subject\'s distinct IDs (user and anonymous IDs) and keeps the task in the receipt', async () => {
    const { writeKey, workspaceId, destinationId } = await world({ gdprToken: MIXPANEL_GDPR_TOKEN });
    await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'track', 'msg-mp-del-1'));
    const before = suite.sim.deletions.length;
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectIds: ['user-1001'] });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      const target = done.targets.find((t) => t.kind === 'destination')!;
      expect(target).toMatchObject({
        status: 'finished',
        receipt: { call: expect.stringMatching(/^POST 127\.0\.0\.1:\d+\/api\/app\/data-deletions\/v3\.0\/$/), callsTotal: 1, callsSucceeded: 1, statusCode: 200, answer: expect.stringMatching(/^Mixpanel created deletion task task-\d+$/) },
      });
      // Neither the subject nor the project token (it rides in the query string) is kept.
      expect(JSON.stringify(target.receipt)).not.toMatch(/user-1001|anon-2002|ada@|token=|f1e2d3c4/);
    } finally {
      await deletion.close();
    }
    // The track call linked the anonymous ID to the user ID; both were distinct IDs in Mixpanel.
    expect(suite.sim.deletions.slice(before)).toEqual([['user-1001', 'anon-2002']]);
    const call = suite.sim.requests.filter((r) => r.path === '/api/app/data-deletions/v3.0/').at(-1)!;
    expect(JSON.parse(call.body)).toEqual({ distinct_ids: ['user-1001', 'anon-2002'], compliance_type: 'GDPR' });
  });

  it('retries when the GDPR API rate limits (429), then finishes', async () => {
    const { workspaceId } = await world({ gdprToken: MIXPANEL_GDPR_TOKEN });
    suite.sim.failDeletions(1, 429);
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectIds: ['user-2002'] });
    try {
      await deletion.drain();
      expect((await deletion.view()).targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'pending', error: 'Mixpanel answered HTTP 429 to deletion call 1 of 1' });
      await deletion.makeDue();
      const done = await deletion.drain();
      expect(done.targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'finished', attempts: 2, receipt: { statusCode: 200 } });
    } finally {
      await deletion.close();
    }
  });

  it('says not_supported, with what to add, when no GDPR API token is set', async () => {
    const { workspaceId } = await world();
    const before = suite.sim.requests.length;
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectIds: ['user-1001'] });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      expect(done.targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'not_supported', receipt: { reason: expect.stringMatching(/needs a GDPR API token/) } });
      expect(suite.sim.requests.length).toBe(before);
    } finally {
      await deletion.close();
    }
  });
});
