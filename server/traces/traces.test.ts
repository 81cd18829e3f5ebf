/**
 * Support's whole job against the real tracking API, worker and local receivers: find a
 * customer's events by any identifier, read one event's path (as sent, pipeline, every
 * attempt with the request and the answer), the status-code charts and the overview.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TActor } from '../audit/actor.ts';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import type { DeliveryEngine } from '../delivery/engine.ts';
import { resendEvent } from '../queue/resend-event.ts';
import { MASK } from './sent-request.ts';
import { answer } from '../delivery/test-responders.ts';
import { ok, startSink, type TSink, type TSinkResponder } from '../delivery/test-sink.ts';
import { FAST_RETRIES, startEngine, waitFor } from '../delivery/test-world.ts';
import { createDestination } from '../destinations/destinations.ts';
import { basicAuth } from '../ingest/test-fixtures.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { createSource } from '../sources/sources.ts';
import { deliveryOverview } from './overview.ts';
import { searchEvents } from './search.ts';
import { deliveryStats } from './stats.ts';
import { findEvent, getTrace } from './trace.ts';

const SYSTEM: TActor = { type: 'system', id: null, label: 'test', role: 'admin', ip: null };

/** 500 with a body twice per webhook-id, then 200. */
function failTwiceThenOk(): TSinkResponder {
  const seen = new Map<string, number>();
  return (request, res) => {
    const n = (seen.get(request.id) ?? 0) + 1;
    seen.set(request.id, n);
    return (n <= 2 ? answer(500, { 'content-type': 'application/json', 'x-request-id': `req-${n}`, 'x-ratelimit-remaining': '17', etag: '"abc"' }, '{"error":"database is down"}') : ok)(request, res);
  };
}

let testDb: TTestDb;
let server: TIngestTestServer;
let engine: DeliveryEngine;
const sinks: TSink[] = [];
let workspaceId: string;
let otherWorkspaceId: string;
let sourceId: string;
let flaky: string;
let refusing: string;
let disabled: string;
let eventId: string;
const message = {
  type: 'identify',
  userId: 'user-42',
  anonymousId: 'anon-7',
  messageId: 'msg-trace-1',
  traits: { email: 'Ann.Lee@Example.com', plan: 'pro' },
  timestamp: '2026-01-01T10:00:00Z',
  sentAt: '2026-01-01T10:00:05Z',
  writeKey: 'shown-nowhere',
};

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  const workspace = await testDb.db.workspace.create({ data: { name: 'Acme', slug: 'acme-traces' } });
  const other = await testDb.db.workspace.create({ data: { name: 'Globex', slug: 'globex-traces' } });
  workspaceId = workspace.id;
  otherWorkspaceId = other.id;
  const source = await createSource({ db: testDb.db, workspaceId, actor: SYSTEM, name: 'Web app' });
  sourceId = source.id;
  for (let i = 0; i < 2; i++) sinks.push(await startSink());
  sinks[0].respond(failTwiceThenOk());
  sinks[1].respond(answer(400, {}, 'unknown field "plan"'));
  const make = async (name: string, url: string, headers: Record<string, string> = {}, enabled = true) => {
    const { destination, signingSecret } = await createDestination({ db: testDb.db, workspaceId, actor: SYSTEM, input: { sourceId, type: 'webhook', name, settings: { url, headers }, delivery: FAST_RETRIES, enabled }, allowPrivate: '*' });
    return { id: destination.id, signingSecret: signingSecret ?? '' };
  };
  const a = await make('Warehouse', sinks[0].url, { authorization: 'Bearer top-secret-token', 'x-team': 'team-secret-value' });
  sinks[0].setSecret(a.signingSecret);
  flaky = a.id;
  const b = await make('CRM', sinks[1].url);
  sinks[1].setSecret(b.signingSecret);
  refusing = b.id;
  disabled = (await make('Old tool', sinks[1].url, {}, false)).id;

  const body = { batch: [message, { type: 'track', event: 'No identity' }], context: { library: { name: 'curl' } } };
  const res = await fetch(`${server.url}/v1/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(source.writeKeys[0].key), 'user-agent': 'support-test/1.0' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  engine = await startEngine(testDb.url);
  await waitFor(async () => (await testDb.db.jobQueue.count()) === 0, { what: 'deliveries to end' });
  eventId = (await testDb.db.event.findFirstOrThrow({ where: { messageId: 'msg-trace-1' } })).id;
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  await Promise.all(sinks.map((sink) => sink.close()));
  await server?.close();
  await testDb?.drop();
});

describe('search', () => {
  it.each([
    ['an e-mail in another case', 'ann.lee@EXAMPLE.com'],
    ['the user ID', 'user-42'],
    ['the anonymous ID', 'anon-7'],
    ['the message ID', 'msg-trace-1'],
    ['a prefixed e-mail', 'email: Ann.Lee@example.com'],
    ['a prefixed user ID', 'user:user-42'],
  ])('finds the event by %s, with one badge per destination', async (_what, q) => {
    const page = await searchEvents({ db: testDb.db, workspaceId, input: { q, limit: 50 } });
    expect(page.data.map((row) => row.id)).toEqual([eventId]);
    const badges = Object.fromEntries(page.data[0].deliveries.map((d) => [d.destinationName, [d.state, d.lastResult, d.attempts]]));
    expect(badges).toEqual({ Warehouse: ['delivered', '200', 3], CRM: ['discarded', '400', 1], 'Old tool': ['filtered', null, 0] });
    expect(page.data[0]).toMatchObject({ sourceName: 'Web app', email: 'ann.lee@example.com', type: 'identify' });
  });

  it.each([
    ['delivered', () => flaky, true],
    ['discarded', () => flaky, false],
    ['discarded', () => refusing, true],
    ['delivered', () => refusing, false],
    ['filtered', () => disabled, true],
    ['filtered', () => flaky, false],
    ['blocked', () => flaky, false],
    ['retrying', () => flaky, false],
  ] as const)('finds the events %s at a destination (an overview step), and only those', async (state, destination, isFound) => {
    const page = await searchEvents({ db: testDb.db, workspaceId, input: { destinationId: destination(), state, limit: 50 } });
    expect(page.data.map((row) => row.id)).toEqual(isFound ? [eventId] : []);
    expect(page.nextCursor).toBeNull();
  });

  it('pages through the events in a state without repeating any', async () => {
    const first = await searchEvents({ db: testDb.db, workspaceId, input: { destinationId: disabled, state: 'filtered', limit: 1 } });
    expect(first.data.map((row) => row.id)).toEqual([eventId]);
    if (first.nextCursor) {
      const second = await searchEvents({ db: testDb.db, workspaceId, input: { destinationId: disabled, state: 'filtered', limit: 1, cursor: first.nextCursor } });
      expect(second.data).toEqual([]);
    }
  });

  it('asks for the destination of a state, and knows no destination of another workspace', async () => {
    await expect(searchEvents({ db: testDb.db, workspaceId, input: { state: 'delivered', limit: 50 } })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(searchEvents({ db: testDb.db, workspaceId: otherWorkspaceId, input: { destinationId: flaky, state: 'delivered', limit: 50 } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('does not find it under the wrong prefix, outside the time range, or from another workspace', async () => {
    expect((await searchEvents({ db: testDb.db, workspaceId, input: { q: 'anon:user-42', limit: 50 } })).data).toEqual([]);
    expect((await searchEvents({ db: testDb.db, workspaceId, input: { q: 'user-42', to: new Date(Date.now() - 3_600_000), limit: 50 } })).data).toEqual([]);
    expect((await searchEvents({ db: testDb.db, workspaceId: otherWorkspaceId, input: { q: 'user-42', limit: 50 } })).data).toEqual([]);
  });

  it('pages newest first with a cursor, without repeating or skipping events', async () => {
    const batch = Array.from({ length: 7 }, (_, i) => ({ type: 'track', event: `Step ${i}`, userId: 'pager', properties: { email: 'pager@example.com' }, messageId: `page-${i}`, timestamp: new Date(Date.now() - i).toISOString() }));
    // A source without destinations: these events must not change the delivery figures below.
    const quiet = await createSource({ db: testDb.db, workspaceId, actor: SYSTEM, name: 'Batch jobs' });
    const { writeKeys } = quiet;
    for (const event of batch) {
      const res = await fetch(`${server.url}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(writeKeys[0].key) }, body: JSON.stringify(event) });
      expect(res.status).toBe(200);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await searchEvents({ db: testDb.db, workspaceId, input: { email: 'PAGER@example.com', limit: 3, cursor } });
      seen.push(...page.data.map((row) => row.messageId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
  });
});

describe('trace', () => {
  it('shows the message as sent, the client, the timestamp correction and the pipeline decisions', async () => {
    const trace = await getTrace({ db: testDb.db, workspaceId, eventId });
    const { writeKey: _hidden, ...asSent } = message;
    expect(trace.received.asSent).toEqual(asSent);
    expect(trace.received.hadWriteKey).toBe(true);
    expect(trace.received.added).toEqual(expect.arrayContaining(['context', 'integrations', 'receivedAt', 'originalTimestamp']));
    expect(trace.received.userAgent).toBe('support-test/1.0');
    expect(trace.received.clientIp).toMatch(/127\.0\.0\.1/);
    expect(trace.received.timestampExplained).toContain('happened 5 s before it was sent');
    // In the order the stages ran (suppression before routing), not jsonb's key order.
    expect(trace.pipeline.map((step) => step.stage)).toEqual(['suppression', 'routing']);
    const routing = trace.pipeline.find((step) => step.stage === 'routing');
    expect(routing).toMatchObject({ decision: 'passed' });
    expect(routing?.reason).toContain('sent to Warehouse, CRM');
    expect(routing?.reason).toContain('left out Old tool (disabled)');
  });

  it('shows every attempt: the request sent with secrets masked, the answer and the decision in words', async () => {
    const trace = await getTrace({ db: testDb.db, workspaceId, eventId });
    const warehouse = trace.deliveries.find((d) => d.destinationId === flaky)!;
    expect(warehouse.state).toBe('delivered');
    expect(warehouse.summary).toBe('Delivered at attempt 3 (HTTP 200).');
    expect(warehouse.attempts.map((a) => [a.attempt, a.statusCode, a.state])).toEqual([[1, 500, 'awaiting_retry'], [2, 500, 'awaiting_retry'], [3, 200, 'succeeded']]);
    expect(warehouse.attempts[0].responseExcerpt).toBe('{"error":"database is down"}');
    // The headers that explain an answer are kept with it; the rest (etag, date, keep-alive…) are not.
    expect(warehouse.attempts[0].responseHeaders).toEqual({ 'content-type': 'application/json', 'x-request-id': 'req-1', 'x-ratelimit-remaining': '17' });
    expect(warehouse.attempts[1].responseHeaders['x-request-id']).toBe('req-2');
    expect(warehouse.attempts[0].decision).toMatch(/^HTTP 500 is retried; next attempt at \d\d:\d\d:\d\d UTC \(attempt 2\), inside the retry window that ends /);
    expect(warehouse.attempts[2].decision).toBe('HTTP 200 is a success: delivered at attempt 3.');
    const request = warehouse.attempts[0].request!;
    expect(request).toMatchObject({ method: 'POST', url: sinks[0].url, bodyIs: 'event' });
    expect(request.headers.authorization).toBe(MASK);
    expect(request.headers['x-team']).toBe(MASK);
    expect(JSON.stringify(request.headers)).not.toContain('secret');
    expect(request.headers['webhook-id']).toBe(warehouse.jobId);
    // The body shown is the body the receiver got, byte for byte.
    expect(request.body).toBe(sinks[0].requests[0].body);

    const crm = trace.deliveries.find((d) => d.destinationId === refusing)!;
    expect(crm.state).toBe('discarded');
    expect(crm.attempts[0].decision).toBe('HTTP 400: discarded, because a client error: the destination will refuse the same request again, so it is not retried.');
    expect(trace.deliveries.find((d) => d.destinationId === disabled)).toMatchObject({ state: 'filtered', summary: 'Not sent: routing: disabled.', attempts: [] });
    expect(trace.isPending).toBe(false);
  });

  it('is NOT_FOUND from another workspace and for ids that are not events', async () => {
    await expect(getTrace({ db: testDb.db, workspaceId: otherWorkspaceId, eventId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getTrace({ db: testDb.db, workspaceId, eventId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('charts and overview', () => {
  it('counts status codes, success by attempt, latency and the failing answers with example events', async () => {
    const stats = await deliveryStats({ db: testDb.db, workspaceId, destinationId: flaky, range: '1h' });
    expect(stats.keys).toEqual(['200', '500']);
    expect(stats.series.reduce((sum, b) => sum + (b.counts['500'] ?? 0), 0)).toBe(2);
    expect(stats.totals).toMatchObject({ attempts: 3, delivered: 1, retried: 2 });
    expect(stats.firstAttemptSuccessRate).toBe(0);
    expect(stats.eventualSuccessRate).toBe(1);
    expect(stats.successByAttempt).toEqual([{ attempt: 3, count: 1 }]);
    expect(stats.latency.p50).not.toBeNull();
    expect(stats.topResponses).toEqual([{ code: '500', count: 2, excerpts: [{ excerpt: '{"error":"database is down"}', count: 2, eventIds: [eventId] }] }]);

    const workspace = await deliveryStats({ db: testDb.db, workspaceId, range: '30d' });
    expect(workspace.keys).toEqual(expect.arrayContaining(['200', '400', '500']));
    expect(workspace.totals.discarded).toBeGreaterThanOrEqual(1);
    await expect(deliveryStats({ db: testDb.db, workspaceId: otherWorkspaceId, destinationId: flaky, range: '1h' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says an empty range is empty', async () => {
    const { destination } = await createDestination({ db: testDb.db, workspaceId, actor: SYSTEM, input: { sourceId, type: 'webhook', name: 'Quiet', settings: { url: 'http://127.0.0.1:9/none' } }, allowPrivate: '*' });
    const stats = await deliveryStats({ db: testDb.db, workspaceId, destinationId: destination.id, range: '24h' });
    expect(stats.totals.attempts).toBe(0);
    expect(stats.keys).toEqual([]);
    expect(stats.firstAttemptSuccessRate).toBeNull();
    await testDb.db.destination.delete({ where: { id: destination.id } });
  });

  it('walks received → rejected → filtered → delivered / discarded per source and destination', async () => {
    const overview = await deliveryOverview({ db: testDb.db, workspaceId, range: '24h' });
    const source = overview.sources.find((s) => s.sourceId === sourceId)!;
    expect(source.rejected).toEqual([{ reason: 'missing_identity', count: 1 }]);
    expect(source.received).toBe(source.stored + 1);
    const byName = Object.fromEntries(overview.destinations.map((d) => [d.name, d]));
    expect(byName['Old tool'].filtered).toEqual([{ reason: 'routing: disabled', count: source.stored }]);
    expect(byName.CRM).toMatchObject({ discarded: source.stored });
    expect(byName.Warehouse.retriedAttempts).toBeGreaterThanOrEqual(2);
  });
});

describe('re-send', () => {
  it('sends the event to one destination again, traced as a replay attempt', async () => {
    const before = sinks[0].requests.length;
    sinks[0].respond(ok);
    const event = await findEvent({ db: testDb.db, workspaceId, eventId });
    await resendEvent({ db: testDb.db, workspaceId, actor: SYSTEM, event, destinationId: flaky });
    await waitFor(async () => (await testDb.db.jobQueue.count()) === 0, { what: 'the re-send', timeoutMs: 20_000 }).catch(async (error: unknown) => {
      console.log(await testDb.db.jobQueue.findMany(), await testDb.db.job.findMany({ where: { destinationId: flaky } }));
      throw error;
    });
    expect(sinks[0].requests.length).toBe(before + 1);
    const trace = await getTrace({ db: testDb.db, workspaceId, eventId });
    const attempts = trace.deliveries.find((d) => d.destinationId === flaky)!.attempts;
    expect(attempts.map((a) => [a.state, a.isReplay])).toEqual([
      ['awaiting_retry', false], ['awaiting_retry', false], ['succeeded', false], ['replayed', false], ['succeeded', true],
    ]);
    expect(attempts[3].decision).toBe('Re-sent as a new delivery (re-sent by test).');
    // The search's badge follows the newest job: the re-send, delivered at its first attempt.
    const page = await searchEvents({ db: testDb.db, workspaceId, input: { q: 'msg-trace-1', limit: 50 } });
    expect(page.data[0].deliveries.find((d) => d.destinationId === flaky)).toMatchObject({ state: 'delivered', attempts: 1 });
  });
});
