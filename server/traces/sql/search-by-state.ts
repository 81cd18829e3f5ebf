/**
 * The SQL of "events in this state at this destination" (the overview's steps open it). The
 * rollups serve as a coarse index of when each outcome happened: the hours that hold one are
 * read from the hourly rollups, the minutes from the per-minute ones, and only those minutes
 * of `job_transitions` (or those hours of the source's events) are walked. A rare state (a
 * few discards in a month of deliveries) costs a few index probes instead of a scan of the
 * month. Keyset order: (time, id) newest first, as everywhere in the search.
 */
/** Hours holding an outcome, newest first. $1 destination, $2 outcome, $3 from (hour), $4 newest time. */
export const DELIVERY_HOURS = /* sql */ `
SELECT hour, sum(count)::int AS count
  FROM delivery_rollups_hourly
 WHERE destination_id = $1 AND outcome = $2 AND hour >= date_trunc('hour', $3::timestamptz) AND hour <= $4
 GROUP BY hour
HAVING sum(count) > 0
 ORDER BY hour DESC
`;

/**
 * Transitions to an outcome in the minutes (of these hours) that hold one, newest first, with
 * their job's event. $1 destination, $2 outcome, $3 hours (timestamptz[]), $4 from, $5 cursor
 * time, $6 cursor job id, $7 how many.
 */
export const DELIVERY_CANDIDATES = /* sql */ `
WITH minutes AS (
  SELECT DISTINCT r.minute
    FROM unnest($3::timestamptz[]) AS h(hour)
    CROSS JOIN LATERAL (
      SELECT r.minute FROM delivery_rollups r
       WHERE r.destination_id = $1 AND r.outcome = $2 AND r.minute >= h.hour AND r.minute < h.hour + interval '1 hour' AND r.count > 0
    ) r
),
-- The page's transitions first, then each one's job by primary key (a probe per row, never a join over all jobs).
picked AS (
  SELECT c.at, c.job_id, c.job_created_at
    FROM minutes m
    CROSS JOIN LATERAL (
      SELECT t.at, t.job_id, t.job_created_at
        FROM job_transitions t
       WHERE t.destination_id = $1 AND t.at >= m.minute AND t.at < m.minute + interval '1 minute' AND t.state = $2
         AND t.at >= $4 AND (t.at, t.job_id) < ($5::timestamptz, $6::uuid)
       ORDER BY t.at DESC, t.job_id DESC
       LIMIT $7
    ) c
   ORDER BY c.at DESC, c.job_id DESC
   LIMIT $7
)
SELECT p.at, p.job_id AS key, j.event_id, j.event_received_at
  FROM picked p
  CROSS JOIN LATERAL (SELECT j.event_id, j.event_received_at FROM jobs j WHERE j.created_at = p.job_created_at AND j.id = p.job_id LIMIT 1) j
 ORDER BY p.at DESC, p.job_id DESC
`;

/**
 * Jobs queued now for a destination and waiting for their first attempt, newest first. Such a
 * row's run_at is its job's created_at (the queue insert sets it so, only a retry changes it,
 * and a claim raises `attempt`), so the (destination_id, run_at) index gives the order and the
 * range: the walk reads the page, not the destination's whole backlog, and skips the retries
 * scheduled later. Each picked row's job is then probed by primary key.
 * $1 destination, $2 from, $3 cursor time, $4 cursor job id, $5 how many.
 */
export const PENDING_CANDIDATES = /* sql */ `
SELECT c.at, c.key, j.event_id, j.event_received_at
  FROM (
    SELECT q.run_at AS at, q.job_id AS key, q.job_created_at
      FROM job_queue q
     WHERE q.destination_id = $1 AND q.attempt = 0
       AND q.run_at >= $2 AND q.run_at <= $3 AND (q.run_at, q.job_id) < ($3::timestamptz, $4::uuid)
     ORDER BY q.run_at DESC, q.job_id DESC
     LIMIT $5
  ) c
  CROSS JOIN LATERAL (SELECT j.event_id, j.event_received_at FROM jobs j WHERE j.created_at = c.job_created_at AND j.id = c.key LIMIT 1) j
 ORDER BY c.at DESC, c.key DESC
`;

/**
 * Jobs queued now for a destination that were tried before (waiting for a retry, or in
 * flight), by their next attempt, latest first: the order the (destination_id, run_at) index
 * gives, so the walk stops after a page instead of sorting the destination's backlog (pending
 * rows, due at their creation, come after the scheduled retries). The range applies to the
 * job's creation. $1 destination, $2 from, $3 to, $4 cursor time (next attempt; null on the
 * first page), $5 cursor job id, $6 how many.
 */
export const RETRYING_CANDIDATES = /* sql */ `
SELECT c.at, c.key, j.event_id, j.event_received_at
  FROM (
    SELECT q.run_at AS at, q.job_id AS key, q.job_created_at
      FROM job_queue q
     WHERE q.destination_id = $1 AND q.attempt > 0
       AND q.job_created_at >= $2 AND q.job_created_at <= $3
       AND q.run_at <= COALESCE($4::timestamptz, 'infinity') AND (q.run_at, q.job_id) < (COALESCE($4::timestamptz, 'infinity'), $5::uuid)
     ORDER BY q.run_at DESC, q.job_id DESC
     LIMIT $6
  ) c
  CROSS JOIN LATERAL (SELECT j.event_id, j.event_received_at FROM jobs j WHERE j.created_at = c.job_created_at AND j.id = c.key LIMIT 1) j
 ORDER BY c.at DESC, c.key DESC
`;

/**
 * Hours in which a stage left the destination out (filtered: $3 = true) or dropped events of
 * its source (blocked: $3 = false), newest first. $1 source, $2 destination (text), $4 from, $5 newest time.
 */
export const LEFT_OUT_HOURS = /* sql */ `
SELECT hour, sum(count)::int AS count
  FROM ingest_rollups
 WHERE source_id = $1 AND hour >= date_trunc('hour', $4::timestamptz) AND hour <= $5
   AND CASE WHEN $3::boolean THEN outcome = 'skipped' AND destination_id = $2 ELSE outcome = 'dropped' END
 GROUP BY hour
HAVING sum(count) > 0
 ORDER BY hour DESC
`;

/**
 * The source's events of these hours that a stage left this destination out of ($3 = true;
 * `skipped: [{ id }]` under any stage) or dropped ($3 = false; `droppedBy`), newest first.
 * $1 source, $2 destination (text), $4 hours (timestamptz[]), $5 from, $6 cursor time, $7 cursor id, $8 how many.
 */
export const LEFT_OUT_CANDIDATES = /* sql */ `
SELECT c.received_at AS at, c.id AS key, c.id AS event_id, c.received_at AS event_received_at
  FROM unnest($4::timestamptz[]) AS h(hour)
  CROSS JOIN LATERAL (
    SELECT e.received_at, e.id
      FROM events e
     WHERE e.source_id = $1 AND e.received_at >= h.hour AND e.received_at < h.hour + interval '1 hour'
       AND e.received_at >= $5 AND (e.received_at, e.id) < ($6::timestamptz, $7::uuid)
       AND CASE WHEN $3::boolean THEN jsonb_path_exists(e.pipeline, '$.*.skipped[*] ? (@.id == $d)', jsonb_build_object('d', $2::text))
                ELSE e.pipeline ? 'droppedBy' END
     ORDER BY e.received_at DESC, e.id DESC
     LIMIT $8
  ) c
 ORDER BY c.received_at DESC, c.id DESC
 LIMIT $8
`;
