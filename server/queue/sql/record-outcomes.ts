/**
 * Records a batch of attempt outcomes in one statement: appends one transition per
 * outcome, removes ended jobs from the due-work table, reschedules retried ones (only rows
 * this worker still leases), and adds the outcomes to the per-minute and hourly rollups
 * (counts, latency sum, max and histogram; grouped by minute in JS, `rollupGroups`).
 * Run it through `recordOutcomes`.
 */
import type pg from 'pg';
import type { TSentRequest } from '../../traces/sent-request.ts';
import { addHistogramsSql, LATENCY_BUCKETS, latencyBucket } from '../../traces/latency-buckets.ts';
import { ENDED_STATES, sqlStates, type TOutcomeState } from '../job-states.ts';

/** One attempt's outcome (or the decision not to make one), as the worker records it. */
export interface TOutcomeRow {
  job_id: string;
  job_created_at: string;
  destination_id: string;
  source_id: string;
  attempt: number;
  state: TOutcomeState;
  at: string;
  status_code: number | null;
  error_code: string | null;
  latency_ms: number | null;
  response_excerpt: string | null;
  retry_at: string | null;
  worker_id: string;
  /** The partner's answer (or the reason for a skip) in words, from the destination type. */
  explanation: string | null;
  /** The request sent for this attempt (null when nothing was sent). */
  request?: TSentRequest | null;
}

/** One rollup group of a batch: its outcomes counted per (destination, minute, outcome, status, error, attempt), made in JS (rollupGroups). */
interface TRollupGroup {
  destination_id: string;
  /** The minute (ISO, UTC): every time zone's offset is whole minutes, so it is date_trunc('minute', at) in any session zone. */
  minute: string;
  outcome: string;
  status_code: number;
  error_code: string;
  attempt: number;
  count: number;
  latency_sum_ms: number;
  latency_max_ms: number;
  /** Counts per latency bucket (latency-buckets.ts), as b0 … b12. */
  [bucket: `b${number}`]: number;
}

const BUCKET_COLUMNS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `b${i}`);

/**
 * The batch's rollup groups, per minute. Grouped here rather than by a GROUP BY in the
 * statement: Postgres computing 13 filtered counts (one width_bucket each) per outcome for
 * two tables was a quarter of its CPU per recorded outcome (30 µs, of which the groups ~7;
 * issue 15's measurements in bench/README.md). Same groups, sums and buckets as that GROUP BY.
 */
export function rollupGroups(rows: readonly TOutcomeRow[]): TRollupGroup[] {
  const groups = new Map<string, TRollupGroup>();
  for (const row of rows) {
    const minute = new Date(Math.floor(Date.parse(row.at) / 60_000) * 60_000).toISOString();
    const statusCode = row.status_code ?? 0;
    const errorCode = row.error_code ?? '';
    const key = `${row.destination_id} ${minute} ${row.state} ${statusCode} ${errorCode} ${row.attempt}`;
    let group = groups.get(key);
    if (!group) {
      group = { destination_id: row.destination_id, minute, outcome: row.state, status_code: statusCode, error_code: errorCode, attempt: row.attempt, count: 0, latency_sum_ms: 0, latency_max_ms: 0 };
      for (const column of BUCKET_COLUMNS) group[column as `b${number}`] = 0;
      groups.set(key, group);
    }
    group.count++;
    if (row.latency_ms !== null) {
      group.latency_sum_ms += row.latency_ms;
      group.latency_max_ms = Math.max(group.latency_max_ms, row.latency_ms);
      group[`b${latencyBucket(row.latency_ms)}`]++;
    }
  }
  return [...groups.values()];
}

/** Adds the groups to one rollup table; `conflict` is the table's primary key column list. */
function rollupInsert(table: string, bucket: 'minute' | 'hour', conflict: string): string {
  return `
  INSERT INTO ${table} AS r (destination_id, ${bucket}, outcome, status_code, error_code, attempt, count, latency_sum_ms, latency_max_ms, latency_buckets)
  SELECT destination_id, ${bucket === 'minute' ? 'minute' : "date_trunc('hour', minute)"}, outcome, status_code, error_code, attempt,
         sum(count), sum(latency_sum_ms), max(latency_max_ms), ARRAY[${BUCKET_COLUMNS.map((b) => `sum(${b})::int`).join(', ')}]
    FROM g
   GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (${conflict}) DO UPDATE
     SET count = r.count + excluded.count,
         latency_sum_ms = r.latency_sum_ms + excluded.latency_sum_ms,
         latency_max_ms = GREATEST(r.latency_max_ms, excluded.latency_max_ms),
         latency_buckets = ${addHistogramsSql('r.latency_buckets', 'excluded.latency_buckets')}
  RETURNING 1
`;
}

// The outcomes arrive as one array per column, unnested: Postgres reads arrays of scalars
// far faster than it takes records apart from json (json_to_recordset cost ~19 µs of a
// round trip per outcome before any request record, unnest ~5; bench/README.md, issue 15).
// The request records are the exception: they come as one JSON array document (null where
// nothing was sent), zipped in by position with ROWS FROM. As a jsonb[] literal, pg escaped
// every quote and backslash of every record (escapeElement, two regex passes per string):
// with webhook records of ~590 characters that cost the worker ~22 µs per outcome to build
// and serialise the parameters, against ~10 as one document; Postgres spends no more on
// reading it (~1.5 µs per outcome less). Same jsonb values stored either way.
const RECORD_OUTCOMES = /* sql */ `
WITH o AS (
  SELECT job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code,
         error_code, latency_ms, response_excerpt, retry_at, worker_id, explanation, NULLIF(request, 'null'::jsonb) AS request
    FROM ROWS FROM (unnest($1::uuid[]), unnest($2::timestamptz[]), unnest($3::uuid[]), unnest($4::uuid[]), unnest($5::int[]),
                    unnest($6::text[]), unnest($7::timestamptz[]), unnest($8::int[]), unnest($9::text[]), unnest($10::int[]),
                    unnest($11::text[]), unnest($12::timestamptz[]), unnest($13::text[]), unnest($14::text[]), jsonb_array_elements($15::jsonb))
      AS x(job_id, job_created_at, destination_id, source_id, attempt, state, at, status_code,
           error_code, latency_ms, response_excerpt, retry_at, worker_id, explanation, request)
),
g AS (
  SELECT * FROM json_to_recordset($16::json) AS x(
    destination_id uuid, minute timestamptz, outcome text, status_code int, error_code text, attempt int,
    count int, latency_sum_ms bigint, latency_max_ms int, ${BUCKET_COLUMNS.map((b) => `${b} int`).join(', ')})
),
logged AS (
  INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at,
                               status_code, error_code, latency_ms, response_excerpt, retry_at, worker_id, explanation, request)
  SELECT job_id, job_created_at, destination_id, source_id, attempt, state, at,
         status_code, error_code, latency_ms, response_excerpt, retry_at, worker_id, explanation, request
    FROM o
  ON CONFLICT DO NOTHING
  RETURNING 1
),
ended AS (
  DELETE FROM job_queue q USING o
   WHERE q.job_id = o.job_id AND o.state IN (${sqlStates(...ENDED_STATES)}) AND q.lease_owner = o.worker_id
  RETURNING 1
),
rescheduled AS (
  UPDATE job_queue q SET run_at = o.retry_at, lease_owner = NULL, lease_expires_at = NULL, is_retry = true
    FROM o
   WHERE q.job_id = o.job_id AND o.state = ${sqlStates('awaiting_retry')} AND q.lease_owner = o.worker_id
  RETURNING 1
),
rolled AS (${rollupInsert('delivery_rollups', 'minute', 'minute, destination_id, outcome, status_code, error_code, attempt')}),
rolled_hourly AS (${rollupInsert('delivery_rollups_hourly', 'hour', 'destination_id, hour, outcome, status_code, error_code, attempt')})
SELECT (SELECT count(*) FROM logged) AS logged, (SELECT count(*) FROM ended) AS ended, (SELECT count(*) FROM rescheduled) AS rescheduled
`;

/** Records a batch of outcomes (one statement, one commit). */
export async function recordOutcomes(pool: pg.Pool, rows: TOutcomeRow[]): Promise<void> {
  const n = rows.length;
  const columns = Array.from({ length: 14 }, () => new Array<unknown>(n));
  // One JSON array document, not an array of json texts (RECORD_OUTCOMES says why).
  const requests = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    columns[0][i] = row.job_id;
    columns[1][i] = row.job_created_at;
    columns[2][i] = row.destination_id;
    columns[3][i] = row.source_id;
    columns[4][i] = row.attempt;
    columns[5][i] = row.state;
    columns[6][i] = row.at;
    columns[7][i] = row.status_code;
    columns[8][i] = row.error_code;
    columns[9][i] = row.latency_ms;
    columns[10][i] = row.response_excerpt;
    columns[11][i] = row.retry_at;
    columns[12][i] = row.worker_id;
    columns[13][i] = row.explanation;
    requests[i] = row.request ? JSON.stringify(row.request) : 'null';
  }
  await pool.query(RECORD_OUTCOMES, [...columns, `[${requests.join(',')}]`, JSON.stringify(rollupGroups(rows))]);
}

const RELEASE_LEASES = /* sql */ `
UPDATE job_queue SET lease_owner = NULL, lease_expires_at = NULL, attempt = GREATEST(attempt - 1, 0)
 WHERE lease_owner = $1 AND job_id = ANY($2::uuid[])
`;

/**
 * Leases this worker holds but will not finish (held destinations, shutdown) go back
 * without using up an attempt.
 */
export async function releaseLeases(client: pg.Pool | pg.PoolClient, { workerId, jobIds }: { workerId: string; jobIds: string[] }): Promise<void> {
  await client.query(RELEASE_LEASES, [workerId, jobIds]);
}
