/**
 * Property-based: thousands of malformed and hostile requests at the real HTTP endpoint,
 * sent in small concurrent groups so they share group commits. The server must never
 * answer 5xx or drop the connection, must always answer JSON with `error` + `message` or
 * `success`, and must store every event it said it accepted exactly once — and nothing else.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { bigBatchRequestArb, jsonRequestArb, labelled, rawRequestArb, type THostileRequest } from './test-arbitraries.ts';
import { createIngestFixture } from './test-fixtures.ts';
import { expectLedgerStored, newLedger, sendGroup } from './test-hostile-client.ts';
import { startIngestTestServer, type TIngestTestServer } from './test-server.ts';

/** Scales every property's number of runs; FC_SCALE=10 for a long soak. */
const SCALE = Number(process.env.FC_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

let testDb: TTestDb;
let server: TIngestTestServer;
let fx: Awaited<ReturnType<typeof createIngestFixture>>;
const run = `h${Date.now().toString(36)}`;
const ledger = newLedger();

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  fx = await createIngestFixture(testDb.db);
});
afterAll(async () => {
  await server.close();
  await testDb.drop();
});

/** Each run sends a group of 1–8 requests concurrently; the checks run on every answer. */
async function assertGroups(name: string, request: fc.Arbitrary<THostileRequest>, numRuns: number, maxGroup = 8): Promise<void> {
  const before = ledger.requests;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(fc.array(labelled(request), { minLength: 1, maxLength: maxGroup }), (group) => sendGroup(server.url, group, ledger)),
    { numRuns, endOnFailure: true },
  );
  console.info(`hostile-input ${name}: ${numRuns} runs, ${ledger.requests - before} requests in ${Date.now() - started} ms`);
}

describe('hostile input at the tracking API', () => {
  it('single events with wrong types, hostile strings and values near the limits', async () => {
    await assertGroups('single', jsonRequestArb(run, fx.writeKey, 'single'), runs(300));
  }, 90_000);

  it('batches mixing valid and invalid events, with messageIds repeated within and across requests', async () => {
    await assertGroups('batch', jsonRequestArb(run, fx.writeKey, 'batch'), runs(220));
  }, 90_000);

  it('random bytes, gzip of random bytes, truncated JSON, odd paths, methods, types and encodings', async () => {
    await assertGroups('raw', rawRequestArb(fx.writeKey), runs(300));
  }, 90_000);

  it('batches at the limits of 2,500 events and 500 KB', async () => {
    await assertGroups('big', bigBatchRequestArb(run, fx.writeKey), runs(6), 3);
  }, 90_000);

  it('stored exactly what it said it accepted: each accepted messageId once, nothing else', async () => {
    expect(ledger.requests).toBeGreaterThan(2000 * Math.min(1, SCALE));
    expect(ledger.accepted).toBeGreaterThan(0);
    expect(ledger.duplicates).toBeGreaterThan(0);
    expect(ledger.rejectedEvents).toBeGreaterThan(0);
    await expectLedgerStored(server.pool, fx.sourceId, run, ledger);
    // Concurrent requests really shared commits.
    expect(server.writer.stats.flushes).toBeLessThan(ledger.requests);
    console.info(`hostile-input ledger: ${JSON.stringify({ ...ledger, acceptedIds: ledger.acceptedIds.size, flushes: server.writer.stats.flushes })}`);
  });
});
