/**
 * The ingest write: one statement (one round trip, one commit) that records the messageIds
 * as seen, stores the events that were not seen before, and writes one immutable job plus
 * one due-work row per (stored event, selected destination); a job carries its own payload
 * only when a destination filter changed the event for its destination. It returns the duplicates.
 * It also stores the tracking-plan violations of the stored events.
 * $1 is a JSON array of event rows, $2 of job rows, $3 of violation rows (see writer.ts).
 */
export const INSERT_EVENTS = /* sql */ `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    id uuid, workspace_id uuid, source_id uuid, message_id text, type text, name text,
    user_id text, anonymous_id text, received_at timestamptz, sent_at timestamptz,
    original_timestamp timestamptz, "timestamp" timestamptz, payload jsonb, pipeline jsonb)
),
fresh AS (
  INSERT INTO event_dedupe (source_id, message_id, received_at)
  SELECT source_id, message_id, received_at FROM input
  ON CONFLICT DO NOTHING
  RETURNING source_id, message_id
),
stored AS (
  INSERT INTO events (id, workspace_id, source_id, message_id, type, name, user_id, anonymous_id,
                      received_at, sent_at, original_timestamp, "timestamp", payload, pipeline)
  SELECT i.id, i.workspace_id, i.source_id, i.message_id, i.type, i.name, i.user_id, i.anonymous_id,
         i.received_at, i.sent_at, i.original_timestamp, i."timestamp", i.payload, i.pipeline
    FROM input i JOIN fresh f ON f.source_id = i.source_id AND f.message_id = i.message_id
  RETURNING id
),
job_input AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS j(
    id uuid, created_at timestamptz, workspace_id uuid, source_id uuid, destination_id uuid,
    event_id uuid, event_received_at timestamptz, expire_at timestamptz, payload jsonb)
),
new_jobs AS (
  INSERT INTO jobs (id, created_at, workspace_id, source_id, destination_id, event_id, event_received_at, expire_at, payload)
  SELECT j.id, j.created_at, j.workspace_id, j.source_id, j.destination_id, j.event_id, j.event_received_at, j.expire_at, j.payload
    FROM job_input j JOIN stored s ON s.id = j.event_id
  RETURNING id, created_at, destination_id, source_id
),
queued AS (
  INSERT INTO job_queue (job_id, job_created_at, destination_id, source_id, run_at)
  SELECT id, created_at, destination_id, source_id, created_at FROM new_jobs
  RETURNING job_id
),
violated AS (
  INSERT INTO violations (workspace_id, tracking_plan_id, plan_version, source_id, event_id, event_received_at, event_type, event_name, kind, path, rule, message, is_blocked)
  SELECT v.workspace_id, v.tracking_plan_id, v.plan_version, v.source_id, v.event_id, v.event_received_at, v.event_type, v.event_name, v.kind, v.path, v.rule, v.message, v.is_blocked
    FROM jsonb_to_recordset($3::jsonb) AS v(
      workspace_id uuid, tracking_plan_id uuid, plan_version int, source_id uuid, event_id uuid, event_received_at timestamptz,
      event_type text, event_name text, kind text, path text, rule text, message text, is_blocked boolean)
    JOIN stored s ON s.id = v.event_id
  RETURNING 1
)
SELECT i.id AS duplicate_event_id
  FROM input i
 WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.source_id = i.source_id AND f.message_id = i.message_id)
`;
