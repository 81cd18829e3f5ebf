/**
 * Batching (Amplitude, Mixpanel): the worker sends the jobs it claims for one destination
 * in one partner request, and the partner's answer settles each event of the batch in its
 * own state — Mixpanel's failed_records, Amplitude's invalid events and throttled events.
 * Through the real tracking API and worker, against the local partner simulators. Each
 * test ingests its events first and starts a worker afterwards, so one claim takes them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../../db/test-db.ts';
import { startEngine, waitFor } from '../../delivery/test-world.ts';
import { basicAuth } from '../../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../../ingest/test-server.ts';
import { AMPLITUDE_KEY, startAmplitude } from './amplitude/simulator.ts';
import { MIXPANEL_TOKEN, startMixpanel } from './mixpanel/simulator.ts';
import { createPartnerWorld } from './test-partner.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let amplitude: Awaited<ReturnType<typeof startAmplitude>>;
let mixpanel: Awaited<ReturnType<typeof startMixpanel>>;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  amplitude = await startAmplitude();
  mixpanel = await startMixpanel();
});
afterAll(async () => {
  await amplitude?.close();
  await mixpanel?.close();
  await server?.close();
  await testDb?.drop();
});

/** Ingests these track calls in one /v1/batch (message IDs msg-<tag>-<i>); returns the message IDs. */
async function ingest(writeKey: string, tag: string, calls: Array<Record<string, unknown>>): Promise<string[]> {
  const batch = calls.map((call, i) => ({ type: 'track', event: 'Order Completed', properties: { revenue: i }, timestamp: new Date().toISOString(), messageId: `msg-${tag}-${i}`, ...call }));
  const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey) }, body: JSON.stringify({ batch }) });
  expect(res.status).toBe(200);
  return batch.map((m) => m.messageId);
}

/** Every transition of each message's job at the destination, oldest first, keyed by message ID. */
async function transitions(destinationId: string) {
  const rows = await testDb.db.$queryRaw<Array<{ message_id: string; state: string; status_code: number | null; explanation: string | null }>>`
    SELECT e.message_id, t.state, t.status_code, t.explanation
      FROM job_transitions t JOIN jobs j ON j.id = t.job_id JOIN events e ON e.id = j.event_id AND e.received_at = j.event_received_at
     WHERE t.destination_id = ${destinationId}::uuid ORDER BY t.at, t.attempt`;
  const byMessage = new Map<string, typeof rows>();
  for (const row of rows) byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), row]);
  return byMessage;
}

/** Starts a worker, waits until every message has a final state (or `until` holds), stops it. */
async function deliver(destinationId: string, until: (byMessage: Awaited<ReturnType<typeof transitions>>) => boolean) {
  const engine = await startEngine(testDb.url);
  try {
    await waitFor(async () => until(await transitions(destinationId)), { what: 'the batch to be settled', timeoutMs: 30_000 });
  } finally {
    await engine.stop();
  }
  return transitions(destinationId);
}

const last = <T>(list: T[] | undefined): T | undefined => list?.[list.length - 1];
const settled = (ids: string[], states = ['succeeded', 'discarded']) => (byMessage: Awaited<ReturnType<typeof transitions>>) => ids.every((id) => states.includes(last(byMessage.get(id))?.state ?? ''));

describe('batching several events into one partner request', () => {
  it('Amplitude: five events go in one request, each delivered', async () => {
    const { writeKey, destinationId } = await createPartnerWorld(testDb, 'amplitude', { apiKey: AMPLITUDE_KEY, endpoint: amplitude.url });
    const ids = await ingest(writeKey, 'amp-ok', Array.from({ length: 5 }, (_, i) => ({ userId: `batch-user-${i}` })));
    const before = amplitude.requests.length;
    const byMessage = await deliver(destinationId, settled(ids));
    const requests = amplitude.requests.slice(before).filter((r) => r.path === '/2/httpapi');
    expect(requests).toHaveLength(1);
    expect((JSON.parse(requests[0].body) as { events: Array<{ insert_id: string }> }).events.map((e) => e.insert_id)).toEqual(ids);
    for (const id of ids) expect(byMessage.get(id)).toEqual([{ message_id: id, state: 'succeeded', status_code: 200, explanation: 'Amplitude accepted the event (events ingested: 5) (in a request of 5 events)' }]);
  });

  it('Mixpanel: a 400 with failed_records discards the failed event in Mixpanel\'s words and delivers the others of the request', async () => {
    const { writeKey, destinationId } = await createPartnerWorld(testDb, 'mixpanel', { projectToken: MIXPANEL_TOKEN, endpoint: mixpanel.url });
    const ids = await ingest(writeKey, 'mp-partial', [{ userId: 'mp-user-0' }, { userId: 'mp-user-1', timestamp: '2099-01-01T00:00:00.000Z' }, { userId: 'mp-user-2' }]);
    const before = mixpanel.requests.length;
    const byMessage = await deliver(destinationId, settled(ids));
    const requests = mixpanel.requests.slice(before).filter((r) => r.path === '/import');
    expect(requests).toHaveLength(1);
    expect((JSON.parse(requests[0].body) as unknown[]).length).toBe(3);
    expect(byMessage.get(ids[1])).toEqual([
      { message_id: ids[1], state: 'discarded', status_code: 400, explanation: "Mixpanel rejected property `time`: 'properties.time' is invalid: must not be more than 1 hour in the future (in a request of 3 events)" },
    ]);
    for (const id of [ids[0], ids[2]]) {
      expect(byMessage.get(id)).toEqual([{ message_id: id, state: 'succeeded', status_code: 400, explanation: 'Mixpanel imported the event; it rejected 1 other sent with it (in a request of 3 events)' }]);
    }
  });

  it('Amplitude: a 400 listing an invalid event discards it and sends the others again without it', async () => {
    const { writeKey, destinationId } = await createPartnerWorld(testDb, 'amplitude', { apiKey: AMPLITUDE_KEY, endpoint: amplitude.url });
    // "u1" is shorter than Amplitude's minimum ID length: Amplitude refuses the whole request, naming that event.
    const ids = await ingest(writeKey, 'amp-invalid', [{ userId: 'batch-user-a' }, { userId: 'u1' }, { userId: 'batch-user-c' }]);
    const before = amplitude.requests.length;
    const byMessage = await deliver(destinationId, settled(ids));
    expect(byMessage.get(ids[1])).toEqual([
      { message_id: ids[1], state: 'discarded', status_code: 400, explanation: "Amplitude rejected the event: `user_id` must be at least 5 characters long (Amplitude's minimum ID length) (in a request of 3 events)" },
    ]);
    for (const id of [ids[0], ids[2]]) {
      const states = byMessage.get(id)!;
      expect(states[0]).toEqual({ message_id: id, state: 'awaiting_retry', status_code: 400, explanation: 'Amplitude refused the request for 1 other event in it; this event is sent again without them (in a request of 3 events)' });
      expect(last(states)).toMatchObject({ state: 'succeeded', status_code: 200 });
    }
    const sent = amplitude.requests.slice(before).filter((r) => r.path === '/2/httpapi').map((r) => (JSON.parse(r.body) as { events: Array<{ insert_id: string }> }).events.map((e) => e.insert_id));
    expect(sent[0]).toEqual(ids);
    expect(sent.slice(1).flat().sort()).toEqual([ids[0], ids[2]]);
  });

  it('Amplitude: a 429 naming throttled events retries every event of the request, each saying why, then delivers them', async () => {
    const { writeKey, destinationId } = await createPartnerWorld(testDb, 'amplitude', { apiKey: AMPLITUDE_KEY, endpoint: amplitude.url });
    amplitude.throttle(['throttled-user']);
    const ids = await ingest(writeKey, 'amp-429', [{ userId: 'calm-user-1' }, { userId: 'throttled-user' }]);
    try {
      const retried = await deliver(destinationId, settled(ids, ['awaiting_retry']));
      expect(retried.get(ids[1])![0]).toMatchObject({ state: 'awaiting_retry', status_code: 429, explanation: 'Amplitude is throttling user throttled-user (more than 30 events per second); the event will be retried (in a request of 2 events)' });
      expect(retried.get(ids[0])![0]).toMatchObject({ state: 'awaiting_retry', status_code: 429, explanation: 'Amplitude refused the request for throttled users or devices in it; this event will be sent again (in a request of 2 events)' });
    } finally {
      amplitude.throttle([]);
    }
    const done = await deliver(destinationId, settled(ids, ['succeeded']));
    for (const id of ids) expect(last(done.get(id))).toMatchObject({ state: 'succeeded' });
  });
});
