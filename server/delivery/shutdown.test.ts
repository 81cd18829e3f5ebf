/**
 * SIGTERM-style drain, as an operator and a destination see it: stop() returns within a
 * bound, requests in flight either finish or are aborted after drainMs, and every job the
 * worker claimed has its outcome recorded — nothing is left leased to a worker that is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { buildEngine, transitionsOf } from './test-engine.ts';
import { hanging, newHangTracker, slow } from './test-responders.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, FAST_RETRIES, sendEvents, waitFor } from './test-world.ts';

let testDb: TTestDb;
let server: TIngestTestServer;
const sinks: TSink[] = [];

async function worldWith(delivery = FAST_RETRIES) {
  const sink = await startSink();
  sinks.push(sink);
  return { sink, ...(await createSourceWithSinks(testDb, [sink], delivery)) };
}

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
});
afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await server.close();
  await testDb.drop();
});

describe('engine.stop() with requests in flight', () => {
  it('lets requests to a slow sink (500 ms) finish and records every claimed job', async () => {
    const { sink, writeKey, destinationIds } = await worldWith({ ...FAST_RETRIES, maxInFlight: 20, timeoutMs: 10_000 });
    sink.respond(slow(500));
    await sendEvents(server, writeKey, 60);
    const { engine, workerId } = await buildEngine(testDb.url, { drainMs: 5000 });
    await waitFor(async () => sink.requests.length >= 20, { timeoutMs: 15_000, what: '20 requests in flight' });

    const stoppingAt = Date.now();
    await engine.stop();
    const stopMs = Date.now() - stoppingAt;
    const rows = await transitionsOf(testDb.db, destinationIds[0]);
    const queue = await testDb.db.jobQueue.findMany({ where: { destinationId: destinationIds[0] } });
    console.log(`slow sink: stop() took ${stopMs} ms; ${engine.stats.claimed} claimed, ${rows.length} recorded, ${queue.length} left queued`);

    expect(stopMs).toBeLessThan(8000);
    expect(engine.stats.claimed).toBeGreaterThanOrEqual(20);
    expect(rows).toHaveLength(engine.stats.claimed);
    expect(rows.every((t) => t.state === 'succeeded' && t.statusCode === 200 && t.workerId === workerId)).toBe(true);
    expect(sink.requests).toHaveLength(engine.stats.claimed); // nothing sent that was not recorded
    expect(queue).toHaveLength(60 - engine.stats.claimed);
    expect(queue.every((job) => job.leaseOwner === null && job.attempt === 0)).toBe(true);
  });

  it('aborts requests to a sink that never answers after drainMs and records them as retries, back in the queue', async () => {
    const { sink, writeKey, destinationIds } = await worldWith({ ...FAST_RETRIES, maxInFlight: 10, timeoutMs: 60_000 });
    const tracker = newHangTracker();
    sink.respond(hanging(tracker));
    await sendEvents(server, writeKey, 10);
    const { engine, workerId } = await buildEngine(testDb.url, { drainMs: 1000 });
    await waitFor(async () => sink.requests.length >= 10, { timeoutMs: 15_000, what: '10 hanging requests' });

    const stoppingAt = Date.now();
    await engine.stop();
    const stopMs = Date.now() - stoppingAt;
    const rows = await transitionsOf(testDb.db, destinationIds[0]);
    const queue = await testDb.db.jobQueue.findMany({ where: { destinationId: destinationIds[0] } });
    console.log(`hanging sink: stop() took ${stopMs} ms; outcomes ${JSON.stringify([...new Set(rows.map((t) => `${t.state}/${t.errorCode}`))])}`);

    expect(stopMs).toBeGreaterThanOrEqual(950);
    expect(stopMs).toBeLessThan(8000);
    await waitFor(async () => tracker.open === 0, { timeoutMs: 2000, what: 'the sink to see its requests aborted' });
    expect(rows).toHaveLength(10);
    for (const t of rows) {
      expect(t).toMatchObject({ state: 'awaiting_retry', attempt: 1, workerId, statusCode: null });
      expect(['ECONNABORTED', 'UND_ERR_ABORTED']).toContain(t.errorCode);
      expect(t.retryAt).not.toBeNull();
    }
    expect(queue).toHaveLength(10);
    const retryAt = new Map(rows.map((t) => [t.jobId, t.retryAt!.getTime()]));
    for (const job of queue) {
      expect(job.leaseOwner).toBeNull();
      expect(job.leaseExpiresAt).toBeNull();
      expect(job.runAt.getTime()).toBe(retryAt.get(job.jobId));
    }
  });
});
