/** Braze through the real tracking API and worker, against a local /users/track. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall } from '../test-partner.ts';
import { startDeletion } from '../../../privacy/test-deletion.ts';
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

describe('Braze privacy deletion (/users/delete)', () => {
  it('deletes the subject by user ID, anonymous ID (as the user alias events were sent with) and e-mail, one kind per call', async () => {
    const { writeKey, workspaceId, destinationId } = await world();
    await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'identify', 'msg-braze-del-1'));
    const before = suite.sim.deleted.length;
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectType: 'EMAIL', subjectIds: ['ada@example.com'] });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      const target = done.targets.find((t) => t.kind === 'destination')!;
      expect(target).toMatchObject({ status: 'finished', receipt: { call: expect.stringMatching(/^POST 127\.0\.0\.1:\d+\/users\/delete$/), callsTotal: 3, callsSucceeded: 3, statusCode: 201, answer: 'Braze deleted 1 user profile' } });
      expect(JSON.stringify(target.receipt)).not.toMatch(/user-1001|anon-2002|ada@/);
    } finally {
      await deletion.close();
    }
    expect(suite.sim.deleted.slice(before)).toEqual([
      { kind: 'external_ids', ids: ['user-1001'] },
      { kind: 'user_aliases', ids: [{ alias_name: 'anon-2002', alias_label: 'anonymous_id' }] },
      { kind: 'email_addresses', ids: ['ada@example.com'] },
    ]);
  });

  it('sends at most 50 identifiers per call and, after a failed call, resumes with the calls not yet done', async () => {
    const { workspaceId } = await world();
    const userIds = Array.from({ length: 60 }, (_, i) => `bulk-user-${String(i).padStart(2, '0')}`);
    suite.sim.failDeletions(1, 503, 1); // the first call goes through, the second meets an outage
    const before = suite.sim.deleted.length;
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectIds: userIds });
    try {
      await deletion.drain();
      const interrupted = (await deletion.view()).targets.find((t) => t.kind === 'destination')!;
      expect(interrupted).toMatchObject({ status: 'pending', error: 'Braze answered HTTP 503 to deletion call 2 of 2', receipt: { callsTotal: 2, callsSucceeded: 1, statusCode: 503 } });
      await deletion.makeDue();
      const done = await deletion.drain();
      expect(done.targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'finished', attempts: 2, receipt: { callsSucceeded: 2, statusCode: 201 } });
    } finally {
      await deletion.close();
    }
    const calls = suite.sim.deleted.slice(before);
    expect(calls.map((c) => c.ids.length)).toEqual([50, 10]); // the first batch was not sent again
    expect(calls.flatMap((c) => c.ids).sort()).toEqual([...userIds].sort());
  });

  it('gives up after its attempts when Braze stays unavailable: the target fails with the last answer, the request is partly done', async () => {
    const { workspaceId } = await world();
    suite.sim.failDeletions(10, 503);
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectIds: ['user-3003'], maxRemoteAttempts: 3 });
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        await deletion.drain();
        expect((await deletion.view()).targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'pending', attempts: attempt });
        await deletion.makeDue();
      }
      const done = await deletion.drain();
      expect(done.status).toBe('partial_success');
      expect(done.targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'failed', attempts: 3, error: 'gave up after 3 attempts: Braze answered HTTP 503 to deletion call 1 of 1' });
      expect(done.targets.filter((t) => t.kind !== 'destination').every((t) => t.status === 'finished')).toBe(true);
    } finally {
      suite.sim.failDeletions(0);
      await deletion.close();
    }
  });

  it('fails, saying which permission is missing, when the key may not delete users', async () => {
    const braze = await startBraze({ canDelete: false });
    try {
      const { workspaceId } = await createPartnerWorld(suite.testDb, 'braze', { apiKey: BRAZE_KEY, endpoint: braze.url });
      const deletion = await startDeletion(suite.testDb, { workspaceId, subjectIds: ['user-1001'] });
      try {
        const done = await deletion.drain();
        expect(done.status).toBe('partial_success');
        const target = done.targets.find((t) => t.kind === 'destination')!;
        expect(target).toMatchObject({ status: 'failed', attempts: 1, receipt: { statusCode: 403, callsSucceeded: 0 } });
        expect(target.error).toMatch(/^Braze answered HTTP 403 to deletion call 1 of 1: the credentials were refused or lack the deletion permission/);
      } finally {
        await deletion.close();
      }
    } finally {
      await braze.close();
    }
  });
});
