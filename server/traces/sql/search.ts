/**
 * The support search's SQL. Identity search walks event_identities' primary key once per
 * candidate identity (newest first, keyset) and merges; the page's events and their jobs are
 * then read by primary key, with their exact times as bounds, so Postgres plans and opens
 * only the daily partitions that hold them (not the ~33 of a 30-day range, per table).
 * Browsing without a query walks each source's (source, received_at) index the same way.
 * Either way a page costs O(page size) index reads, not O(matches).
 */
import { sqlStates } from '../../queue/job-states.ts';

const EVENT_COLUMNS = /* sql */ `e.id, e.source_id, e.message_id, e.type, e.name, e.user_id, e.anonymous_id, e.received_at, e."timestamp", e.pipeline,
       lower(COALESCE(e.payload->'traits'->>'email', e.payload->'context'->'traits'->>'email', e.payload->'properties'->>'email')) AS email`;

/**
 * The identity hits, newest first: each candidate identity walked on its own so the merge
 * stays O(page). $1 identity keys (bigint[]), $2 from, $3 cursor time, $4 cursor id, $5 how many.
 */
export const IDENTITY_HITS = /* sql */ `
SELECT DISTINCT h.received_at, h.event_id
  FROM unnest($1::bigint[]) AS k(identity)
  CROSS JOIN LATERAL (
    SELECT i.received_at, i.event_id
      FROM event_identities i
     WHERE i.identity = k.identity AND i.received_at >= $2 AND i.received_at <= $3
       AND (i.received_at, i.event_id) < ($3::timestamptz, $4::uuid)
     ORDER BY i.received_at DESC, i.event_id DESC
     LIMIT $5
  ) h
 ORDER BY h.received_at DESC, h.event_id DESC
 LIMIT $5
`;

/**
 * The events of a page of hits, by primary key. $1 their received_at (timestamptz[]), $2 their
 * ids (uuid[]), $3 the oldest and $4 the newest received_at of them (prune partitions even in
 * a generic plan), $5 workspace, $6 source or null, $7 type or null. A hit outside the
 * workspace, source or type is simply not returned.
 */
export const EVENTS_BY_KEY = /* sql */ `
SELECT ${EVENT_COLUMNS}
  FROM events e
 WHERE e.received_at = ANY($1::timestamptz[]) AND e.id = ANY($2::uuid[])
   AND e.received_at >= $3 AND e.received_at <= $4
   AND e.workspace_id = $5 AND ($6::uuid IS NULL OR e.source_id = $6) AND ($7::text IS NULL OR e.type = $7)
`;

/** $1 workspace, $2 source or null, $3 from, $4 cursor time, $5 cursor id, $6 how many, $7 type or null. */
export const BROWSE_EVENTS = /* sql */ `
SELECT e.id, e.source_id, e.message_id, e.type, e.name, e.user_id, e.anonymous_id, e.received_at, e."timestamp", e.pipeline, e.email
  FROM sources s
  CROSS JOIN LATERAL (
    SELECT ${EVENT_COLUMNS}
      FROM events e
     WHERE e.source_id = s.id AND e.received_at >= $3 AND e.received_at <= $4
       AND (e.received_at, e.id) < ($4::timestamptz, $5::uuid)
       AND ($7::text IS NULL OR e.type = $7)
     ORDER BY e.received_at DESC, e.id DESC
     LIMIT $6
  ) e
 WHERE s.workspace_id = $1 AND ($2::uuid IS NULL OR s.id = $2)
 ORDER BY e.received_at DESC, e.id DESC
 LIMIT $6
`;

const JOB_STATE_COLUMNS = /* sql */ `j.event_id, j.destination_id, j.id AS job_id, j.created_at, j.expire_at,
       t.state, t.attempt, t.status_code, t.error_code, t.at,
       EXISTS (SELECT 1 FROM job_queue q WHERE q.job_id = j.id) AS is_queued`;

/**
 * How long after its window a job's transitions are looked for. A job's transitions fall
 * inside its window (a week's margin for a stopped worker), so each probe visits a few daily
 * partitions of job_transitions. A replay or re-send later than that marks the hour in the
 * destination's hourly rollups (server/queue/sql/replay-marks.ts): REPLAY_HOURS finds it.
 */
export const TRANSITION_MARGIN_DAYS = 7;

/** A job's latest transition, up to TRANSITION_MARGIN_DAYS after its window. */
const LATEST_TRANSITION = /* sql */ `
  LEFT JOIN LATERAL (
    SELECT t.state, t.attempt, t.status_code, t.error_code, t.at
      FROM job_transitions t
     WHERE t.job_id = j.id AND t.at >= j.created_at AND t.at < j.expire_at + interval '${TRANSITION_MARGIN_DAYS} days'
     ORDER BY t.at DESC, t.attempt DESC
     LIMIT 1
  ) t ON true`;

/**
 * The jobs ingest made for these events and the latest state of each. Ingest stamps a job
 * with its event's receivedAt (server/ingest/writer.ts), so they sit in the events' own daily
 * partitions. $1 event ids, $2 their received_at (timestamptz[]), $3 the oldest, $4 the newest.
 * A replay or re-send adds a newer job and marks the old one `replayed`: JOBS_AFTER finds those.
 */
export const JOB_STATES = /* sql */ `
SELECT ${JOB_STATE_COLUMNS}
  FROM jobs j
${LATEST_TRANSITION}
 WHERE j.event_id = ANY($1::uuid[]) AND j.created_at = ANY($2::timestamptz[])
   AND j.created_at >= $3 AND j.created_at <= $4
 ORDER BY j.created_at
`;

/** Jobs of these events made at or after a time (replays, re-sends). $1 event ids, $2 the earliest time. */
export const JOBS_AFTER = /* sql */ `
SELECT ${JOB_STATE_COLUMNS}
  FROM jobs j
${LATEST_TRANSITION}
 WHERE j.event_id = ANY($1::uuid[]) AND j.created_at >= $2
 ORDER BY j.created_at
`;

/**
 * Hours since a time in which replays or re-sends queued jobs at these destinations (their
 * `replayed` marks in the hourly rollups), oldest first. $1 destination ids, $2 since.
 */
export const REPLAY_HOURS = /* sql */ `
SELECT r.destination_id, r.hour
  FROM delivery_rollups_hourly r
 WHERE r.destination_id = ANY($1::uuid[]) AND r.hour >= date_trunc('hour', $2::timestamptz)
   AND r.outcome = ${sqlStates('replayed')} AND r.status_code = 0 AND r.error_code = '' AND r.attempt = 0
 ORDER BY r.hour
`;
