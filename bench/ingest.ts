/**
 * Ingest benchmark: ~1 KB events, 100 per /v1/batch, 2 destinations each, everything on
 * this machine (Postgres with synchronous commit, the server, the load generator).
 * Prints `figure <name> <value> <unit>` lines.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../server/db/embedded.ts';
import { copyBaseline } from './lib/copy-baseline.ts';
import { batchBody, EVENT_BYTES } from './lib/events.ts';
import { createGovernedSource, GOVERNED_FILTERS } from './lib/governed.ts';
import { closedLoop, openLoop, percentile } from './lib/load.ts';
import { BENCH_ENCRYPTION_KEYS, ROOT, setupBenchDatabase } from './lib/setup.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function figure(name: string, value: number, unit: string) {
  console.log(`figure ${name} ${Number.isFinite(value) ? Math.round(value * 100) / 100 : 'NaN'} ${unit}`);
}

async function waitFor(url: string, ms = 120_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`server at ${url} did not come up`);
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function countEvents(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM events');
  await client.end();
  return Number(rows[0].n);
}

export async function benchIngest(): Promise<void> {
  const database = await setupBenchDatabase();
  const port = await freePort();
  const isFull = existsSync(path.join(ROOT, '.next/BUILD_ID')) && process.env.BENCH_LEAN !== '1';
  const entry = isFull ? 'server/web/main.ts' : 'bench/ingest-server.ts';
  // `node --import tsx`, not the tsx CLI (which would be a wrapper process around the server and hide its RSS).
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), NODE_ENV: 'production', SWITCHYARD_SUPERVISED: '0', NEXTAUTH_SECRET: 'bench', SWITCHYARD_ENCRYPTION_KEYS: BENCH_ENCRYPTION_KEYS },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/v1/m`);
    console.error(`ingest bench: ${isFull ? 'full web process (Next.js + tracking API)' : 'tracking API server without Next.js'}, event ${EVENT_BYTES} B, 100/batch, ${SECONDS}s per phase`);
    const headers = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${database.fixture.writeKey}:`).toString('base64')}` };
    const request = () => ({ path: '/v1/batch', body: batchBody(100), headers });

    // Governed: the same load to a source whose 2 destinations have 5 filters each
    // (bench/lib/governed.ts). The phases run A B B A, so that a growing table, checkpoints
    // after a phase or a neighbour's load do not favour one of them.
    const governed = await createGovernedSource(database.url);
    const governedHeaders = { ...headers, authorization: `Basic ${Buffer.from(`${governed.writeKey}:`).toString('base64')}` };
    const governedRequest = () => ({ path: '/v1/batch', body: batchBody(100), headers: governedHeaders });
    await closedLoop({ url, concurrency: CONCURRENCY, seconds: 3, request });
    await closedLoop({ url, concurrency: CONCURRENCY, seconds: 3, request: governedRequest });
    const phase = async (label: string, make: typeof request) => {
      const before = await countEvents(database.url);
      const run = await closedLoop({ url, concurrency: CONCURRENCY, seconds: SECONDS, request: make });
      const stored = (await countEvents(database.url)) - before;
      console.error(`  ${label}: ${run.requests} requests, statuses ${JSON.stringify(run.statuses)}, ${stored} events stored, ${(stored / SECONDS).toFixed(0)} events/s, p99 ${percentile(run.latenciesMs, 99).toFixed(1)} ms`);
      return stored / SECONDS;
    };
    const plainRates: number[] = [];
    const governedRates: number[] = [];
    const governedLabel = `max, governed (${GOVERNED_FILTERS.length} filters × ${governed.destinations.length} destinations)`;
    plainRates.push(await phase('max, plain', request));
    governedRates.push(await phase(governedLabel, governedRequest));
    governedRates.push(await phase(governedLabel, governedRequest));
    plainRates.push(await phase('max, plain', request));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const eventsPerSecond = mean(plainRates);
    const governedPerSecond = mean(governedRates);

    const rate = Math.max(1, (0.8 * eventsPerSecond) / 100);
    const constant = await openLoop({ url, ratePerSecond: rate, seconds: SECONDS, request });
    console.error(`  80%: ${rate.toFixed(1)} req/s, statuses ${JSON.stringify(constant.statuses)}, p50 ${percentile(constant.latenciesMs, 50).toFixed(1)} ms`);

    const copy = await copyBaseline({ databaseUrl: database.url, workspaceId: database.fixture.workspaceId, sourceId: database.fixture.sourceId, destinationIds: database.fixture.destinations.map((d) => d.id), events: 200_000 });

    figure('ingest.events_per_s', eventsPerSecond, 'events/s');
    figure('ingest.governed_events_per_s', governedPerSecond, 'events/s');
    figure('ingest.governed_ratio', governedPerSecond / eventsPerSecond, 'ratio');
    figure('ingest.jobs_per_s', eventsPerSecond * database.fixture.destinations.length, 'jobs/s');
    figure('ingest.p99_ms', percentile(constant.latenciesMs, 99), 'ms');
    figure('ingest.p50_ms', percentile(constant.latenciesMs, 50), 'ms');
    figure('ingest.copy_events_per_s', copy.eventsPerSecond, 'events/s');
    figure('ingest.vs_copy_ratio', eventsPerSecond / copy.eventsPerSecond, 'ratio');
    figure('ingest.web_peak_rss_mb', peakRssMb(child.pid!), 'MB');
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await database.close();
  }
}
