/**
 * End-to-end benchmark (`npm run bench -- e2e`): the web process (tracking API) and the
 * worker process, both as `npm start` runs them, on a fresh durable Postgres, the bench's two
 * webhook destinations pointed at a loopback sink in its own process. An open-loop load of
 * ~1 KB events, 100 per /v1/batch, at BENCH_E2E_EVENTS_PER_S (default 10,000: half the
 * issue's ingest target) for BENCH_SECONDS (default 20) after 3 s of warm-up. Prints:
 *  - e2e.p99_ms / e2e.p50_ms / e2e.max_ms: per (event, destination), from the moment the load
 *    generator had read the 200 of the /v1/batch that carried the event to the moment the
 *    worker had the first attempt's response (the `at` it records on the attempt-1 transition;
 *    same machine, same clock, millisecond precision);
 *  - e2e.ingest_p99_ms: the /v1/batch latency under the same load (from the scheduled start);
 *  - e2e.web_peak_rss_mb, e2e.worker_peak_rss_mb: peak resident memory of each process.
 * Every accepted event must reach both destinations; the run fails if one is missing.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { pointDestinationsAt } from './lib/engine-run.ts';
import { EVENT_BYTES, numberedBatchBody } from './lib/events.ts';
import { openLoop, percentile } from './lib/load.ts';
import { figure, note, sleep } from './lib/measure.ts';
import { startWebProcess, startWorkerProcess } from './lib/processes.ts';
import { setupBenchDatabase } from './lib/setup.ts';
import { startBenchSink } from './lib/sink.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const EVENTS_PER_S = Number(process.env.BENCH_E2E_EVENTS_PER_S ?? 10_000);
const BATCH = 100;
const WARM_UP_SECONDS = 3;

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * Latency per job whose event came in one of the measured requests: attempt 1's `at` minus
 * the moment that request's 200 was read ($1: epoch ms per request number, NULL for requests
 * not measured: warm-up, or not answered 200).
 */
const LATENCY = /* sql */ `
WITH acked AS (
  SELECT e.id, e.received_at, ($1::float8[])[split_part(e.message_id, '_', 2)::int + 1] AS acked_ms
    FROM events e
   WHERE e.message_id LIKE 'bench-e2e\\_%'
),
l AS (
  SELECT a.acked_ms, extract(epoch FROM t.at) * 1000 - a.acked_ms AS ms
    FROM acked a
    JOIN jobs j ON j.event_id = a.id AND j.event_received_at = a.received_at
    LEFT JOIN job_transitions t ON t.job_id = j.id AND t.job_created_at = j.created_at AND t.attempt = 1
   WHERE a.acked_ms IS NOT NULL
)
SELECT count(*) AS jobs, count(ms) AS attempted,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms)::float8 AS max
  FROM l`;

export async function benchE2e(): Promise<void> {
  const database = await setupBenchDatabase();
  const sink = await startBenchSink();
  const destinationIds = database.fixture.destinations.map((d) => d.id);
  const stops: Array<() => Promise<void>> = [];
  try {
    await pointDestinationsAt({ databaseUrl: database.url, destinationIds, url: sink.url, delivery: { maxInFlight: 1000, timeoutMs: 10_000 } });
    const web = await startWebProcess(database.url);
    stops.push(web.stop);
    const worker = await startWorkerProcess(database.url);
    stops.push(worker.stop);
    const end = Date.now() + 60_000;
    while ((await withClient(database.url, (c) => c.query<{ n: string }>('SELECT count(*) AS n FROM worker_heartbeats'))).rows[0].n === '0') {
      if (Date.now() > end) throw new Error('the worker did not start');
      await sleep(200);
    }
    note(`e2e bench: ${web.isFull ? 'full web process' : 'tracking API server without Next.js'} + worker process, ${destinationIds.length} destinations, event ${EVENT_BYTES} B, ${BATCH}/batch, ${EVENTS_PER_S} events/s for ${SECONDS}s; load ${loadavg()}`);

    const headers = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${database.fixture.writeKey}:`).toString('base64')}` };
    const ackedMs: Array<number | null> = [];
    let next = 0;
    let measuredFrom = Infinity;
    const request = () => {
      const tag = next++;
      return { path: '/v1/batch', body: numberedBatchBody(tag, BATCH), headers, tag };
    };
    const onResponse = (tag: number | undefined, status: number) => {
      if (tag !== undefined && tag >= measuredFrom && status === 200) ackedMs[tag] = performance.timeOrigin + performance.now();
    };
    const ratePerSecond = EVENTS_PER_S / BATCH;
    await openLoop({ url: web.url, ratePerSecond, seconds: WARM_UP_SECONDS, request, onResponse });
    measuredFrom = next;
    const load = await openLoop({ url: web.url, ratePerSecond, seconds: SECONDS, request, onResponse });
    const measured = next - measuredFrom;
    note(`  load: ${load.requests} requests, statuses ${JSON.stringify(load.statuses)}, /v1/batch p50 ${percentile(load.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(load.latenciesMs, 99).toFixed(1)} ms; load ${loadavg()}`);

    // Wait for the queue to drain (every accepted event's jobs attempted), then read the latencies.
    const drainEnd = Date.now() + 180_000;
    while ((await withClient(database.url, (c) => c.query<{ n: string }>('SELECT count(*) AS n FROM job_queue'))).rows[0].n !== '0') {
      if (Date.now() > drainEnd) throw new Error('the queue did not drain within 3 minutes');
      await sleep(250);
    }
    const webRss = web.peakRssMb();
    const workerRss = worker.peakRssMb();
    const acked = Array.from({ length: next }, (_, i) => ackedMs[i] ?? null);
    const row = await withClient(database.url, async (c) => {
      await c.query('ANALYZE events, jobs, job_transitions');
      await c.query('BEGIN');
      // Hash joins over the run's rows; a nested loop over the transitions never finishes.
      await c.query('SET LOCAL enable_nestloop = off');
      const { rows } = await c.query<{ jobs: string; attempted: string; p50: number; p99: number; max: number }>(LATENCY, [acked]);
      await c.query('COMMIT');
      return rows[0];
    });
    const acceptedEvents = acked.filter((v) => v !== null).length * BATCH;
    note(`  ${measured} measured requests, ${acceptedEvents} events answered 200; ${row.jobs} jobs, ${row.attempted} with a first attempt; e2e p50 ${Number(row.p50).toFixed(1)} ms, p99 ${Number(row.p99).toFixed(1)} ms, max ${Number(row.max).toFixed(1)} ms`);
    if (Number(row.jobs) !== acceptedEvents * destinationIds.length || row.jobs !== row.attempted) throw new Error(`expected ${acceptedEvents * destinationIds.length} jobs, each attempted; found ${row.jobs} jobs, ${row.attempted} attempted`);

    figure('e2e.p99_ms', row.p99, 'ms');
    figure('e2e.p50_ms', row.p50, 'ms');
    figure('e2e.max_ms', row.max, 'ms');
    figure('e2e.ingest_p99_ms', percentile(load.latenciesMs, 99), 'ms');
    figure('e2e.events_per_s_offered', EVENTS_PER_S, 'events/s');
    figure('e2e.web_peak_rss_mb', webRss, 'MB');
    figure('e2e.worker_peak_rss_mb', workerRss, 'MB');
  } finally {
    for (const stop of stops.reverse()) await stop();
    await sink.close();
    await database.close();
  }
}
