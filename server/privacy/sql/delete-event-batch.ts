import { identityRowsSql } from '../../traces/sql/identity-rows.ts';

/**
 * The subject's events received before the request ($3), found through the traces identity
 * lookup: `event_identities` rows under one of the subject's digests ($2, bigint[]), then the
 * event by its primary key, in workspace $1.
 */
const SUBJECT_EVENTS = /* sql */ `
SELECT e.received_at, e.id, e.source_id, e.message_id, e.type, e.user_id, e.anonymous_id, e.payload FROM events e
 WHERE (e.received_at, e.id) IN (SELECT i.received_at, i.event_id FROM event_identities i WHERE i.identity = ANY($2::bigint[]) AND i.received_at <= $3)
   AND e.workspace_id = $1`;

/** Every identity row ingest wrote for an event of `batch` (server/traces/sql/identity-rows.ts), and any under the subject's digests. */
const BATCH_IDENTITY_KEYS = /* sql */ `
SELECT r.received_at, r.id, r.identity FROM (${identityRowsSql('batch', '$1')}) r
UNION
SELECT b.received_at, b.id, s.identity FROM batch b CROSS JOIN unnest($2::bigint[]) AS s(identity)`;

/**
 * One batch of a deletion from the event store: up to $4 events of the subject, with every
 * row that holds them or a copy of their data: their identity rows (`event_identities`, the
 * digests of their identifiers), tracking-plan violations (event ID and path), jobs (with the
 * filter-changed payload copies in `jobs.payload`), due-work rows, transitions (attempts with
 * response excerpts and the request sent, `job_transitions.request`, which may hold a body)
 * and dedupe entries. Events whose jobs a worker is sending right now are left for a later
 * batch (the worker would record an attempt for a job already gone). Runs in its own short
 * transaction; returns the counts.
 */
export const DELETE_EVENT_BATCH = /* sql */ `
WITH batch AS (
  SELECT s.* FROM (${SUBJECT_EVENTS}) s
   WHERE NOT EXISTS (
       SELECT 1 FROM jobs j JOIN job_queue q ON q.job_id = j.id
        WHERE j.event_id = s.id AND q.lease_owner IS NOT NULL AND q.lease_expires_at > now())
   LIMIT $4
),
batch_jobs AS (SELECT j.created_at, j.id, j.payload IS NOT NULL AS has_payload FROM jobs j WHERE j.event_id IN (SELECT id FROM batch)),
batch_keys AS (${BATCH_IDENTITY_KEYS}),
del_queue AS (DELETE FROM job_queue WHERE job_id IN (SELECT id FROM batch_jobs) RETURNING 1),
del_transitions AS (DELETE FROM job_transitions WHERE job_id IN (SELECT id FROM batch_jobs) RETURNING request IS NOT NULL AS has_request),
del_jobs AS (DELETE FROM jobs j USING batch_jobs b WHERE j.created_at = b.created_at AND j.id = b.id RETURNING b.has_payload),
del_dedupe AS (DELETE FROM event_dedupe d USING batch b WHERE d.source_id = b.source_id AND d.message_id = b.message_id RETURNING 1),
del_identities AS (DELETE FROM event_identities i USING batch_keys k WHERE i.identity = k.identity AND i.received_at = k.received_at AND i.event_id = k.id RETURNING 1),
del_violations AS (DELETE FROM violations v USING batch b WHERE v.event_id = b.id AND v.workspace_id = $1 RETURNING 1),
del_events AS (DELETE FROM events e USING batch b WHERE e.received_at = b.received_at AND e.id = b.id RETURNING 1)
SELECT (SELECT count(*) FROM del_events)::int AS events,
       (SELECT count(*) FROM del_jobs)::int AS jobs,
       (SELECT count(*) FROM del_jobs WHERE has_payload)::int AS job_payloads,
       (SELECT count(*) FROM del_queue)::int AS queued_jobs,
       (SELECT count(*) FROM del_transitions)::int AS transitions,
       (SELECT count(*) FROM del_transitions WHERE has_request)::int AS sent_requests,
       (SELECT count(*) FROM del_dedupe)::int AS dedupe_entries,
       (SELECT count(*) FROM del_identities)::int AS identity_rows,
       (SELECT count(*) FROM del_violations)::int AS violations,
       (SELECT count(*) FROM batch)::int AS selected`;

/** Events of the subject still there but held by a sending worker (the loop waits for them). */
export const COUNT_HELD_EVENTS = /* sql */ `SELECT count(*)::int AS held FROM (${SUBJECT_EVENTS}) s`;
