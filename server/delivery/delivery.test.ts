/** Events sent through the real tracking API are delivered to local sinks, signed, exactly once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import type { DeliveryEngine } from './engine.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents, startEngine, waitFor } from './test-world.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
const sinks: TSink[] = [];
const engines: DeliveryEngine[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.stop()));
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

describe('delivery', () => {
  it('delivers thousands of events to several sinks: every event arrives once, every signature verifies', async () => {
    for (let i = 0; i < 3; i++) sinks.push(await startSink());
    const world = await createSourceWithSinks(testDb, sinks, { maxInFlight: 50, timeoutMs: 10_000 });
    const messageIds = await sendEvents(server, world.writeKey, 3000);
    engines.push(await startEngine(testDb.url), await startEngine(testDb.url));
    await waitFor(async () => (await testDb.db.jobQueue.count()) === 0, { what: 'the queue to drain' });

    for (const sink of sinks) {
      expect(sink.requests).toHaveLength(3000);
      expect(sink.requests.every((r) => r.isSignatureValid)).toBe(true);
      expect([...sink.counts.values()].every((n) => n === 1)).toBe(true);
      const received = new Set(sink.requests.map((r) => (JSON.parse(r.body) as { messageId: string }).messageId));
      expect(received).toEqual(new Set(messageIds));
    }
    expect(await testDb.db.jobTransition.count({ where: { state: 'succeeded' } })).toBe(9000);
    const rollups = await testDb.db.deliveryRollup.aggregate({ _sum: { count: true }, where: { outcome: 'succeeded', statusCode: 200 } });
    expect(rollups._sum.count).toBe(9000);
  });
});
