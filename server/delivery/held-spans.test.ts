/**
 * Issue 12: held spans (destination_held_spans, one per Retry-After pause or hold) are
 * pruned by the worker's maintenance once no job can need them, and the jobs that remain
 * keep exactly the credit they had. Each destination here was paused for 2 s every hour for
 * 200 hours (a partner answering with Retry-After all the time); the spans are written as
 * the flow tracker writes them (running sum before each).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { MAX_RETRY_WINDOW_SECONDS } from '../destinations/delivery-tuning.ts';
import { heldCreditBetweenSql, heldCreditMsSql, heldMsAtSql } from '../queue/sql/held-time.ts';
import { pruneHeldSpans } from './sql/held-spans.ts';
import { startSink, type TSink } from './test-sink.ts';
import { createSourceWithSinks } from './test-world.ts';

const HOURS = 200;
const PAUSE_MS = 2000;
/** The hours are counted back from half an hour ago (so the cutoff, now less 168 hours, falls mid-hour however long the test takes). */
const BASE = new Date(Date.now() - 30 * 60_000);

let testDb: TTestDb;
const sinks: TSink[] = [];

beforeAll(async () => {
  testDb = await createTestDb();
});
afterAll(async () => {
  await Promise.all(sinks.map((sink) => sink.close()));
  await testDb?.drop();
});

/** A destination paused for PAUSE_MS once an hour for HOURS hours before BASE. */
async function pausedEveryHour(): Promise<{ destinationId: string; sourceId: string }> {
  const sink = await startSink();
  sinks.push(sink);
  const world = await createSourceWithSinks(testDb, [sink]);
  const destinationId = world.destinationIds[0];
  await testDb.db.$executeRawUnsafe(
    `INSERT INTO destination_held_spans (destination_id, started_at, ended_at, held_before_ms, reason)
     SELECT $1::uuid, s, s + make_interval(secs => $3::float8 / 1000), ($2::int - h) * $3::float8, 'HTTP 429 with Retry-After: 2 s'
       FROM generate_series(1, $2::int) AS h, LATERAL (SELECT $4::timestamptz - make_interval(hours => h) AS s) x`,
    destinationId,
    HOURS,
    PAUSE_MS,
    BASE,
  );
  return { destinationId, sourceId: world.sourceId };
}

/** A job still waiting in the queue, created `hoursAgo` hours before BASE (a held destination keeps jobs past their windows). */
async function queueJob(destinationId: string, sourceId: string, hoursAgo: number): Promise<void> {
  await testDb.db.$executeRawUnsafe(
    `INSERT INTO job_queue (job_id, job_created_at, destination_id, source_id, run_at) VALUES ($1::uuid, $5::timestamptz - make_interval(secs => $2::float8 * 3600), $3::uuid, $4::uuid, now())`,
    randomUUID(),
    hoursAgo,
    destinationId,
    sourceId,
    BASE,
  );
}

/** What the claim credits each queued job of the destination (claim-jobs.ts uses these very expressions). */
async function credits(destinationId: string): Promise<Record<string, number>> {
  const rows = await testDb.db.$queryRawUnsafe<Array<{ job_id: string; credit: number }>>(
    `SELECT q.job_id::text, (${heldCreditMsSql({ heldNowMs: heldMsAtSql('q.destination_id', 'now()'), destinationId: 'q.destination_id', createdAt: 'q.job_created_at' })})::float8 AS credit
       FROM job_queue q WHERE q.destination_id = $1::uuid`,
    destinationId,
  );
  return Object.fromEntries(rows.map((row) => [row.job_id, row.credit]));
}

/** What the trace shows for a job that ended: the credit between its creation and its end, `fromHours` and `toHours` before BASE (null: no longer known). */
async function endedCredit(destinationId: string, fromHours: number, toHours: number): Promise<number | null> {
  const [row] = await testDb.db.$queryRawUnsafe<Array<{ credit: number | null }>>(
    `SELECT (${heldCreditBetweenSql({ destinationId: '$1::uuid', from: '($2::timestamptz - make_interval(secs => $3::float8 * 3600))', to: '($2::timestamptz - make_interval(secs => $4::float8 * 3600))' })})::float8 AS credit`,
    destinationId,
    BASE,
    fromHours,
    toHours,
  );
  return row.credit;
}

const spansOf = (destinationId: string) =>
  testDb.db.$queryRawUnsafe<Array<{ hours_ago: number }>>(
    `SELECT round(extract(epoch FROM $2::timestamptz - started_at) / 3600)::int AS hours_ago FROM destination_held_spans WHERE destination_id = $1::uuid ORDER BY started_at`,
    destinationId,
    BASE,
  );

it('drops the spans no job can still need and leaves every queued job the credit it had', { timeout: 60_000 }, async () => {
  const keptHours = MAX_RETRY_WINDOW_SECONDS / 3600; // 168
  // One destination keeps jobs from 190.5 hours back (held past their windows), one has none left.
  const withOld = await pausedEveryHour();
  const drained = await pausedEveryHour();
  for (const hoursAgo of [190.5, 150.2, 40, 0.5]) await queueJob(withOld.destinationId, withOld.sourceId, hoursAgo);
  const before = await credits(withOld.destinationId);
  // Jobs that ended: one created 100.5 hours back that ended 90.5 back (10 pauses), one 195.5 → 185.5 back.
  expect(await endedCredit(drained.destinationId, 100.5, 90.5)).toBe(10 * PAUSE_MS);
  expect(await endedCredit(drained.destinationId, 195.5, 185.5)).toBe(10 * PAUSE_MS);
  // The job from 190.5 hours ago was created after 190 pauses, so 10 later ones are its credit.
  expect(Object.values(before).sort((a, b) => a - b)).toEqual([0, 40, 150, 190].map((n) => n * PAUSE_MS));

  const dropped = await pruneHeldSpans(testDb.db, { keepSeconds: MAX_RETRY_WINDOW_SECONDS });
  expect(await credits(withOld.destinationId)).toEqual(before);

  // withOld: the span its oldest job's credit is read from (191 hours back, the latest at
  // or before 190.5) and every later one stay; drained: the latest span started at or before
  // now less 168 hours (168 back from BASE, i.e. 168.5 from now) and every later one. The rest is gone.
  const keptWithOld = await spansOf(withOld.destinationId);
  const keptDrained = await spansOf(drained.destinationId);
  expect(keptWithOld.map((s) => s.hours_ago)).toEqual(Array.from({ length: 191 }, (_, i) => 191 - i));
  expect(keptDrained.map((s) => s.hours_ago)).toEqual(Array.from({ length: keptHours }, (_, i) => keptHours - i));
  expect(dropped).toBe(HOURS - 191 + (HOURS - keptHours));
  // The trace still knows what a job of the last 7 days was credited; of an older one, that it no longer knows.
  expect(await endedCredit(drained.destinationId, 100.5, 90.5)).toBe(10 * PAUSE_MS);
  expect(await endedCredit(drained.destinationId, 195.5, 185.5)).toBeNull();

  // Running again drops nothing more.
  expect(await pruneHeldSpans(testDb.db, { keepSeconds: MAX_RETRY_WINDOW_SECONDS })).toBe(0);
});
