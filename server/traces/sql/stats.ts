/**
 * Chart SQL over the rollups only (never raw attempts), except the bounded read of the most
 * recent failing attempts that feeds "top response excerpts".
 */
import { FAILED_STATES, sqlStates } from '../../queue/job-states.ts';
import { LATENCY_BUCKETS } from '../latency-buckets.ts';

const HISTOGRAM_SUMS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `COALESCE(sum(r.latency_buckets[${i + 1}]), 0)::int AS b${i}`).join(', ');

/** $1 destination ids, $2 from, $3 bucket width (interval), $4 origin. One row per (bucket, outcome, code, attempt). */
export function rollupSeriesSql(table: 'delivery_rollups' | 'delivery_rollups_hourly'): string {
  const time = table === 'delivery_rollups' ? 'minute' : 'hour';
  return /* sql */ `
SELECT date_bin($3::interval, r.${time}, $4::timestamptz) AS t, r.outcome, r.status_code, r.error_code, r.attempt,
       sum(r.count)::int AS count, sum(r.latency_sum_ms)::float8 AS latency_sum_ms, ${HISTOGRAM_SUMS}
  FROM ${table} r
 WHERE r.destination_id = ANY($1::uuid[]) AND r.${time} >= $2
 GROUP BY 1, 2, 3, 4, 5
 ORDER BY 1`;
}

/** $1 destination ids, $2 from, $3 per-destination cap. The most recent failing attempts, with their event. */
export const RECENT_FAILURES = /* sql */ `
SELECT f.destination_id, f.status_code, f.error_code, f.response_excerpt, j.event_id
  FROM unnest($1::uuid[]) AS d(id)
  CROSS JOIN LATERAL (
    SELECT t.destination_id, t.status_code, t.error_code, t.response_excerpt, t.job_id, t.job_created_at
      FROM job_transitions t
     WHERE t.destination_id = d.id AND t.at >= $2 AND t.state IN (${sqlStates('awaiting_retry', ...FAILED_STATES)})
       AND (t.error_code IS NULL OR t.error_code <> 'NOT_SENT')
     ORDER BY t.at DESC
     LIMIT $3
  ) f
  -- Each failure's job by primary key, a probe per row (a plain join let Postgres hash every job).
  LEFT JOIN LATERAL (SELECT j.event_id FROM jobs j WHERE j.created_at = f.job_created_at AND j.id = f.job_id LIMIT 1) j ON true
`;

/** $1 destination ids: what is queued now, per destination (pending = never tried, retrying = tried before). */
export const QUEUED_NOW = /* sql */ `
SELECT destination_id, count(*) FILTER (WHERE attempt = 0)::int AS pending, count(*) FILTER (WHERE attempt > 0)::int AS retrying
  FROM job_queue
 WHERE destination_id = ANY($1::uuid[])
 GROUP BY destination_id
`;

/** $1 source ids, $2 from: ingest counters per source, outcome, reason and destination. */
export const INGEST_COUNTS = /* sql */ `
SELECT source_id, outcome, reason, destination_id, sum(count)::int AS count
  FROM ingest_rollups
 WHERE source_id = ANY($1::uuid[]) AND hour >= $2
 GROUP BY 1, 2, 3, 4
`;

/** $1 destination ids, $2 from: delivery outcomes per destination (hourly rollups). */
export const DELIVERY_COUNTS = /* sql */ `
SELECT destination_id, outcome, sum(count) FILTER (WHERE attempt = 1)::int AS first_attempts, sum(count)::int AS count
  FROM delivery_rollups_hourly
 WHERE destination_id = ANY($1::uuid[]) AND hour >= $2
 GROUP BY 1, 2
`;
