/**
 * `npm run bench -- traces`: support's reads on a filled database. BENCH_TRACES_EVENTS events
 * (default 1,000,000; the issue's target is 10 M) over the last 30 days, ~600 B each, written
 * into the real tables by SQL (bench/lib/traces-fill.ts): events with their identity rows, 2
 * jobs per event, 1–3 attempts per job, then the rollups the worker and ingest would have
 * written, computed from those rows. Then, through the real read model (server/traces):
 * search by each identifier kind, the trace, a 30-day chart of one destination and of the
 * workspace, and the 30-day overview; p95 over BENCH_TRACES_RUNS runs.
 * BENCH_DATA_DIR=<dir> keeps the cluster: a later run with the same BENCH_TRACES_EVENTS reads the
 * kept fill instead of loading again, and BENCH_TRACES_PHASE=fill stops after loading, so a
 * 10 M fill (1–2 h) can run in the background and the reads on a quiet machine.
 * BENCH_TRACES_BASELINE=<a checkout> also times that checkout's search on the same data,
 * alternated with this one's (A B B A), for before/after figures under the same load.
 */
import path from 'node:path';
import pg from 'pg';
import { createDb } from '../server/db/client.ts';
import { histogramSql } from '../server/traces/latency-buckets.ts';
import { ensurePartitions } from '../server/events/partitions.ts';
import { deliveryOverview } from '../server/traces/overview.ts';
import { searchEvents } from '../server/traces/search.ts';
import { deliveryStats } from '../server/traces/stats.ts';
import { getTrace } from '../server/traces/trace.ts';
import { figure, note } from './lib/measure.ts';
import { setupBenchDatabase } from './lib/setup.ts';
import { fillTracesData } from './lib/traces-fill.ts';

const DAY = 86_400_000;

interface TSample {
  eventId: string;
  user: string;
  anon: string;
  messageId: string;
  email: string | null;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

async function timed(runs: number, run: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(5, runs); i++) await run(i + runs);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return p95(samples);
}

async function fillAll(client: pg.PoolClient, { workspaceId, sourceId, destinationIds, total, now }: { workspaceId: string; sourceId: string; destinationIds: string[]; total: number; now: number }): Promise<void> {
  for (let day = 31; day >= 0; day--) await ensurePartitions(client, { now: new Date(now - day * DAY), daysAhead: 1 });
  note(`traces bench: generating ${total.toLocaleString('en-US')} events over 30 days in SQL…`);
  const loadStarted = performance.now();
  let reported = 0;
  await fillTracesData(client, {
    workspaceId, sourceId, destinationIds, total, now,
    onProgress: (done) => {
      if (done - reported < 1_000_000 && done !== total) return;
      reported = done;
      note(`  ${done.toLocaleString('en-US')} events loaded (${Math.round((performance.now() - loadStarted) / 1000)} s)`);
    },
  });
  note('  rollups from the loaded attempts and events (what the worker and ingest write as they go)…');
  const histogram = histogramSql('latency_ms');
  for (const [table, unit] of [['delivery_rollups', 'minute'], ['delivery_rollups_hourly', 'hour']] as const) {
    await client.query(`INSERT INTO ${table} (destination_id, ${unit}, outcome, status_code, error_code, attempt, count, latency_sum_ms, latency_max_ms, latency_buckets)
      SELECT destination_id, date_trunc('${unit}', at), state, COALESCE(status_code, 0), COALESCE(error_code, ''), attempt, count(*), COALESCE(sum(latency_ms), 0), COALESCE(max(latency_ms), 0), ${histogram}
        FROM job_transitions GROUP BY 1, 2, 3, 4, 5, 6`);
  }
  await client.query(`INSERT INTO ingest_rollups (source_id, hour, outcome, reason, slot, count) SELECT source_id, date_trunc('hour', received_at), 'stored', '', 0, count(*) FROM events GROUP BY 1, 2`);
  await client.query(`INSERT INTO ingest_rollups (source_id, hour, outcome, reason, destination_id, slot, count)
    SELECT source_id, date_trunc('hour', received_at), 'skipped', 'filters: sample 99.9 %', $1, 0, count(*) FROM events WHERE pipeline ? 'filters' GROUP BY 1, 2`, [destinationIds[1]]);
  // What autovacuum does to insert-only tables: hint bits and the visibility map (index-only scans), statistics.
  await client.query('VACUUM ANALYZE');
  note(`  loaded in ${Math.round((performance.now() - loadStarted) / 1000)} s`);
  await client.query('INSERT INTO bench_traces_fill VALUES ($1, $2, $3, $4, now())', [total, workspaceId, sourceId, destinationIds]);
}

async function reportSizes(client: pg.PoolClient, total: number): Promise<void> {
  const sizes = (await client.query<{ name: string; bytes: string }>(`SELECT c.relname AS name, sum(pg_total_relation_size(i.inhrelid))::bigint AS bytes FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhparent WHERE c.relname IN ('events', 'event_identities', 'jobs', 'job_transitions') GROUP BY 1`)).rows;
  const bytes = (await client.query<{ request: string; attempt: string; event: string; identity: string; per_event: string }>(`SELECT
      (SELECT avg(pg_column_size(request)) FROM (SELECT request FROM job_transitions LIMIT 10000) r) AS request,
      (SELECT avg(pg_column_size(t.*)) FROM (SELECT * FROM job_transitions LIMIT 10000) t) AS attempt,
      (SELECT avg(pg_column_size(e.*)) FROM (SELECT * FROM events LIMIT 10000) e) AS event,
      (SELECT avg(pg_column_size(i.*)) FROM (SELECT * FROM event_identities LIMIT 10000) i) AS identity,
      (SELECT count(*) FROM event_identities)::float8 / GREATEST((SELECT count(*) FROM events), 1) AS per_event`)).rows[0];
  figure('traces.attempt_request_bytes', Number(bytes.request), 'bytes');
  figure('traces.attempt_row_bytes', Number(bytes.attempt), 'bytes');
  figure('traces.event_row_bytes', Number(bytes.event), 'bytes');
  figure('traces.identity_rows_per_event', Number(bytes.per_event), 'rows');
  figure('traces.identity_row_bytes', Number(bytes.identity), 'bytes');
  for (const size of sizes) figure(`traces.${size.name}_mb`, Number(size.bytes) / 1e6, 'MB');
  note(`  sizes: ${sizes.map((s) => `${s.name} ${(Number(s.bytes) / 1e6).toFixed(0)} MB`).join(', ')}`);
  figure('traces.events', total, 'events');
}

export async function benchTraces(): Promise<void> {
  const total = Number(process.env.BENCH_TRACES_EVENTS ?? 1_000_000);
  const runs = Number(process.env.BENCH_TRACES_RUNS ?? 100);
  const database = await setupBenchDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const client = await pool.connect();
  // A kept cluster (BENCH_DATA_DIR) that already holds a fill of this size is read again as it is.
  await client.query('CREATE TABLE IF NOT EXISTS bench_traces_fill (total bigint PRIMARY KEY, workspace_id text NOT NULL, source_id text NOT NULL, destination_ids text[] NOT NULL, filled_at timestamptz NOT NULL)');
  const kept = (await client.query<{ workspace_id: string; source_id: string; destination_ids: string[] }>('SELECT workspace_id, source_id, destination_ids FROM bench_traces_fill WHERE total = $1', [total])).rows[0];
  const workspaceId = kept?.workspace_id ?? database.fixture.workspaceId;
  const sourceId = kept?.source_id ?? database.fixture.sourceId;
  const destinationIds = kept?.destination_ids ?? database.fixture.destinations.map((d) => d.id);
  const now = Date.now();
  if (kept) note(`traces bench: reading the kept fill of ${total.toLocaleString('en-US')} events`);
  else await fillAll(client, { workspaceId, sourceId, destinationIds, total, now });
  await reportSizes(client, total);
  client.release();
  if (process.env.BENCH_TRACES_PHASE === 'fill') {
    await pool.end();
    await database.close();
    return;
  }

  // 2,000 events spread over the table (random pages), for the identifiers to look up.
  const sampleSql = `SELECT id AS "eventId", user_id AS "user", anonymous_id AS anon, message_id AS "messageId", lower(payload->'properties'->>'email') AS email
                       FROM events TABLESAMPLE SYSTEM ($1) LIMIT 2000`;
  const sample = (await pool.query<TSample>(sampleSql, [Math.min(100, (4000 / total) * 100)])).rows;
  await pool.end();
  const withEmail = sample.filter((s) => s.email);
  note(`  ${sample.length} sampled events, ${withEmail.length} with an e-mail`);

  const db = createDb(database.url, { max: 2 });
  const pick = (i: number) => sample[i % sample.length];
  const kinds: Array<[string, (i: number) => string]> = [
    ['user', (i) => `user:${pick(i).user}`],
    ['anon', (i) => `anon:${pick(i).anon}`],
    ['email', (i) => `email:${withEmail[i % withEmail.length].email!.toUpperCase()}`],
    ['message', (i) => `message:${pick(i).messageId}`],
    ['any', (i) => pick(i).user],
  ];
  const baselineDir = process.env.BENCH_TRACES_BASELINE;
  if (baselineDir) {
    // Before/after on the same data: the search of another checkout (its server/traces/search.ts)
    // against this one, alternated A B B A, each block `runs` searches.
    const baseline = (await import(path.resolve(baselineDir, 'server/traces/search.ts'))) as { searchEvents: typeof searchEvents };
    const baselineDb = createDb(database.url, { max: 2 });
    for (const [kind, query] of kinds) {
      const blocks: Record<'before' | 'after', number[]> = { before: [], after: [] };
      for (const side of ['before', 'after', 'after', 'before'] as const) {
        const run = side === 'before' ? (i: number) => baseline.searchEvents({ db: baselineDb, workspaceId, input: { q: query(i), limit: 50 } }) : (i: number) => searchEvents({ db, workspaceId, input: { q: query(i), limit: 50 } });
        blocks[side].push(await timed(runs, run));
      }
      note(`  search ${kind}: before ${blocks.before.map(Math.round).join(' / ')} ms, after ${blocks.after.map(Math.round).join(' / ')} ms (p95 per block, A B B A)`);
      figure(`traces.baseline_search_${kind}_p95_ms`, Math.max(...blocks.before), 'ms');
      figure(`traces.search_${kind}_p95_ms`, Math.max(...blocks.after), 'ms');
    }
    await baselineDb.$disconnect();
  } else {
    for (const [kind, query] of kinds) figure(`traces.search_${kind}_p95_ms`, await timed(runs, (i) => searchEvents({ db, workspaceId, input: { q: query(i), limit: 50 } })), 'ms');
  }
  // The overview's steps: the events in one state at one destination (common and rare states).
  for (const [state, destinationId] of [['delivered', destinationIds[0]], ['discarded', destinationIds[0]], ['archived', destinationIds[0]], ['filtered', destinationIds[1]]] as const) {
    figure(`traces.search_state_${state}_p95_ms`, await timed(Math.max(5, Math.floor(runs / 5)), () => searchEvents({ db, workspaceId, input: { destinationId, state, limit: 50 } })), 'ms');
  }
  figure('traces.search_one_result_p95_ms', await timed(runs, (i) => searchEvents({ db, workspaceId, input: { q: `message:${pick(i).messageId}`, limit: 50 } })), 'ms');
  figure('traces.trace_p95_ms', await timed(runs, (i) => getTrace({ db, workspaceId, eventId: pick(i).eventId })), 'ms');
  const chartRuns = Math.max(5, Math.floor(runs / 5));
  figure('traces.chart_30d_destination_p95_ms', await timed(chartRuns, () => deliveryStats({ db, workspaceId, destinationId: destinationIds[0], range: '30d' })), 'ms');
  figure('traces.chart_30d_workspace_p95_ms', await timed(chartRuns, () => deliveryStats({ db, workspaceId, range: '30d' })), 'ms');
  figure('traces.chart_24h_destination_p95_ms', await timed(chartRuns, () => deliveryStats({ db, workspaceId, destinationId: destinationIds[0], range: '24h' })), 'ms');
  figure('traces.overview_30d_p95_ms', await timed(chartRuns, () => deliveryOverview({ db, workspaceId, range: '30d' })), 'ms');
  await db.$disconnect();
  await database.close();
}
