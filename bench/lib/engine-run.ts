/**
 * Switchyard's delivery engine for the benchmarks: the bench fixture's two webhook
 * destinations pointed at the loopback sink, and one in-process DeliveryEngine configured
 * as the worker process configures it (server/delivery/main.ts). Also the latency query.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { DeliveryEngine } from '../../server/delivery/engine.ts';
import { note } from './measure.ts';

export async function pointDestinationsAt({ databaseUrl, destinationIds, url, delivery }: { databaseUrl: string; destinationIds: string[]; url: string; delivery: Record<string, number> }): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // updated_at moves as an edit in the product moves it: a worker already running (the soak starts it first) holds a
    // destination whose settings could not work (the fixture's URL) until its settings change.
    await client.query(`UPDATE destinations SET settings = jsonb_set(settings, '{url}', to_jsonb($1::text)), delivery = $2::jsonb, updated_at = now() WHERE id = ANY($3::uuid[])`, [url, JSON.stringify(delivery), destinationIds]);
  } finally {
    await client.end();
  }
}

export async function startBenchEngine(databaseUrl: string): Promise<{ engine: DeliveryEngine; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sy-bench-'));
  let logged = 0;
  const engine = new DeliveryEngine({
    databaseUrl,
    workerId: `bench-${process.pid}`,
    dataDir,
    allowPrivate: '*',
    drainMs: 5_000,
    // The worker process uses the engine's default (200); BENCH_CLAIM_BATCH explores others.
    claimBatch: process.env.BENCH_CLAIM_BATCH ? Number(process.env.BENCH_CLAIM_BATCH) : undefined,
    log: (line) => {
      if (logged++ < 20) note(`  engine: ${line}`);
    },
  });
  engine.start();
  return {
    engine,
    stop: async () => {
      await engine.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Latency of each job created after `since`: from the commit that made it claimable (its
 * jobs row) to the commit that recorded its `succeeded` transition, both read with
 * pg_xact_commit_timestamp (the server runs with track_commit_timestamp=on). With
 * `firstAttemptOnly`, only jobs whose first attempt succeeded (no retry backoff inside).
 * `sampleOneIn`: only jobs whose id hashes to 0 modulo it (the soak's per-minute figure).
 * Each job's transition is fetched by its key (a LATERAL … LIMIT 1 on the transitions'
 * primary key), so the cost is one index lookup per job measured, whatever the size of the
 * tables: the soak used to ANALYZE jobs and job_transitions and hash-join them every minute,
 * seconds of CPU on the same 2 cores by minute 5, and growing (bench/README.md).
 */
export async function recordedLatency(databaseUrl: string, since: Date, { firstAttemptOnly = false, sampleOneIn = 1 } = {}): Promise<{ jobs: number; p50: number; p99: number; max: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ jobs: string; p50: number; p99: number; max: number }>(
      `WITH l AS (
         SELECT extract(epoch FROM pg_xact_commit_timestamp(t.x) - pg_xact_commit_timestamp(j.xmin)) * 1000 AS ms
           FROM jobs j
           CROSS JOIN LATERAL (
             SELECT t.xmin AS x FROM job_transitions t
              WHERE t.job_id = j.id AND t.job_created_at = j.created_at AND t.state = 'succeeded' AND (NOT $2 OR t.attempt = 1)
              LIMIT 1
           ) t
          WHERE j.created_at >= $1 AND ($3::int = 1 OR abs(hashtext(j.id::text)) % $3::int = 0))
       SELECT count(*) AS jobs, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms)::float8 AS max FROM l`,
      [since, firstAttemptOnly, sampleOneIn],
    );
    await client.query('COMMIT');
    return { jobs: Number(rows[0].jobs), p50: rows[0].p50, p99: rows[0].p99, max: rows[0].max };
  } finally {
    await client.end();
  }
}
