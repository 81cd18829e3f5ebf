/**
 * Delivery benchmark (`npm run bench -- delivery`), all on this machine: a fresh durable
 * Postgres, a loopback sink in its own process answering 200, one delivery engine in this
 * process configured like the worker. Prints `figure <name> <value> <unit>` lines:
 *  - delivery.per_s: deliveries/s draining a backlog (BENCH_DELIVERY_JOBS, default 100,000
 *    jobs; 2 destinations), counted from recorded transitions, one per job;
 *  - delivery.p99_claim_to_recorded_ms (and p50) at half that rate fed continuously: from
 *    the commit that made a job claimable to the commit that recorded its delivery;
 *  - delivery.amplitude_per_s: the same drain (half as many jobs) to an Amplitude
 *    destination, through its request mapping and answer reading, against a loopback sink
 *    answering Amplitude's success body (BENCH_AMPLITUDE=0 skips);
 *  - delivery.rate_limited_partner_efficiency, delivery.flaky_partner_delivered_s: delivery
 *    to simulated struggling partners (bench/lib/partners.ts; BENCH_PARTNERS=0 skips them,
 *    BENCH_PARTNERS=only runs nothing else);
 *  - delivery.vs_graphile-worker_ratio, delivery.vs_pg-boss_ratio: our per_s over theirs
 *    doing the same work on the same Postgres (BENCH_VS_JOBS jobs each; BENCH_VS=0 skips).
 * See bench/README.md for the definitions and the latest figures.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { cpuNow, describeCpu, postmasterPid } from './lib/cpu.ts';
import { fillBacklog, feedAtRate } from './lib/backlog.ts';
import { pointDestinationsAt, recordedLatency, startBenchEngine } from './lib/engine-run.ts';
import { figure, measureDrain, note, openCounter, sampleRss, sleep } from './lib/measure.ts';
import { benchPartners } from './lib/partners.ts';
import { setupBenchDatabase } from './lib/setup.ts';
import { startBenchSink } from './lib/sink.ts';
import { benchGraphileWorker } from './lib/vs-graphile-worker.ts';
import { benchPgBoss } from './lib/vs-pg-boss.ts';
import { createDb } from '../server/db/client.ts';
import { printPgStats, resetPgStats } from './lib/pg-stats.ts';
import { createDestination } from '../server/destinations/destinations.ts';

const JOBS = Number(process.env.BENCH_DELIVERY_JOBS ?? 100_000);
const VS_JOBS = Number(process.env.BENCH_VS_JOBS ?? 40_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const MAX_IN_FLIGHT = Number(process.env.BENCH_MAX_IN_FLIGHT ?? 1000);

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim();

async function scalar(databaseUrl: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

export async function benchDelivery(): Promise<void> {
  const database = await setupBenchDatabase({ flags: ['-c', 'track_commit_timestamp=on'] });
  const sink = await startBenchSink();
  const url = database.url;
  const target = { databaseUrl: url, workspaceId: database.fixture.workspaceId, sourceId: database.fixture.sourceId, destinationIds: database.fixture.destinations.map((d) => d.id) };
  const cleanups: Array<() => Promise<void>> = [];
  try {
    note(`delivery bench: load average before: ${loadavg()}`);
    if (process.env.BENCH_PARTNERS === 'only') return await benchPartners(target);
    await pointDestinationsAt({ databaseUrl: url, destinationIds: target.destinationIds, url: sink.url, delivery: { maxInFlight: MAX_IN_FLIGHT, timeoutMs: 10_000 } });
    const jobs = await fillBacklog({ ...target, events: JOBS / target.destinationIds.length });
    note(`  backlog: ${jobs} jobs (${JOBS / target.destinationIds.length} events x ${target.destinationIds.length} destinations, maxInFlight ${MAX_IN_FLIGHT} each)`);

    const postmaster = await postmasterPid(url);
    const cpu = () => cpuNow({ sinkPid: sink.pid, postmaster });
    // Outcomes recorded so far, from the per-minute rollups the record statement adds to in
    // the same transaction as the transitions: counting the transitions themselves scanned
    // the whole growing table ten times a second, Postgres CPU charged to every delivery
    // (~5 µs each, more as the request records made the rows wider: issue 15's notes).
    const transitions = await openCounter(url, 'SELECT COALESCE(sum(count), 0) AS n FROM delivery_rollups');
    const rss = sampleRss();
    await resetPgStats(url);
    const { engine, stop } = await startBenchEngine(url);
    cleanups.push(stop, transitions.close);
    const drain = await measureDrain({ count: transitions.count, total: jobs, label: 'switchyard', cpu });
    await printPgStats(url, { log: note });
    const peakRssMb = rss.stop();
    await sleep(500);
    const succeeded = await scalar(url, "SELECT count(*) AS n FROM job_transitions WHERE state = 'succeeded'");
    const queued = await scalar(url, 'SELECT count(*) AS n FROM job_queue');
    note(`  switchyard: ${drain.perSecond.toFixed(0)} deliveries/s over ${drain.seconds.toFixed(1)} s; ${succeeded} succeeded transitions for ${jobs} jobs, ${queued} left queued; ${describeCpu(drain.cpu!)}; load ${loadavg()}`);
    if (succeeded !== jobs || queued !== 0) throw new Error('the backlog did not end as one succeeded transition per job');

    const rate = drain.perSecond / 2;
    const since = new Date(Date.now() + 2000);
    const phaseEnds = Date.now() + SECONDS * 1000;
    const fed = await feedAtRate({ ...target, jobsPerSecond: rate, until: () => Date.now() >= phaseEnds });
    await waitForEmptyQueue(url);
    const latency = await recordedLatency(url, since);
    note(`  at ${rate.toFixed(0)} jobs/s for ${SECONDS}s: ${fed} fed, ${latency.jobs} measured; p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms; engine ${JSON.stringify(engine.stats.byState)}; load ${loadavg()}`);
    for (const cleanup of cleanups.splice(0)) await cleanup();

    figure('delivery.per_s', drain.perSecond, 'deliveries/s');
    figure('delivery.cpu_us_per_delivery', drain.cpu!.bench + drain.cpu!.postgres + drain.cpu!.sink, 'µs');
    figure('delivery.p99_claim_to_recorded_ms', latency.p99, 'ms');
    figure('delivery.p50_claim_to_recorded_ms', latency.p50, 'ms');
    figure('delivery.worker_peak_rss_mb', peakRssMb, 'MB');
    if (process.env.BENCH_AMPLITUDE !== '0') {
      const amplitude = await drainToAmplitude({ ...target, jobs: JOBS / 2 });
      figure('delivery.amplitude_per_s', amplitude.perSecond, 'deliveries/s');
    }
    if (process.env.BENCH_PARTNERS !== '0') await benchPartners(target);
    if (process.env.BENCH_VS === '0') return;
    const graphile = await benchGraphileWorker({ databaseUrl: url, sinkUrl: sink.url, jobs: VS_JOBS, cpu });
    note(`  graphile-worker: ${graphile.perSecond.toFixed(0)} jobs/s; ${describeCpu(graphile.cpu!)}; load ${loadavg()}`);
    const boss = await benchPgBoss({ databaseUrl: url, sinkUrl: sink.url, jobs: VS_JOBS, cpu });
    note(`  pg-boss: ${boss.perSecond.toFixed(0)} jobs/s; ${describeCpu(boss.cpu!)}; load ${loadavg()}`);
    figure('delivery.graphile-worker_per_s', graphile.perSecond, 'jobs/s');
    figure('delivery.pg-boss_per_s', boss.perSecond, 'jobs/s');
    figure('delivery.vs_graphile-worker_ratio', drain.perSecond / graphile.perSecond, 'ratio');
    figure('delivery.vs_pg-boss_ratio', drain.perSecond / boss.perSecond, 'ratio');
  } finally {
    note(`delivery bench: load average after: ${loadavg()}`);
    for (const cleanup of cleanups) await cleanup();
    await sink.close();
    await database.close();
  }
}

/** A backlog for one Amplitude destination on the fixture's source, drained by a fresh engine into a sink answering as Amplitude does. */
async function drainToAmplitude({ databaseUrl, workspaceId, sourceId, jobs }: { databaseUrl: string; workspaceId: string; sourceId: string; jobs: number }) {
  const sink = await startBenchSink({ body: JSON.stringify({ code: 200, events_ingested: 1, payload_size_bytes: 1100, server_upload_time: 1796040000000 }) });
  const db = createDb(databaseUrl, { max: 1 });
  try {
    const { destination } = await createDestination({
      db,
      workspaceId,
      actor: { type: 'system', id: null, label: 'bench', role: 'admin', ip: null },
      input: { sourceId, type: 'amplitude', name: 'Amplitude', settings: { apiKey: 'bench-amplitude-key-0000', endpoint: new URL(sink.url).origin }, delivery: { maxInFlight: MAX_IN_FLIGHT, timeoutMs: 10_000 } },
      // The sink listens on loopback: allowed here as an operator would with SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS.
      allowPrivate: '*',
    });
    const filled = await fillBacklog({ databaseUrl, workspaceId, sourceId, destinationIds: [destination.id], events: jobs });
    const counter = await openCounter(databaseUrl, `SELECT COALESCE(sum(count), 0) AS n FROM delivery_rollups WHERE destination_id = '${destination.id}'`);
    const { stop } = await startBenchEngine(databaseUrl);
    try {
      const drain = await measureDrain({ count: counter.count, total: filled, label: 'amplitude' });
      const succeeded = await scalar(databaseUrl, `SELECT count(*) AS n FROM job_transitions WHERE destination_id = '${destination.id}' AND state = 'succeeded'`);
      note(`  amplitude: ${drain.perSecond.toFixed(0)} deliveries/s over ${drain.seconds.toFixed(1)} s; ${succeeded} succeeded of ${filled}; load ${loadavg()}`);
      if (succeeded !== filled) throw new Error('the Amplitude backlog did not end as one succeeded transition per job');
      return drain;
    } finally {
      await stop();
      await counter.close();
    }
  } finally {
    await db.$disconnect();
    await sink.close();
  }
}

async function waitForEmptyQueue(url: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await scalar(url, 'SELECT count(*) AS n FROM job_queue')) > 0) {
    if (Date.now() > end) throw new Error('the queue did not drain');
    await sleep(200);
  }
}
