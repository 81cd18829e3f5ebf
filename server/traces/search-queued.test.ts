/**
 * The overview's "pending" and "retrying" steps open the search on a destination's queue.
 * With a backlog, a page must cost a page of queue rows, not a sort of the whole backlog:
 * pending jobs come newest first straight off the (destination_id, run_at) index (a pending
 * row's run_at is its job's creation), retrying ones by their next attempt, latest first
 * (scheduled retries are in the future: the first page is not bounded by `to`).
 * No worker runs here: what ingest queued stays queued; a few jobs are moved into
 * "retrying" exactly as the worker records a failed attempt.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '../db/test-db.ts';
import { startSink, type TSink } from '../delivery/test-sink.ts';
import { createSourceWithSinks, sendEvents } from '../delivery/test-world.ts';
import { startIngestTestServer, type TIngestTestServer } from '../ingest/test-server.ts';
import { searchEvents } from './search.ts';
import { PENDING_CANDIDATES, RETRYING_CANDIDATES } from './sql/search-by-state.ts';

const QUEUED = 3000;
const RETRYING = 25;
const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

let testDb: TTestDb;
let server: TIngestTestServer;
let sink: TSink;
let client: pg.Client;
let workspaceId: string;
let destinationId: string;
/** Event ids of the retrying jobs, by next attempt, latest first. */
let retryingByNextAttempt: string[];

beforeAll(async () => {
  testDb = await createTestDb();
  server = await startIngestTestServer({ databaseUrl: testDb.url });
  sink = await startSink();
  const world = await createSourceWithSinks(testDb, [sink]);
  workspaceId = world.workspaceId;
  destinationId = world.destinationIds[0];
  await sendEvents(server, world.writeKey, QUEUED, 'backlog');
  client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  // The oldest jobs failed once and wait for a retry; the older the job, the later its next
  // attempt (so creation order and next-attempt order disagree), some of them overdue.
  const { rows } = await client.query<{ event_id: string }>(`
    WITH picked AS (
      SELECT q.job_id, q.job_created_at, q.destination_id, q.source_id, row_number() OVER (ORDER BY q.job_created_at, q.job_id) AS n
        FROM job_queue q WHERE q.destination_id = $1 ORDER BY q.job_created_at, q.job_id LIMIT $2
    ),
    logged AS (
      INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code, retry_at)
      SELECT job_id, job_created_at, destination_id, source_id, 1, 'awaiting_retry', now(), 503, now() + (($2 - n - 5) * interval '1 minute') FROM picked
    ),
    moved AS (
      UPDATE job_queue q SET attempt = 1, run_at = now() + (($2 - p.n - 5) * interval '1 minute') FROM picked p WHERE q.job_id = p.job_id
    )
    SELECT j.event_id FROM picked p JOIN jobs j ON j.created_at = p.job_created_at AND j.id = p.job_id ORDER BY p.n`, [destinationId, RETRYING]);
  retryingByNextAttempt = rows.map((row) => row.event_id);
  await client.query('ANALYZE job_queue');
}, 120_000);

afterAll(async () => {
  await client?.end();
  await sink?.close();
  await server?.close();
  await testDb?.drop();
});

async function pageThrough(state: 'pending' | 'retrying', limit: number, pages: number): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < pages; page++) {
    const result = await searchEvents({ db: testDb.db, workspaceId, input: { destinationId, state, limit, cursor } });
    seen.push(...result.data.map((row) => row.id));
    for (const row of result.data) expect(row.deliveries.find((d) => d.destinationId === destinationId)?.state).toBe(state);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return seen;
}

/** Queue rows a statement's plan read (returned or filtered out), from EXPLAIN ANALYZE. */
async function queueRowsRead(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
  let read = 0;
  const walk = (node: Record<string, unknown>) => {
    if (node['Relation Name'] === 'job_queue') read += Number(node['Actual Rows']) * Number(node['Actual Loops']) + Number(node['Rows Removed by Filter'] ?? 0);
    for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) walk(child);
  };
  walk(rows[0]['QUERY PLAN'][0].Plan);
  return read;
}

describe('the queued steps of the overview', () => {
  it('lists pending jobs newest first, a page at a time, without repeats', async () => {
    const { rows } = await client.query<{ event_id: string }>(`
      SELECT j.event_id FROM job_queue q JOIN jobs j ON j.created_at = q.job_created_at AND j.id = q.job_id
       WHERE q.destination_id = $1 AND q.attempt = 0 ORDER BY q.job_created_at DESC, q.job_id DESC LIMIT 120`, [destinationId]);
    const seen = await pageThrough('pending', 40, 3);
    expect(seen).toEqual(rows.map((row) => row.event_id));
  });

  it('lists retrying jobs by their next attempt, latest first, scheduled ones included, without repeats', async () => {
    const seen = await pageThrough('retrying', 10, 10);
    expect(seen).toEqual(retryingByNextAttempt);
  });

  it('reads a page of the queue, not the destination backlog', async () => {
    const from = new Date(Date.now() - 86_400_000);
    // A page, plus the rows that share its last time (the id breaks ties in a sort of those
    // only): the 100 events of one ingest batch share their receivedAt. The backlog is 3000.
    const BATCH = 100;
    expect(await queueRowsRead(PENDING_CANDIDATES, [destinationId, from, new Date(), MAX_UUID, 41])).toBeLessThanOrEqual(41 + BATCH);
    expect(await queueRowsRead(RETRYING_CANDIDATES, [destinationId, from, new Date(), null, MAX_UUID, 11])).toBeLessThanOrEqual(11 + BATCH);
  });
});
