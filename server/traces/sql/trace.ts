/** The trace page's SQL: one event by its primary key, its jobs, their transitions and queue rows. */
import { heldCreditBetweenSql } from '../../queue/sql/held-time.ts';

/** $1 receivedAt (from the UUIDv7 event id), $2 id, $3 workspace. */
export const TRACE_EVENT = /* sql */ `
SELECT e.*, e.payload::text AS payload_text, lower(COALESCE(e.payload->'traits'->>'email', e.payload->'context'->'traits'->>'email', e.payload->'properties'->>'email')) AS email
  FROM events e
 WHERE e.received_at = $1 AND e.id = $2 AND e.workspace_id = $3
`;

/** $1 event id, $2 its receivedAt (no job is older: prunes partitions). */
export const TRACE_JOBS = /* sql */ `
SELECT j.id, j.created_at, j.destination_id, j.expire_at, j.payload::text AS job_payload, q.run_at AS queued_run_at, q.lease_owner
  FROM jobs j LEFT JOIN job_queue q ON q.job_id = j.id
 WHERE j.event_id = $1 AND j.created_at >= $2
 ORDER BY j.created_at
`;

/** $1 job ids, $2 the event's receivedAt. */
export const TRACE_TRANSITIONS = /* sql */ `
SELECT job_id, attempt, state, at, status_code, error_code, latency_ms, response_excerpt, retry_at, request, explanation
  FROM job_transitions
 WHERE job_id = ANY($1::uuid[]) AND at >= $2
 ORDER BY at, attempt
`;

/**
 * How long each job's destination was held (a Retry-After pause, settings that could not
 * work) between the job's creation and now (still queued: end null) or its end: the claim
 * extends the job's retry window by that much (claim-jobs.ts). Null when no longer known.
 * $1 job ids, $2 their destinations, $3 their created_at, $4 when each ended (null: queued).
 */
export const TRACE_HELD = /* sql */ `
SELECT x.job_id, ${heldCreditBetweenSql({ destinationId: 'x.destination_id', from: 'x.created_at', to: 'COALESCE(x.ended_at, now())' })}::float8 AS held_ms
  FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[]) AS x(job_id, destination_id, created_at, ended_at)
`;
