/**
 * Ingest benchmark: ~1 KB events, 100 per /v1/batch, 2 destinations each, everything on
 * this machine (Postgres with synchronous commit, the server, the load generator).
 * Prints `figure <name> <value> <unit>` lines.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { copyBaseline } from './lib/copy-baseline.ts';
import { postgresCpuSeconds, postmasterPid, processCpuSeconds } from './lib/cpu.ts';
import { batchBody, EVENT_BYTES } from './lib/events.ts';
import { createGovernedSource, GOVERNED_FILTERS } from './lib/governed.ts';
import { measurePipelineCpu } from './lib/pipeline-cpu.ts';
import { closedLoop, openLoop, percentile } from './lib/load.ts';
import { printPgStats, resetPgStats } from './lib/pg-stats.ts';
import { startWebProcess } from './lib/processes.ts';
import { setupBenchDatabase } from './lib/setup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
/** Events in each COPY baseline (BENCH_COPY_EVENTS; fewer make A/B runs on a loaded machine shorter). */
const COPY_EVENTS = Number(process.env.BENCH_COPY_EVENTS ?? 200_000);
/** BENCH_GOVERNED=0 leaves out the governed phases (shorter runs when only the plain figures are compared). */
const GOVERNED = process.env.BENCH_GOVERNED !== '0';
/** BENCH_GOVERNED_ONLY=1 stops after the A B B A phases (repeated runs of the governed ratio on a busy machine). */
const GOVERNED_ONLY = GOVERNED && process.env.BENCH_GOVERNED_ONLY === '1';
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');

function figure(name: string, value: number, unit: string) {
  console.log(`figure ${name} ${Number.isFinite(value) ? Math.round(value * 100) / 100 : 'NaN'} ${unit}`);
}

/** Events stored so far and the WAL position (bytes), read together. */
async function countEvents(url: string): Promise<{ events: number; walBytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ n: string; wal: string }>("SELECT count(*) AS n, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') AS wal FROM events");
  await client.end();
  return { events: Number(rows[0].n), walBytes: Number(rows[0].wal) };
}

/** Events of the governed source its plan blocked: must be none, or the phase would price fewer jobs. */
async function countBlocked(url: string, sourceId: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM events WHERE source_id = $1 AND pipeline->>'droppedBy' = 'trackingPlan'", [sourceId]);
  await client.end();
  return Number(rows[0].n);
}

export async function benchIngest(): Promise<void> {
  const database = await setupBenchDatabase();
  const web = await startWebProcess(database.url);
  const url = web.url;
  const postmaster = await postmasterPid(database.url);
  try {
    console.error(`ingest bench: ${web.isFull ? 'full web process (Next.js + tracking API)' : 'tracking API server without Next.js'}, event ${EVENT_BYTES} B, 100/batch, ${SECONDS}s per phase`);
    const headers = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${database.fixture.writeKey}:`).toString('base64')}` };
    const request = () => ({ path: '/v1/batch', body: batchBody(100), headers });

    // Governed: the same load to a source with a 200-event tracking plan whose 2
    // destinations have 5 filters each (bench/lib/governed.ts). The phases run A B B A, so
    // that a growing table, checkpoints after a phase or a neighbour's load do not favour one.
    const governed = await createGovernedSource(database.url);
    const governedHeaders = { ...headers, authorization: `Basic ${Buffer.from(`${governed.writeKey}:`).toString('base64')}` };
    const governedRequest = () => ({ path: '/v1/batch', body: batchBody(100), headers: governedHeaders });
    await closedLoop({ url, concurrency: CONCURRENCY, seconds: 3, request });
    if (GOVERNED) await closedLoop({ url, concurrency: CONCURRENCY, seconds: 3, request: governedRequest });
    // What each plain phase cost: WAL written and CPU of the web process and of Postgres, per stored event.
    const plainCost = { events: 0, walBytes: 0, webCpu: 0, postgresCpu: 0 };
    const governedCost = { events: 0, walBytes: 0, webCpu: 0, postgresCpu: 0 };
    const phase = async (label: string, make: typeof request) => {
      const before = await countEvents(database.url);
      const cpuBefore = { web: processCpuSeconds(web.pid), postgres: postgresCpuSeconds(postmaster) };
      const run = await closedLoop({ url, concurrency: CONCURRENCY, seconds: SECONDS, request: make });
      const after = await countEvents(database.url);
      const stored = after.events - before.events;
      const wal = after.walBytes - before.walBytes;
      const webCpu = processCpuSeconds(web.pid) - cpuBefore.web;
      const postgresCpu = postgresCpuSeconds(postmaster) - cpuBefore.postgres;
      const cost = make === request ? plainCost : governedCost;
      cost.events += stored;
      cost.walBytes += wal;
      cost.webCpu += webCpu;
      cost.postgresCpu += postgresCpu;
      console.error(`  ${label}: ${run.requests} requests, statuses ${JSON.stringify(run.statuses)}, ${stored} events stored, ${(stored / SECONDS).toFixed(0)} events/s, p99 ${percentile(run.latenciesMs, 99).toFixed(1)} ms; per event: WAL ${(wal / stored).toFixed(0)} B, CPU web ${((webCpu * 1e6) / stored).toFixed(0)} µs, Postgres ${((postgresCpu * 1e6) / stored).toFixed(0)} µs; load ${loadavg()}`);
      return stored / SECONDS;
    };
    await resetPgStats(database.url);
    const plainRates: number[] = [];
    const governedRates: number[] = [];
    const governedLabel = `max, governed (plan of ${governed.planEvents} events, ${GOVERNED_FILTERS.length} filters × ${governed.destinations.length} destinations)`;
    plainRates.push(await phase('max, plain', request));
    if (GOVERNED) {
      governedRates.push(await phase(governedLabel, governedRequest));
      governedRates.push(await phase(governedLabel, governedRequest));
    }
    plainRates.push(await phase('max, plain', request));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const eventsPerSecond = mean(plainRates);
    const governedPerSecond = mean(governedRates);
    function printGoverned() {
      figure('ingest.events_per_s', eventsPerSecond, 'events/s');
      figure('ingest.governed_events_per_s', governedPerSecond, 'events/s');
      figure('ingest.governed_ratio', governedPerSecond / eventsPerSecond, 'ratio');
      // Per stored event, plain vs governed phases: less at the mercy of the neighbours than the rates.
      figure('ingest.governed_web_cpu_ratio', governedCost.webCpu / governedCost.events / (plainCost.webCpu / plainCost.events), 'ratio');
      figure('ingest.governed_wal_bytes_ratio', governedCost.walBytes / governedCost.events / (plainCost.walBytes / plainCost.events), 'ratio');
      const cpu = measurePipelineCpu();
      figure('ingest.parse_normalize_cpu_us', cpu.normalizeUs, 'µs/event');
      figure('ingest.pipeline_cpu_us', cpu.plainUs, 'µs/event');
      figure('ingest.governed_pipeline_cpu_us', cpu.governedUs, 'µs/event');
    }

    if (GOVERNED) {
      const blocked = await countBlocked(database.url, governed.sourceId);
      if (blocked > 0) throw new Error(`the governed source's plan blocked ${blocked} bench events; the figure would price fewer jobs, not the rules`);
    }
    if (GOVERNED_ONLY) {
      printGoverned();
      return;
    }

    const rate = Math.max(1, (0.8 * eventsPerSecond) / 100);
    const constant = await openLoop({ url, ratePerSecond: rate, seconds: SECONDS, request });
    console.error(`  80%: ${rate.toFixed(1)} req/s, statuses ${JSON.stringify(constant.statuses)}, p50 ${percentile(constant.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(constant.latenciesMs, 99).toFixed(1)} ms; load ${loadavg()}`);

    await printPgStats(database.url, { log: (line) => console.error(line) });
    const copy = await copyBaseline({ databaseUrl: database.url, workspaceId: database.fixture.workspaceId, sourceId: database.fixture.sourceId, destinationIds: database.fixture.destinations.map((d) => d.id), events: COPY_EVENTS, cpuSeconds: () => postgresCpuSeconds(postmaster) });

    if (GOVERNED) printGoverned();
    else figure('ingest.events_per_s', eventsPerSecond, 'events/s');
    figure('ingest.jobs_per_s', eventsPerSecond * database.fixture.destinations.length, 'jobs/s');
    figure('ingest.p99_ms', percentile(constant.latenciesMs, 99), 'ms');
    figure('ingest.p50_ms', percentile(constant.latenciesMs, 50), 'ms');
    figure('ingest.copy_events_per_s', copy.eventsPerSecond, 'events/s');
    figure('ingest.vs_copy_ratio', eventsPerSecond / copy.eventsPerSecond, 'ratio');
    figure('ingest.event_copy_events_per_s', copy.eventOnlyPerSecond, 'events/s');
    figure('ingest.vs_event_copy_ratio', eventsPerSecond / copy.eventOnlyPerSecond, 'ratio');
    figure('ingest.wal_bytes_per_event', plainCost.walBytes / plainCost.events, 'B');
    figure('ingest.web_cpu_us_per_event', (plainCost.webCpu * 1e6) / plainCost.events, 'µs');
    figure('ingest.postgres_cpu_us_per_event', (plainCost.postgresCpu * 1e6) / plainCost.events, 'µs');
    figure('ingest.copy_postgres_cpu_us_per_event', copy.cpuUsPerEvent, 'µs');
    figure('ingest.event_copy_postgres_cpu_us_per_event', copy.eventOnlyCpuUsPerEvent, 'µs');
    figure('ingest.web_peak_rss_mb', web.peakRssMb(), 'MB');
  } finally {
    await web.stop();
    await database.close();
  }
}
