/**
 * `npm run bench -- traces`: support's reads on a filled database. BENCH_TRACES_EVENTS events
 * (default 1,000,000; the issue's target is 10 M) over the last 30 days, ~600 B each, into the
 * real tables with COPY: events with their identity rows, 2 jobs per event, 1–3 attempts per
 * job (8 % answer 500 once or twice before 200, 2 % get a 400), then the rollups the worker
 * and ingest would have written, computed from those rows. Then, through the real read
 * model (server/traces): search by each identifier kind, the trace, a 30-day chart of one
 * destination and of the workspace, and the 30-day overview; p95 over BENCH_TRACES_RUNS runs.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createDb } from '../server/db/client.ts';
import { histogramSql } from '../server/traces/latency-buckets.ts';
import { ensurePartitions } from '../server/events/partitions.ts';
import { uuid7 } from '../server/lib/uuid7.ts';
import { identitiesOf, identityKey } from '../server/traces/identity.ts';
import { deliveryOverview } from '../server/traces/overview.ts';
import { searchEvents } from '../server/traces/search.ts';
import { deliveryStats } from '../server/traces/stats.ts';
import { getTrace } from '../server/traces/trace.ts';
import { figure, note } from './lib/measure.ts';
import { setupBenchDatabase } from './lib/setup.ts';

const DAY = 86_400_000;
const CHUNK = 20_000;
const esc = (text: string) => text.replace(/\\/g, '\\\\');

async function copy(client: pg.PoolClient, sql: string, rows: string[]): Promise<void> {
  await pipeline(Readable.from([rows.join('')]), client.query(copyFrom(sql)));
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

export async function benchTraces(): Promise<void> {
  const total = Number(process.env.BENCH_TRACES_EVENTS ?? 1_000_000);
  const runs = Number(process.env.BENCH_TRACES_RUNS ?? 100);
  const database = await setupBenchDatabase();
  const { workspaceId, sourceId, destinations } = database.fixture;
  const destinationIds = destinations.map((d) => d.id);
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  const client = await pool.connect();
  const now = Date.now();
  for (let day = 31; day >= 0; day--) await ensurePartitions(client, { now: new Date(now - day * DAY), daysAhead: 1 });

  // Customers: ~20 events each, a third with an e-mail address.
  const users = Math.max(1, Math.floor(total / 20));
  const sample: Array<{ user: string; anon: string; email: string | null; messageId: string; eventId: string }> = [];
  note(`traces bench: generating ${total.toLocaleString('en-US')} events for ${users.toLocaleString('en-US')} customers over 30 days…`);
  const loadStarted = performance.now();
  for (let done = 0; done < total; done += CHUNK) {
    const ev: string[] = [], ids: string[] = [], jobs: string[] = [], transitions: string[] = [];
    for (let i = done; i < Math.min(total, done + CHUNK); i++) {
      const u = Math.floor(Math.random() * users);
      const userId = `user-${u}`;
      const anonymousId = `anon-${u}-${u % 3}`;
      const email = u % 3 === 0 ? `customer${u}@example.com` : null;
      const receivedAt = new Date(now - Math.random() * 30 * DAY);
      const at = receivedAt.toISOString();
      const id = uuid7(receivedAt.getTime());
      const messageId = `msg-${randomUUID()}`;
      const payload = JSON.stringify({ type: 'track', event: 'Order Completed', userId, anonymousId, messageId, properties: { orderId: `ord-${i}`, total: 42.5, currency: 'EUR', ...(email ? { email } : {}) }, context: { library: { name: 'bench', version: '1' }, ip: '203.0.113.7' }, timestamp: at, receivedAt: at });
      ev.push(`${id}\t${workspaceId}\t${sourceId}\t${messageId}\ttrack\tOrder Completed\t${userId}\t${anonymousId}\t${at}\t${at}\t${at}\t${at}\t${esc(payload)}\t{"routing":{"selected":${JSON.stringify(destinationIds)},"skipped":[]}}\t203.0.113.7\tbench/1.0\t{"added":["receivedAt"],"was":{}}\n`);
      for (const identity of identitiesOf({ messageId, userId, anonymousId, emails: email ? [email] : [] })) ids.push(`${identityKey(workspaceId, identity)}\t${at}\t${id}\n`);
      if (sample.length < 2000 && Math.random() < 0.01) sample.push({ user: userId, anon: anonymousId, email, messageId, eventId: id });
      for (const destinationId of destinationIds) {
        const jobId = uuid7(receivedAt.getTime());
        const expire = new Date(receivedAt.getTime() + 4 * 3_600_000).toISOString();
        jobs.push(`${jobId}\t${at}\t${workspaceId}\t${sourceId}\t${destinationId}\t${id}\t${at}\t${expire}\n`);
        const roll = Math.random();
        const failures = roll < 0.02 ? -1 : roll < 0.06 ? 2 : roll < 0.1 ? 1 : 0;
        let t = receivedAt.getTime() + 50;
        const request = `{"method":"POST","url":"https://hooks.example.com/in","headers":{"content-type":"application/json","user-agent":"Switchyard-Webhooks/1","webhook-id":"${jobId}","webhook-timestamp":"${Math.floor(t / 1000)}","webhook-signature":"v1,${'x'.repeat(44)}"},"body":{"is":"event"}}`;
        if (failures === -1) {
          transitions.push(`${jobId}\t${at}\t${destinationId}\t${sourceId}\t1\tdiscarded\t${new Date(t).toISOString()}\t400\t\\N\t${20 + Math.floor(Math.random() * 80)}\t{"error":"invalid payload"}\t\\N\t${esc(request)}\n`);
          continue;
        }
        for (let attempt = 1; attempt <= failures; attempt++) {
          const retryAt = new Date(t + 5000 * attempt);
          transitions.push(`${jobId}\t${at}\t${destinationId}\t${sourceId}\t${attempt}\tawaiting_retry\t${new Date(t).toISOString()}\t500\t\\N\t${200 + Math.floor(Math.random() * 800)}\t{"error":"database is down"}\t${retryAt.toISOString()}\t${esc(request)}\n`);
          t = retryAt.getTime();
        }
        transitions.push(`${jobId}\t${at}\t${destinationId}\t${sourceId}\t${failures + 1}\tsucceeded\t${new Date(t).toISOString()}\t200\t\\N\t${10 + Math.floor(Math.random() * 150)}\t{"ok":true}\t\\N\t${esc(request)}\n`);
      }
    }
    await client.query('BEGIN');
    await copy(client, 'COPY events (id, workspace_id, source_id, message_id, type, name, user_id, anonymous_id, received_at, sent_at, original_timestamp, "timestamp", payload, pipeline, client_ip, user_agent, as_sent) FROM STDIN', ev);
    await copy(client, 'COPY event_identities (identity, received_at, event_id) FROM STDIN', ids);
    await copy(client, 'COPY jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at) FROM STDIN', jobs);
    await copy(client, 'COPY job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code, error_code, latency_ms, response_excerpt, retry_at, request) FROM STDIN', transitions);
    await client.query('COMMIT');
    if ((done / CHUNK) % 10 === 0) note(`  ${(done + CHUNK).toLocaleString('en-US')} events loaded (${Math.round((performance.now() - loadStarted) / 1000)} s)`);
  }
  note('  rollups from the loaded attempts and events (what the worker and ingest write as they go)…');
  const histogram = histogramSql('latency_ms');
  for (const [table, unit] of [['delivery_rollups', 'minute'], ['delivery_rollups_hourly', 'hour']] as const) {
    await client.query(`INSERT INTO ${table} (destination_id, ${unit}, outcome, status_code, error_code, attempt, count, latency_sum_ms, latency_max_ms, latency_buckets)
      SELECT destination_id, date_trunc('${unit}', at), state, COALESCE(status_code, 0), COALESCE(error_code, ''), attempt, count(*), COALESCE(sum(latency_ms), 0), COALESCE(max(latency_ms), 0), ${histogram}
        FROM job_transitions GROUP BY 1, 2, 3, 4, 5, 6`);
  }
  await client.query(`INSERT INTO ingest_rollups (source_id, hour, outcome, reason, slot, count) SELECT source_id, date_trunc('hour', received_at), 'stored', '', 0, count(*) FROM events GROUP BY 1, 2`);
  await client.query('ANALYZE');
  const loadSeconds = (performance.now() - loadStarted) / 1000;
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
  client.release();
  await pool.end();
  note(`  loaded in ${Math.round(loadSeconds)} s; sizes: ${sizes.map((s) => `${s.name} ${(Number(s.bytes) / 1e6).toFixed(0)} MB`).join(', ')}`);
  figure('traces.events', total, 'events');

  const db = createDb(database.url, { max: 2 });
  const pick = (i: number) => sample[i % sample.length];
  const withEmail = sample.filter((s) => s.email);
  const search = (q: string) => searchEvents({ db, workspaceId, input: { q, limit: 50 } });
  figure('traces.search_user_p95_ms', await timed(runs, (i) => search(`user:${pick(i).user}`)), 'ms');
  figure('traces.search_anon_p95_ms', await timed(runs, (i) => search(`anon:${pick(i).anon}`)), 'ms');
  figure('traces.search_email_p95_ms', await timed(runs, (i) => search(`email:${withEmail[i % withEmail.length].email!.toUpperCase()}`)), 'ms');
  figure('traces.search_message_p95_ms', await timed(runs, (i) => search(`message:${pick(i).messageId}`)), 'ms');
  figure('traces.search_any_p95_ms', await timed(runs, (i) => search(pick(i).user)), 'ms');
  figure('traces.trace_p95_ms', await timed(runs, (i) => getTrace({ db, workspaceId, eventId: pick(i).eventId })), 'ms');
  const chartRuns = Math.max(5, Math.floor(runs / 5));
  figure('traces.chart_30d_destination_p95_ms', await timed(chartRuns, () => deliveryStats({ db, workspaceId, destinationId: destinationIds[0], range: '30d' })), 'ms');
  figure('traces.chart_30d_workspace_p95_ms', await timed(chartRuns, () => deliveryStats({ db, workspaceId, range: '30d' })), 'ms');
  figure('traces.chart_24h_destination_p95_ms', await timed(chartRuns, () => deliveryStats({ db, workspaceId, destinationId: destinationIds[0], range: '24h' })), 'ms');
  figure('traces.overview_30d_p95_ms', await timed(chartRuns, () => deliveryOverview({ db, workspaceId, range: '30d' })), 'ms');
  await db.$disconnect();
  await database.close();
}
