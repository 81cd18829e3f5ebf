/**
 * One batch of a deletion from the event store: up to $5 events of the subject received
 * before the request ($4), with everything that holds them: their jobs, due-work rows and
 * transitions (attempts with response excerpts), and dedupe entries. Events whose jobs a
 * worker is sending right now are left for a later batch (the worker would record an
 * attempt for a job already gone). Runs in its own short transaction; returns the counts.
 * $1 workspace, $2 user IDs, $3 anonymous IDs.
 */
export const DELETE_EVENT_BATCH = /* sql */ `
WITH batch AS (
  SELECT e.received_at, e.id, e.source_id, e.message_id FROM events e
   WHERE e.workspace_id = $1 AND (e.user_id = ANY($2::text[]) OR e.anonymous_id = ANY($3::text[]))
     AND e.received_at <= $4
     AND NOT EXISTS (
       SELECT 1 FROM jobs j JOIN job_queue q ON q.job_id = j.id
        WHERE j.event_id = e.id AND q.lease_owner IS NOT NULL AND q.lease_expires_at > now())
   LIMIT $5
),
batch_jobs AS (SELECT j.created_at, j.id FROM jobs j WHERE j.event_id IN (SELECT id FROM batch)),
del_queue AS (DELETE FROM job_queue WHERE job_id IN (SELECT id FROM batch_jobs) RETURNING 1),
del_transitions AS (DELETE FROM job_transitions WHERE job_id IN (SELECT id FROM batch_jobs) RETURNING 1),
del_jobs AS (DELETE FROM jobs j USING batch_jobs b WHERE j.created_at = b.created_at AND j.id = b.id RETURNING 1),
del_dedupe AS (DELETE FROM event_dedupe d USING batch b WHERE d.source_id = b.source_id AND d.message_id = b.message_id RETURNING 1),
del_events AS (DELETE FROM events e USING batch b WHERE e.received_at = b.received_at AND e.id = b.id RETURNING 1)
SELECT (SELECT count(*) FROM del_events)::int AS events,
       (SELECT count(*) FROM del_jobs)::int AS jobs,
       (SELECT count(*) FROM del_queue)::int AS queued_jobs,
       (SELECT count(*) FROM del_transitions)::int AS transitions,
       (SELECT count(*) FROM del_dedupe)::int AS dedupe_entries,
       (SELECT count(*) FROM batch)::int AS selected`;

/** Events of the subject still there but held by a sending worker (the loop waits for them). */
export const COUNT_HELD_EVENTS = /* sql */ `
SELECT count(*)::int AS held FROM events e
 WHERE e.workspace_id = $1 AND (e.user_id = ANY($2::text[]) OR e.anonymous_id = ANY($3::text[])) AND e.received_at <= $4`;
