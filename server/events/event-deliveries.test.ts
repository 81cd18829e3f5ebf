/** The debugger's per-destination delivery state of one event: never "delivered" for a failure. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { buildEngine } from '../delivery/test-engine.ts';
import { answer } from '../delivery/test-responders.ts';
import { startSink, type TSink } from '../delivery/test-sink.ts';
import { createSourceWithSinks, sendEvents, waitFor } from '../delivery/test-world.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { listEventDeliveries } from './event-deliveries.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
let sinks: TSink[];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sinks = [await startSink(), await startSink(), await startSink()];
  sinks[1].respond(answer(500, {}, 'partner down'));
  sinks[2].respond(answer(401, {}, 'bad key'));
});
afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

describe('an event\'s deliveries', () => {
  it('are queued before any attempt, then delivered, retrying (500) and failed (401) per destination', async () => {
    const world = await createSourceWithSinks(testDb, sinks, { minBackoffSeconds: 60, maxBackoffSeconds: 120, timeoutMs: 2000 });
    const [ok, down, unauthorized] = world.destinationIds;
    await sendEvents(server, world.writeKey, 1, 'routing-vs-delivery');
    const event = await testDb.db.event.findFirstOrThrow({ where: { workspaceId: world.workspaceId } });

    const before = await listEventDeliveries({ db: testDb.db, workspaceId: world.workspaceId, eventId: event.id });
    expect(before.map((d) => d.status).sort()).toEqual(['queued', 'queued', 'queued']);

    const { engine } = await buildEngine(testDb.url);
    try {
      await waitFor(async () => (await testDb.db.jobTransition.count({ where: { destinationId: { in: world.destinationIds } } })) >= 3, { timeoutMs: 20_000, what: 'three first attempts' });
    } finally {
      await engine.stop();
    }
    const after = new Map((await listEventDeliveries({ db: testDb.db, workspaceId: world.workspaceId, eventId: event.id })).map((d) => [d.destinationId, d]));
    expect(after.get(ok)).toMatchObject({ status: 'delivered', statusCode: 200, attempts: 1 });
    expect(after.get(down)).toMatchObject({ status: 'retrying', statusCode: 500, attempts: 1, nextAttemptAt: expect.any(Date) });
    expect(after.get(unauthorized)).toMatchObject({ status: 'failed', statusCode: 401, attempts: 1, nextAttemptAt: null });
  });

  it('of another workspace\'s event are not found', async () => {
    const world = await createSourceWithSinks(testDb, []);
    await sendEvents(server, world.writeKey, 1, 'elsewhere');
    const event = await testDb.db.event.findFirstOrThrow({ where: { workspaceId: world.workspaceId } });
    const other = await testDb.db.workspace.create({ data: { name: 'Other', slug: 'other-ws' } });
    await expect(listEventDeliveries({ db: testDb.db, workspaceId: other.id, eventId: event.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
