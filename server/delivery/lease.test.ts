/**
 * Issue 12, the crash test's doubt: can a job whose request succeeded be claimed again
 * before its outcome is recorded? A worker passes the claim its succeeded-but-unrecorded
 * jobs (engine.ts `settled`) so they stop counting as in flight; they must still not be
 * taken again, by it or by any other worker, while their leases stand. Once a lease has
 * expired (the worker died, or took longer than the lease to send and record), the job is
 * claimed again: that is at-least-once, and the only way a job can succeed twice.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { claimJobs } from '../queue/sql/claim-jobs.ts';
import { sleep } from './test-engine.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents } from './test-world.ts';

const LEASE_SECONDS = 2;
const LIMIT = 2;

let testDb: TTestDb;
let server: TIngestTestServer;
let pool: pg.Pool;
let sink: TSink;

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  sink = await startSink();
});
afterAll(async () => {
  await sink?.close();
  await pool?.end();
  await server?.close();
  await testDb?.drop();
});

it('never claims a job again while its lease stands, even once its request succeeded and no longer counts as in flight', { timeout: 30_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink], { maxInFlight: LIMIT });
  await sendEvents(server, world.writeKey, 3);
  const destinationId = world.destinationIds[0];
  const claim = async (workerId: string, settled: string[] = []) =>
    (await claimJobs(pool, { ids: [destinationId], limits: [LIMIT], wants: [10], rates: [null], leaseSeconds: LEASE_SECONDS, workerId, settled })).map((row) => row.job_id).sort();

  const first = await claim('worker-a');
  expect(first).toHaveLength(LIMIT);
  // Both requests succeeded; their outcomes are not recorded yet. Their room (2) is filled
  // with the one other job due, and not with them although room is left.
  const second = await claim('worker-a', first);
  expect(second).toHaveLength(1);
  expect(first).not.toContain(second[0]);
  // Another worker finds no room (worker-a's three leases count for it) and takes nothing.
  expect(await claim('worker-b')).toEqual([]);

  // After the leases expire, the jobs are due again: at-least-once.
  await sleep(LEASE_SECONDS * 1000 + 300);
  const again = await claim('worker-b');
  expect(again).toHaveLength(LIMIT);
  expect(again.every((id) => [...first, ...second].includes(id))).toBe(true);
});
