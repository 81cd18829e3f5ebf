/**
 * Real, unmodified SDKs against the tracking API on a real HTTP server: only their host is
 * pointed at Switchyard. Several hundred calls of every type go out in several batches;
 * each must be stored exactly once as the SDK sent it, with one job per destination.
 */
import { gunzipSync } from 'node:zlib';
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { createIngestFixture } from './test-fixtures.ts';
import { buildCalls, expectStoredExactlyOnce, type TCall, type TWireMessage } from './test-sdk-calls.ts';
import { startIngestTestServer, type TIngestTestServer } from './test-server.ts';

const CALLS = 300;
const FLUSH_AT = 40;

let testDb: TTestDb;
let server: TIngestTestServer;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

type TCallback = (error?: unknown) => void;

/** An SDK's error as a readable line: its message and, for HTTP errors, the server's answer. */
function describeError(error: unknown): string {
  const answer = (error as { response?: { status?: number; data?: unknown } } | null)?.response;
  return `${error instanceof Error ? error.message : String(error)}${answer ? ` ${answer.status} ${JSON.stringify(answer.data)}` : ''}`;
}

function sendWithSegment(client: Analytics, call: TCall, done: TCallback): void {
  const context = { probe: call.probe };
  switch (call.type) {
    case 'track': return client.track({ ...call.identity, event: call.event, properties: call.properties, context }, done);
    case 'page': return client.page({ ...call.identity, name: call.name, properties: call.properties, context }, done);
    case 'screen': return client.screen({ ...call.identity, name: call.name, properties: call.properties, context }, done);
    case 'identify': return client.identify({ ...call.identity, traits: call.traits, context }, done);
    case 'group': return client.group({ ...call.identity, groupId: call.groupId, traits: call.traits, context }, done);
    case 'alias': return client.alias({ userId: call.userId, previousId: call.previousId, context }, done);
  }
}

function sendWithRudder(client: RudderAnalytics, call: TCall, done: (error?: unknown, data?: unknown) => void): void {
  const context = { probe: call.probe };
  switch (call.type) {
    case 'track': client.track({ ...call.identity, event: call.event, properties: call.properties, context }, done); break;
    case 'page': client.page({ ...call.identity, name: call.name, properties: call.properties, context }, done); break;
    case 'screen': client.screen({ ...call.identity, name: call.name, properties: call.properties, context }, done); break;
    case 'identify': client.identify({ ...call.identity, traits: call.traits, context }, done); break;
    case 'group': client.group({ ...call.identity, groupId: call.groupId, traits: call.traits, context }, done); break;
    case 'alias': client.alias({ ...call.identity, previousId: call.previousId, context }, done); break;
  }
}

/** Resolves once every call's callback has fired; collects the errors they reported. */
function callbackTracker(count: number) {
  const errors: string[] = [];
  let left = count;
  let resolve: () => void = () => undefined;
  const all = new Promise<void>((r) => (resolve = r));
  const done = (error?: unknown) => {
    if (error) errors.push(describeError(error));
    if (--left === 0) resolve();
  };
  return { errors, all, done, left: () => left };
}

describe('SDK clients, unmodified but for their host', () => {
  it(`@segment/analytics-node: ${CALLS} calls of every type arrive exactly once`, async () => {
    const fx = await createIngestFixture(testDb.db);
    const calls = buildCalls(`seg-${Date.now()}`, CALLS);
    const client = new Analytics({ writeKey: fx.writeKey, host: server.url, flushAt: FLUSH_AT, flushInterval: 60_000, maxRetries: 2 });
    const wire: TWireMessage[] = [];
    const statuses: number[] = [];
    client.on('http_request', ({ body }) => {
      const sent = JSON.parse(body) as { sentAt: string; batch: TWireMessage[] };
      for (const message of sent.batch) wire.push({ ...message, sentAt: message.sentAt ?? sent.sentAt });
    });
    client.on('http_response', ({ status }) => statuses.push(status));
    const tracker = callbackTracker(calls.length);
    const startedAt = Date.now();

    for (const call of calls) sendWithSegment(client, call, tracker.done);
    await client.closeAndFlush({ timeout: 20_000 });
    await tracker.all;
    const finishedAt = Date.now();

    expect(tracker.errors).toEqual([]);
    expect(statuses.length).toBe(Math.ceil(CALLS / FLUSH_AT));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await expectStoredExactlyOnce({
      db: testDb.db, sourceId: fx.sourceId, destinationIds: fx.destinations.map((d) => d.id), calls, wire,
      library: '@segment/analytics-node', timeField: 'timestamp', startedAt, finishedAt,
    });
  });

  it(`@rudderstack/rudder-sdk-node: ${CALLS} calls of every type arrive exactly once, gzipped`, async () => {
    const fx = await createIngestFixture(testDb.db);
    const calls = buildCalls(`rud-${Date.now()}`, CALLS);
    const handlerErrors: string[] = [];
    const client = new RudderAnalytics(fx.writeKey, {
      dataPlaneUrl: server.url, flushAt: FLUSH_AT, flushInterval: 60_000, logLevel: 'error', errorHandler: (error) => handlerErrors.push(describeError(error)),
    });
    // The SDK hands each callback the request body it sent (gzip by default): that is the wire.
    const bodies = new Set<unknown>();
    const wire = new Map<string, TWireMessage>();
    const tracker = callbackTracker(calls.length);
    const onSent = (probe: string) => (error?: unknown, data?: unknown) => {
      if (!error && data !== undefined && !bodies.has(data)) {
        bodies.add(data);
        const json = Buffer.isBuffer(data) ? gunzipSync(data).toString('utf8') : JSON.stringify(data);
        for (const message of (JSON.parse(json) as { batch: TWireMessage[] }).batch) wire.set(message.context.probe, message);
      }
      expect(wire.has(probe) || error).toBeTruthy();
      tracker.done(error);
    };
    const startedAt = Date.now();

    for (const call of calls) sendWithRudder(client, call, onSent(call.probe));
    // flush() sends at most flushAt events per call; flush until every callback has fired.
    const deadline = Date.now() + 20_000;
    while (tracker.left() > 0 && Date.now() < deadline) {
      await client.flush();
      await Promise.race([tracker.all, new Promise((r) => setTimeout(r, 20))]);
    }
    const finishedAt = Date.now();

    expect({ handlerErrors, callbackErrors: tracker.errors, unanswered: tracker.left() }).toEqual({ handlerErrors: [], callbackErrors: [], unanswered: 0 });
    expect([...bodies].every((b) => Buffer.isBuffer(b))).toBe(true);
    expect(bodies.size).toBeGreaterThanOrEqual(Math.ceil(CALLS / FLUSH_AT));
    await expectStoredExactlyOnce({
      db: testDb.db, sourceId: fx.sourceId, destinationIds: fx.destinations.map((d) => d.id), calls, wire: [...wire.values()],
      library: 'analytics-node', timeField: 'originalTimestamp', startedAt, finishedAt,
    });
  });
});
