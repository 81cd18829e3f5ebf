/**
 * Issue 12, the crash test's doubt: can a job whose request succeeded be claimed again
 * before its outcome is recorded? A worker's claim does not count its succeeded-but-unrecorded
 * jobs as in flight (lease-book.ts); they must still not be
 * taken again, by it or by any other worker, while their leases stand. Once a lease has
 * expired (the worker died, or took longer than the lease to send and record), the job is
 * claimed again: that is at-least-once, and the only way a job can succeed twice.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { claimJobs, forgetWorkerLeases } from '../queue/sql/claim-jobs.ts';
import { recordOutcomes, releaseLeases } from '../queue/sql/record-outcomes.ts';
import { LeaseBook } from './lease-book.ts';
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

it('leases jobs with heap-only updates: a claim writes no index entry (migration 0020)', { timeout: 30_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink], { maxInFlight: 100 });
  await sendEvents(server, world.writeKey, 40);
  // One connection, whose statistics are flushed on demand (pg_stat_force_next_flush).
  const single = new pg.Pool({ connectionString: testDb.url, max: 1 });
  const updates = async () => {
    await single.query('SELECT pg_stat_force_next_flush()');
    const { rows } = await pool.query<{ updated: number; hot: number }>(`SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'job_queue'`);
    return rows[0];
  };
  try {
    const before = await updates();
    const claimed = await claimJobs(single, { ids: [world.destinationIds[0]], limits: [100], wants: [40], rates: [null], leaseSeconds: LEASE_SECONDS, workerId: 'worker-hot' });
    expect(claimed).toHaveLength(40);
    const after = await updates();
    expect(after.updated - before.updated).toBeGreaterThanOrEqual(40);
    // Leases are heap-only updates: no index of job_queue covers what a claim changes (only a
    // row whose page has no room left for its new version is not; none here, but the rows'
    // widths vary with the worker id). Before migration 0020: none of them.
    expect(after.hot - before.hot).toBeGreaterThanOrEqual(0.9 * (after.updated - before.updated));
  } finally {
    await single.end();
  }
});

it('never claims a job again while its lease stands, even once its request succeeded and no longer counts as in flight', { timeout: 30_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink], { maxInFlight: LIMIT });
  await sendEvents(server, world.writeKey, 3);
  const destinationId = world.destinationIds[0];
  // Each worker's leases, as its engine keeps them (lease-book.ts): its claims count them,
  // less the settled ones, and tell the other workers how many it holds.
  const books = new Map<string, LeaseBook>();
  const claim = async (workerId: string, settled: string[] = []) => {
    const book = books.get(workerId) ?? new LeaseBook();
    books.set(workerId, book);
    for (const jobId of settled) book.settle(jobId);
    const { counted, held } = book.counts(destinationId, { now: Date.now(), limit: LIMIT, isSettledCounted: false });
    const rows = await claimJobs(pool, { ids: [destinationId], limits: [LIMIT], wants: [10], rates: [null], leaseSeconds: LEASE_SECONDS, workerId, counted: [counted], held: [held] });
    for (const row of rows) book.claimed(destinationId, row.job_id, Date.now() + LEASE_SECONDS * 1000);
    return rows.map((row) => row.job_id).sort();
  };

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

it('frees a worker\'s places for the other workers with its next claim round once its outcomes are recorded, and all of them when it stops', { timeout: 30_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink], { maxInFlight: LIMIT });
  await sendEvents(server, world.writeKey, 4);
  const destinationId = world.destinationIds[0];
  const books = new Map<string, LeaseBook>();
  // A claim round as the engine makes it: its own count from its book, and wanting nothing
  // when it only has a lower count to write.
  const claim = async (workerId: string, want = 10) => {
    const book = books.get(workerId) ?? new LeaseBook();
    books.set(workerId, book);
    const { counted, held } = book.counts(destinationId, { now: Date.now(), limit: LIMIT, isSettledCounted: false });
    const rows = await claimJobs(pool, { ids: [destinationId], limits: [LIMIT], wants: [want], rates: [null], leaseSeconds: 30, workerId, counted: [counted], held: [held] });
    for (const row of rows) book.claimed(destinationId, row.job_id, Date.now() + 30_000);
    return rows;
  };

  const first = await claim('worker-a');
  expect(first).toHaveLength(LIMIT);
  expect(await claim('worker-b')).toEqual([]);
  const at = new Date().toISOString();
  await recordOutcomes(pool, first.map((row) => ({
    job_id: row.job_id, job_created_at: row.job_created_at, destination_id: row.destination_id, source_id: row.source_id, attempt: row.attempt,
    state: 'succeeded', at, status_code: 200, error_code: null, latency_ms: 5, response_excerpt: null, retry_at: null, worker_id: 'worker-a', explanation: null,
  })));
  for (const row of first) books.get('worker-a')!.ended(row.job_id);
  // Recorded, but worker-a's count is written by its claims only (a record never waits on a
  // claim for it): worker-b still finds no room until worker-a's next round, wanting nothing.
  expect(await claim('worker-b')).toEqual([]);
  expect(await claim('worker-a', 0)).toEqual([]);
  expect(await claim('worker-b')).toHaveLength(LIMIT);
  // worker-c finds none (worker-b holds both places); once worker-b has stopped (its jobs
  // given back, its count forgotten, as engine.stop does), worker-c takes them at once.
  expect(await claim('worker-c')).toEqual([]);
  await releaseLeases(pool, { workerId: 'worker-b', jobIds: [...(await pool.query<{ job_id: string }>(`SELECT job_id FROM job_queue WHERE lease_owner = 'worker-b'`)).rows.map((row) => row.job_id)] });
  await forgetWorkerLeases(pool, 'worker-b');
  expect(await claim('worker-c')).toHaveLength(LIMIT);
});

it('keeps counting a worker\'s long leases when its later claims lease for less (a lowered timeout)', { timeout: 30_000 }, async () => {
  const world = await createSourceWithSinks(testDb, [sink], { maxInFlight: LIMIT });
  await sendEvents(server, world.writeKey, 4);
  const destinationId = world.destinationIds[0];
  const claim = async (workerId: string, { held = 0, want = 10, leaseSeconds = 30 } = {}) =>
    await claimJobs(pool, { ids: [destinationId], limits: [LIMIT], wants: [want], rates: [null], leaseSeconds, workerId, counted: [held], held: [held] });
  expect(await claim('worker-a', { leaseSeconds: 30 })).toHaveLength(LIMIT);
  // Its next round leases for 1 s (and takes nothing: it is full).
  expect(await claim('worker-a', { held: LIMIT, want: 0, leaseSeconds: 1 })).toEqual([]);
  await sleep(1_500);
  // The 30 s leases are still out: worker-b must not take more.
  expect(await claim('worker-b')).toEqual([]);
});

async function waitForRows<T>(query: () => Promise<{ rows: T[] }>): Promise<{ rows: T[] }> {
  const end = Date.now() + 10_000;
  for (;;) {
    const result = await query();
    if (result.rows.length > 0 || Date.now() > end) return result;
    await sleep(50);
  }
}
