/**
 * Suppression cancels the subject's queued and retrying jobs: up to $3 due-work rows whose
 * event belongs to the subject (found through the traces identity lookup: `event_identities`
 * rows under one of the subject's digests, $2 bigint[]), not leased by a sending worker,
 * leave the queue, and each job gets a `suppressed` transition naming the request ($4), so the
 * trace says why it stopped. $1 workspace.
 */
import { sqlStates } from '../../queue/job-states.ts';

export const CANCEL_SUBJECT_JOBS = /* sql */ `
WITH chosen AS (
  SELECT q.job_id, q.job_created_at, q.destination_id, q.source_id, q.attempt
    FROM job_queue q
    JOIN jobs j ON j.id = q.job_id AND j.created_at = q.job_created_at
   WHERE (j.event_received_at, j.event_id) IN (
           SELECT i.received_at, i.event_id FROM event_identities i
             JOIN events e ON e.received_at = i.received_at AND e.id = i.event_id AND e.workspace_id = $1
            WHERE i.identity = ANY($2::bigint[]))
     AND (q.lease_owner IS NULL OR q.lease_expires_at < now())
   LIMIT $3
   FOR UPDATE OF q SKIP LOCKED
),
removed AS (DELETE FROM job_queue q USING chosen c WHERE q.job_id = c.job_id RETURNING q.job_id),
traced AS (
  INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, response_excerpt)
  SELECT c.job_id, c.job_created_at, c.destination_id, c.source_id, c.attempt, ${sqlStates('suppressed')}, now(), 'cancelled: subject suppressed by privacy request ' || $4
    FROM chosen c JOIN removed r ON r.job_id = c.job_id
  ON CONFLICT DO NOTHING
  RETURNING 1)
SELECT (SELECT count(*) FROM removed)::int AS cancelled`;
