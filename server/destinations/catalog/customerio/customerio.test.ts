/** Customer.io through the real tracking API and worker, against a local Track API. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { basicAuth } from '../../../ingest/test-fixtures.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, partnerSuite, sendCall } from '../test-partner.ts';
import { startDeletion } from '../../../privacy/test-deletion.ts';
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

describe('Customer.io privacy deletion (Track API: delete a customer)', () => {
  it('deletes the person by user ID and by e-mail, one DELETE each, without keeping either in the receipt', async () => {
    const { writeKey, workspaceId, destinationId } = await world();
    await firstOutcome(suite.testDb, destinationId, await sendCall(suite.server, writeKey, 'identify', 'msg-cio-del-1'));
    const before = suite.sim.deleted.length;
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectType: 'EMAIL', subjectIds: ['ada@example.com'] });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      const target = done.targets.find((t) => t.kind === 'destination')!;
      expect(target).toMatchObject({
        status: 'finished',
        receipt: { call: expect.stringMatching(/^DELETE 127\.0\.0\.1:\d+\/api\/v1\/customers\/…$/), callsTotal: 2, callsSucceeded: 2, statusCode: 200, answer: 'Customer.io deleted the person' },
      });
      expect(JSON.stringify(target.receipt)).not.toMatch(/user-1001|anon-2002|ada@|ada%40/);
    } finally {
      await deletion.close();
    }
    expect(suite.sim.deleted.slice(before)).toEqual(['user-1001', 'ada@example.com']);
    const calls = suite.sim.requests.filter((r) => r.method === 'DELETE').slice(-2);
    for (const call of calls) expect(call).toMatchObject({ body: '', headers: { authorization: `Basic ${Buffer.from(`${CIO_SITE}:${CIO_KEY}`).toString('base64')}` } });
  });

  it('resumes after the calls that succeeded when Customer.io fails part way', async () => {
    const { workspaceId } = await world();
    const before = suite.sim.deleted.length;
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectIds: ['user-a-0001', 'user-b-0002'] });
    try {
      suite.sim.failDeletions(1, 500, 1);
      await deletion.drain();
      expect((await deletion.view()).targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'pending', error: 'Customer.io answered HTTP 500 to deletion call 2 of 2', receipt: { callsSucceeded: 1 } });
      await deletion.makeDue();
      const done = await deletion.drain();
      expect(done.targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'finished', attempts: 2, receipt: { callsTotal: 2, callsSucceeded: 2 } });
    } finally {
      await deletion.close();
    }
    expect(suite.sim.deleted.slice(before)).toEqual(['user-a-0001', 'user-b-0002']); // the first person was not deleted twice
  });

  it('says not_supported for a subject known only by anonymous ID (the Track API deletes people, not anonymous events)', async () => {
    const { workspaceId } = await world();
    const deletion = await startDeletion(suite.testDb, { workspaceId, subjectType: 'ANONYMOUS_ID', subjectIds: ['anon-only-9009'] });
    try {
      const done = await deletion.drain();
      expect(done.targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'not_supported', receipt: { reason: expect.stringMatching(/only anonymous IDs/) } });
    } finally {
      await deletion.close();
    }
  });
});
