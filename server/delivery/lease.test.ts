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
import { buildEngine, sleep, type TTestEngine } from './test-engine.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks, sendEvents } from './test-world.ts';

const LEASE_SECONDS = 2;
const LIMIT = 2;

let testDb: TTestDb;
let server: TIngestTestServer;
let pool: pg.Pool;
let sink: TSink;
const engines: TTestEngine[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  pool = new pg.Pool({ connectionString: testDb.url, max: 2 });
  sink = await startSink();
});
afterAll(async () => {
  for (const { engine } of engines) await engine.stop();
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

it('leases a slow destination\'s jobs for longer than its timeout: a second worker never takes a job whose answer is still coming', { timeout: 60_000 }, async () => {
  // Workers leasing for 3 s, a destination allowing 8 s per request, a partner answering in
  // 5 s: with the workers' lease, the second worker would take each job again after 3 s
  // and the partner would get every message twice (and more requests than maxInFlight).
  const slow = await startSink();
  let inFlight = 0;
  let mostInFlight = 0;
  slow.respond(async (_request, res) => {
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    await sleep(5_000);
    inFlight--;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  try {
    const world = await createSourceWithSinks(testDb, [slow], { maxInFlight: 4, timeoutMs: 8_000, minBackoffSeconds: 1, maxBackoffSeconds: 2 });
    const messageIds = await sendEvents(server, world.writeKey, 4);
    engines.push(await buildEngine(testDb.url, { leaseSeconds: 3 }), await buildEngine(testDb.url, { leaseSeconds: 3 }));
    const { rows: leases } = await waitForRows(() =>
      pool.query<{ seconds: number }>(`SELECT extract(epoch FROM lease_expires_at - now())::float8 AS seconds FROM job_queue WHERE destination_id = $1 AND lease_owner IS NOT NULL`, [world.destinationIds[0]]),
    );
    // At least the timeout and the margin (8 + 15 s), less the time since the claim.
    expect(Math.min(...leases.map((row) => row.seconds))).toBeGreaterThan(20);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      // A job leaves the queue when it ends (succeeded, here).
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM job_queue WHERE destination_id = $1`, [world.destinationIds[0]]);
      if (rows[0].n === 0) break;
      await sleep(200);
    }
    // Another second for a duplicate to show, had one been sent late.
    await sleep(1_000);
    expect(slow.requests).toHaveLength(messageIds.length);
    expect([...slow.counts.values()].every((n) => n === 1)).toBe(true);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  } finally {
    for (const { engine } of engines.splice(0)) await engine.stop();
    await slow.close();
  }
});

async function waitForRows<T>(query: () => Promise<{ rows: T[] }>): Promise<{ rows: T[] }> {
  const end = Date.now() + 10_000;
  for (;;) {
    const result = await query();
    if (result.rows.length > 0 || Date.now() > end) return result;
    await sleep(50);
  }
}
