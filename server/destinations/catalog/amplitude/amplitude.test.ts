/**
 * Amplitude through the real tracking API and the real worker, against a local Amplitude
 * that checks requests the way its HTTP V2 documentation says: each supported call arrives
 * in the documented shape (golden fixtures), unsupported calls are skipped with a reason,
 * and each documented error lands in the right state with its explanation.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../../../db/test-db.ts';
import type { DeliveryEngine } from '../../../delivery/engine.ts';
import { startEngine } from '../../../delivery/test-world.ts';
import { startIngestTestServer, type TIngestTestServer } from '../../../ingest/test-server.ts';
import type { TActor } from '../../../audit/actor.ts';
import { updateDestination } from '../../destinations.ts';
import { sendTestEvent } from '../../send-test-event.ts';
import { createPartnerWorld, expectGolden, firstOutcome, goldenOf, sendCall } from '../test-partner.ts';
import { startDeletion } from '../../../privacy/test-deletion.ts';
import { AMPLITUDE_KEY, AMPLITUDE_SECRET, startAmplitude } from './simulator.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let engine: DeliveryEngine;
let amplitude: Awaited<ReturnType<typeof startAmplitude>>;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  amplitude = await startAmplitude();
  engine = await startEngine(testDb.url);
});
afterAll(async () => {
  await engine.stop();
  await amplitude.close();
  await server.close();
  await testDb.drop();
});

const SYSTEM: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };
const world = (apiKey = AMPLITUDE_KEY) => createPartnerWorld(testDb, 'amplitude', { apiKey, endpoint: amplitude.url });

describe('Amplitude destination', () => {
  it.each(['track', 'identify', 'page', 'screen'] as const)('delivers a %s call in the shape Amplitude documents', async (call) => {
    const { writeKey, destinationId } = await world();
    const messageId = await sendCall(server, writeKey, call);
    const outcome = await firstOutcome(testDb, destinationId, messageId);
    expect(outcome.state).toBe('succeeded');
    expect(outcome.explanation).toBe('Amplitude accepted the event (events ingested: 1)');
    const request = amplitude.requests.find((r) => r.body.includes(messageId))!;
    await expectGolden(path.join(import.meta.dirname, 'golden', `${call}.json`), goldenOf(request));
  });

  it.each(['group', 'alias'] as const)('skips a %s call with the reason, sending nothing', async (call) => {
    const { writeKey, destinationId } = await world();
    const before = amplitude.requests.length;
    const messageId = await sendCall(server, writeKey, call);
    const outcome = await firstOutcome(testDb, destinationId, messageId);
    expect(outcome.state).toBe('skipped');
    expect(outcome.explanation).toMatch(new RegExp(`Amplitude's HTTP API has no ${call} call`));
    expect(amplitude.requests.slice(before).some((r) => r.body.includes(messageId))).toBe(false);
    expect(await testDb.db.jobQueue.count({ where: { destinationId } })).toBe(0);
  });

  it('discards an event rejected for an invalid API key, saying so in words', async () => {
    const { writeKey, destinationId } = await world('wrong-key-0000');
    const messageId = await sendCall(server, writeKey, 'track', 'msg-wrong-key');
    const outcome = await firstOutcome(testDb, destinationId, messageId);
    expect(outcome).toMatchObject({ state: 'discarded', statusCode: 400 });
    expect(outcome.explanation).toMatch(/^Amplitude says the API key is invalid/);
    expect(outcome.responseExcerpt).toContain('Invalid API key');
  });

  it('sends the very next event with a key fixed in the settings, although the worker had just used the old one', async () => {
    const { writeKey, destinationId, workspaceId } = await world('wrong-key-1111');
    const refused = await firstOutcome(testDb, destinationId, await sendCall(server, writeKey, 'track', 'msg-before-fix'));
    expect(refused.state).toBe('discarded');
    // The worker caches destinations for a few seconds; an edit must not wait for that (the
    // marketer fixes the key and sends at once: a 400 for the old key would discard the event).
    await updateDestination({ db: testDb.db, workspaceId, actor: SYSTEM, destinationId, patch: { settings: { apiKey: AMPLITUDE_KEY } }, allowPrivate: '*' });
    const fixed = await firstOutcome(testDb, destinationId, await sendCall(server, writeKey, 'track', 'msg-after-fix'));
    expect(fixed.state).toBe('succeeded');
    expect(fixed.explanation).toBe('Amplitude accepted the event (events ingested: 1)');
  });

  it('discards an event whose IDs are shorter than Amplitude accepts, naming the fields', async () => {
    const { writeKey, destinationId } = await world();
    const res = await fetch(`${server.url}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ event: 'Short', userId: 'u1', messageId: 'msg-short-id' }),
    });
    expect(res.status).toBe(200);
    const outcome = await firstOutcome(testDb, destinationId, 'msg-short-id');
    expect(outcome.state).toBe('discarded');
    expect(outcome.explanation).toBe('Amplitude rejected the event: `user_id` must be at least 5 characters long (Amplitude\'s minimum ID length)');
  });

  it('retries a throttled user (429) and explains who is throttled, then delivers', async () => {
    const { writeKey, destinationId } = await world();
    amplitude.throttle(['user-1001']);
    const messageId = await sendCall(server, writeKey, 'track', 'msg-throttled');
    const outcome = await firstOutcome(testDb, destinationId, messageId);
    expect(outcome).toMatchObject({ state: 'awaiting_retry', statusCode: 429 });
    expect(outcome.explanation).toBe('Amplitude is throttling user user-1001 (more than 30 events per second); the event will be retried');
    amplitude.throttle([]);
    const { waitFor } = await import('../../../delivery/test-world.ts');
    await waitFor(async () => (await testDb.db.jobTransition.count({ where: { destinationId, state: 'succeeded' } })) === 1, { what: 'the retry to succeed' });
  });

  it('retries while Amplitude is unavailable (503)', async () => {
    const { writeKey, destinationId } = await world();
    amplitude.setDown(true);
    try {
      const messageId = await sendCall(server, writeKey, 'track', 'msg-down');
      const outcome = await firstOutcome(testDb, destinationId, messageId);
      expect(outcome).toMatchObject({ state: 'awaiting_retry', statusCode: 503 });
      expect(outcome.explanation).toMatch(/^Amplitude had a server problem \(HTTP 503\)/);
    } finally {
      amplitude.setDown(false);
    }
  });

  it('sends a test event: the exact request with the key masked, the answer in words, nothing stored', async () => {
    const { workspaceId, destinationId } = await world('wrong-key-0000');
    const counts = async () => [await testDb.db.event.count(), await testDb.db.job.count(), await testDb.db.jobTransition.count(), await testDb.db.deliveryRollup.count()];
    const before = await counts();
    const rejected = await sendTestEvent({ db: testDb.db, workspaceId, destinationId, input: { callType: 'track' }, allowPrivate: '*' });
    expect(rejected.verdict).toBe('rejected');
    expect(rejected.explanation).toMatch(/^Amplitude says the API key is invalid/);
    expect(rejected.request?.url).toBe(`${amplitude.url}/2/httpapi`);
    expect(rejected.request?.body).not.toContain('wrong-key-0000');
    expect(rejected.request?.body).toContain('"api_key":"••••0000"');
    expect(rejected.response?.body).not.toContain('wrong-key-0000');
    expect(rejected.response?.status).toBe(400);

    const { updateDestination } = await import('../../destinations.ts');
    await updateDestination({ db: testDb.db, workspaceId, actor: { type: 'system', id: null, label: 'test', role: 'admin', ip: null }, destinationId, patch: { settings: { apiKey: AMPLITUDE_KEY } }, allowPrivate: '*' });
    const accepted = await sendTestEvent({ db: testDb.db, workspaceId, destinationId, input: { callType: 'identify' }, allowPrivate: '*' });
    expect(accepted).toMatchObject({ verdict: 'delivered', explanation: 'Amplitude accepted the event (events ingested: 1)' });
    expect(accepted.request?.body).toContain(`"api_key":"••••${AMPLITUDE_KEY.slice(-4)}"`);
    expect(await counts()).toEqual(before);
  });

  it('refuses a test event to a private address unless the install allows it', async () => {
    const { workspaceId, destinationId } = await world();
    const refused = await sendTestEvent({ db: testDb.db, workspaceId, destinationId, input: { callType: 'track' }, allowPrivate: undefined });
    expect(refused.verdict).toBe('rejected');
    expect(refused.response?.errorCode).toBe('BLOCKED_ADDRESS');
  });
});

describe('Amplitude privacy deletion (User Privacy API)', () => {
  const targetOf = async (deletion: Awaited<ReturnType<typeof startDeletion>>) => (await deletion.view()).targets.find((t) => t.kind === 'destination')!;

  it('asks Amplitude to delete the subject\'s user IDs, linked ones included, and keeps its answer in the receipt', async () => {
    const { writeKey, workspaceId, destinationId } = await createPartnerWorld(testDb, 'amplitude', { apiKey: AMPLITUDE_KEY, secretKey: AMPLITUDE_SECRET, endpoint: amplitude.url });
    const messageId = await sendCall(server, writeKey, 'identify', 'msg-amp-del-1');
    await firstOutcome(testDb, destinationId, messageId);
    const deletion = await startDeletion(testDb, { workspaceId, subjectType: 'EMAIL', subjectIds: ['ada@example.com'] });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      const target = done.targets.find((t) => t.kind === 'destination')!;
      expect(target).toMatchObject({ status: 'finished', receipt: { call: expect.stringMatching(/^POST 127\.0\.0\.1:\d+\/api\/2\/deletions\/users$/), callsTotal: 1, callsSucceeded: 1, statusCode: 200 } });
      expect(target.receipt.answer).toMatch(/^Amplitude scheduled the deletion job for \d{4}-\d{2}-\d{2} \(status: staging\)$/);
      expect(JSON.stringify(target.receipt)).not.toMatch(/user-1001|anon-2002|ada@/);
      // The e-mail led to the user ID through the identify call; device IDs are not Amplitude's deletion keys.
      expect(amplitude.deletedUserIds).toEqual(['user-1001']);
      const call = amplitude.requests.find((r) => r.path === '/api/2/deletions/users')!;
      expect(JSON.parse(call.body)).toEqual({ user_ids: ['user-1001'], ignore_invalid_ids: 'True', requester: `Switchyard regulation ${deletion.regulationId}` });
    } finally {
      await deletion.close();
    }
  });

  it('retries while the User Privacy API is unavailable, then finishes', async () => {
    const { writeKey, workspaceId, destinationId } = await createPartnerWorld(testDb, 'amplitude', { apiKey: AMPLITUDE_KEY, secretKey: AMPLITUDE_SECRET, endpoint: amplitude.url });
    await firstOutcome(testDb, destinationId, await sendCall(server, writeKey, 'track', 'msg-amp-del-2'));
    amplitude.failDeletions(1, 503);
    const deletion = await startDeletion(testDb, { workspaceId, subjectIds: ['user-1001'] });
    try {
      await deletion.drain();
      expect(await targetOf(deletion)).toMatchObject({ status: 'pending', attempts: 1, error: 'Amplitude answered HTTP 503 to deletion call 1 of 1', receipt: { statusCode: 503, callsSucceeded: 0 } });
      await deletion.makeDue();
      await deletion.drain();
      expect(await targetOf(deletion)).toMatchObject({ status: 'finished', attempts: 2, receipt: { statusCode: 200, callsSucceeded: 1 } });
    } finally {
      await deletion.close();
    }
  });

  it('fails (without retrying) when Amplitude refuses the secret key, and says what to fix', async () => {
    const { writeKey, workspaceId, destinationId } = await createPartnerWorld(testDb, 'amplitude', { apiKey: AMPLITUDE_KEY, secretKey: 'not-the-secret', endpoint: amplitude.url });
    await firstOutcome(testDb, destinationId, await sendCall(server, writeKey, 'track', 'msg-amp-del-3'));
    const deletion = await startDeletion(testDb, { workspaceId, subjectIds: ['user-1001'] });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('partial_success');
      const target = done.targets.find((t) => t.kind === 'destination')!;
      expect(target).toMatchObject({ status: 'failed', attempts: 1, receipt: { statusCode: 401 } });
      expect(target.error).toMatch(/^Amplitude answered HTTP 401 to deletion call 1 of 1: the credentials were refused/);
    } finally {
      await deletion.close();
    }
  });

  it('says not_supported, with what to add, when the destination has no secret key', async () => {
    const { workspaceId } = await createPartnerWorld(testDb, 'amplitude', { apiKey: AMPLITUDE_KEY, endpoint: amplitude.url });
    const before = amplitude.requests.length;
    const deletion = await startDeletion(testDb, { workspaceId, subjectIds: ['user-1001'] });
    try {
      const done = await deletion.drain();
      expect(done.status).toBe('finished');
      expect(done.targets.find((t) => t.kind === 'destination')).toMatchObject({ status: 'not_supported', receipt: { reason: expect.stringMatching(/needs the project's secret key/) } });
      expect(amplitude.requests.length).toBe(before);
    } finally {
      await deletion.close();
    }
  });
});
