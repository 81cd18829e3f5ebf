/**
 * The support search's SQL. Identity search walks event_identities' primary key once per
 * candidate identity (newest first, keyset), merges, and reads only the page's events by
 * their primary key; browsing without a query walks each source's (source, received_at)
 * index the same way. Either way a page costs O(page size) index reads, not O(matches).
 */

const EVENT_COLUMNS = /* sql */ `e.id, e.source_id, e.message_id, e.type, e.name, e.user_id, e.anonymous_id, e.received_at, e."timestamp", e.pipeline,
       lower(COALESCE(e.payload->'traits'->>'email', e.payload->'context'->'traits'->>'email', e.payload->'properties'->>'email')) AS email`;

/**
 * One round trip: the identity hits, newest first (each candidate identity walked on its own
 * so the merge stays O(page)), and their events. A hit whose event fails the source / type
 * filter comes back with a null id (it still moves the cursor).
 * $1 identity keys (bigint[]), $2 from, $3 cursor time, $4 cursor id, $5 how many hits,
 * $6 workspace, $7 source or null, $8 type or null.
 */
export const SEARCH_BY_IDENTITY = /* sql */ `
WITH hits AS (
  SELECT DISTINCT h.received_at, h.event_id
    FROM unnest($1::bigint[]) AS k(identity)
    CROSS JOIN LATERAL (
      SELECT i.received_at, i.event_id
        FROM event_identities i
       WHERE i.identity = k.identity AND i.received_at >= $2
         AND (i.received_at, i.event_id) < ($3::timestamptz, $4::uuid)
       ORDER BY i.received_at DESC, i.event_id DESC
       LIMIT $5
    ) h
   ORDER BY h.received_at DESC, h.event_id DESC
   LIMIT $5
)
SELECT h.received_at AS hit_at, h.event_id AS hit_id, ${EVENT_COLUMNS}
  FROM hits h
  LEFT JOIN events e ON e.received_at = h.received_at AND e.id = h.event_id AND e.workspace_id = $6
       AND ($7::uuid IS NULL OR e.source_id = $7) AND ($8::text IS NULL OR e.type = $8)
 ORDER BY h.received_at DESC, h.event_id DESC
`;

/** $1 workspace, $2 source or null, $3 from, $4 cursor time, $5 cursor id, $6 how many, $7 type or null. */
export const BROWSE_EVENTS = /* sql */ `
SELECT e.*
  FROM sources s
  CROSS JOIN LATERAL (
    SELECT ${EVENT_COLUMNS}
      FROM events e
     WHERE e.source_id = s.id AND e.received_at >= $3
       AND (e.received_at, e.id) < ($4::timestamptz, $5::uuid)
       AND ($7::text IS NULL OR e.type = $7)
     ORDER BY e.received_at DESC, e.id DESC
     LIMIT $6
  ) e
 WHERE s.workspace_id = $1 AND ($2::uuid IS NULL OR s.id = $2)
 ORDER BY e.received_at DESC, e.id DESC
 LIMIT $6
`;

/**
 * The latest state of every job of these events: $1 event ids, $2 the earliest receivedAt
 * among them (jobs and transitions are never older than their event, which prunes partitions).
 */
export const JOB_STATES = /* sql */ `
SELECT j.event_id, j.destination_id, j.id AS job_id, j.created_at, j.expire_at,
       t.state, t.attempt, t.status_code, t.error_code, t.at,
       EXISTS (SELECT 1 FROM job_queue q WHERE q.job_id = j.id) AS is_queued
  FROM jobs j
  LEFT JOIN LATERAL (
    SELECT t.state, t.attempt, t.status_code, t.error_code, t.at
      FROM job_transitions t
     -- A job's transitions fall inside its window (a week's margin for a stopped worker), so
     -- each lateral probe visits a few daily partitions of job_transitions, not all of them.
     WHERE t.job_id = j.id AND t.at >= j.created_at AND t.at < j.expire_at + interval '7 days'
     ORDER BY t.at DESC, t.attempt DESC
     LIMIT 1
  ) t ON true
 WHERE j.event_id = ANY($1::uuid[]) AND j.created_at >= $2
 ORDER BY j.created_at
`;
