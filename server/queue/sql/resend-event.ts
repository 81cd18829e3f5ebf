/**
 * Re-sends one event to one destination as a new job (the trace shows it as a replay): the
 * previous job of that pair, if any, gets a `replayed` transition. Nothing happens while the
 * previous job is still queued (it will be tried anyway).
 * $1 event id, $2 destination, $3 event receivedAt, $4 workspace, $5 source, $6 retry window (s), $7 note.
 */
export const RESEND_EVENT = /* sql */ `
WITH prev AS (
  SELECT j.id, j.created_at, j.destination_id, j.source_id
    FROM jobs j
   WHERE j.event_id = $1 AND j.destination_id = $2 AND j.created_at >= $3
   ORDER BY j.created_at DESC
   LIMIT 1
),
busy AS (
  SELECT 1 FROM prev JOIN job_queue q ON q.job_id = prev.id
),
fresh AS (
  INSERT INTO jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at)
  SELECT gen_random_uuid(), now(), $4, $5, $2, $1, $3, now() + make_interval(secs => $6)
   WHERE NOT EXISTS (SELECT 1 FROM busy)
  RETURNING id, created_at, destination_id, source_id
),
queued AS (
  INSERT INTO job_queue (job_id, job_created_at, destination_id, source_id, run_at)
  SELECT id, created_at, destination_id, source_id, created_at FROM fresh
  RETURNING job_id
),
traced AS (
  INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, response_excerpt)
  SELECT prev.id, prev.created_at, prev.destination_id, prev.source_id,
         COALESCE((SELECT max(t.attempt) FROM job_transitions t WHERE t.job_id = prev.id AND t.at >= $3), 0),
         'replayed', now(), $7
    FROM prev, fresh
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT (SELECT job_id FROM queued) AS job_id, EXISTS (SELECT 1 FROM busy) AS is_busy
`;
