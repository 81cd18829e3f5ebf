/**
 * The ingest write: one statement (one round trip, one commit) that records the messageIds
 * as seen, stores the events that were not seen before, and writes one immutable job plus
 * one due-work row per (stored event, selected destination); a job carries its own payload
 * only when a destination filter changed the event for its destination. It also stores the
 * tracking-plan violations of the stored events, the stored events' identity rows for support
 * search, and the hour's ingest counters. It returns the duplicates.
 * The jobs are made here from each event's `jobs` (destination id, retry window, and a
 * payload only where a filter changed the event), not sent as rows: a job's other columns
 * are the event's, and its id is `uuidv7()`. They go in through the queue's one job insert
 * (server/queue/sql/insert-jobs.ts).
 * Run it through `insertEvents`.
 */
import type pg from 'pg';
import { insertJobsSql } from '../../queue/sql/insert-jobs.ts';

const INSERT_EVENTS = /* sql */ `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    id uuid, workspace_id uuid, source_id uuid, message_id text, type text, name text,
    user_id text, anonymous_id text, received_at timestamptz, sent_at timestamptz,
    original_timestamp timestamptz, "timestamp" timestamptz, payload jsonb, pipeline jsonb,
    client_ip text, user_agent text, as_sent jsonb, identities jsonb, skipped jsonb, jobs jsonb)
),
fresh AS (
  INSERT INTO event_dedupe (source_id, message_id, received_at)
  SELECT source_id, message_id, received_at FROM input
  ON CONFLICT DO NOTHING
  RETURNING source_id, message_id
),
stored AS (
  INSERT INTO events (id, workspace_id, source_id, message_id, type, name, user_id, anonymous_id,
                      received_at, sent_at, original_timestamp, "timestamp", payload, pipeline,
                      client_ip, user_agent, as_sent)
  SELECT i.id, i.workspace_id, i.source_id, i.message_id, i.type, i.name, i.user_id, i.anonymous_id,
         i.received_at, i.sent_at, i.original_timestamp, i."timestamp", i.payload, i.pipeline,
         i.client_ip, i.user_agent, i.as_sent
    FROM input i JOIN fresh f ON f.source_id = i.source_id AND f.message_id = i.message_id
  RETURNING id
),
identified AS (
  -- No ON CONFLICT: the event is new (its id was made for this flush) and the writer sends
  -- each of its identity keys once, so a row can never exist already; a speculative insert
  -- would cost an extra WAL record and index probe per row.
  INSERT INTO event_identities (identity, received_at, event_id)
  SELECT k.value::bigint, i.received_at, i.id
    FROM input i JOIN stored s ON s.id = i.id, jsonb_array_elements_text(i.identities) k
),
counted AS (
  INSERT INTO ingest_rollups AS r (source_id, hour, outcome, reason, destination_id, slot, count)
  SELECT source_id, hour, outcome, reason, destination_id, $4::int, sum(n)::int FROM (
    SELECT i.source_id, date_trunc('hour', i.received_at) AS hour,
           CASE WHEN i.pipeline ? 'droppedBy' THEN 'dropped' ELSE 'stored' END AS outcome,
           COALESCE(i.pipeline->>'droppedBy', '') AS reason, '' AS destination_id, 1 AS n
      FROM input i JOIN stored s ON s.id = i.id
    UNION ALL
    -- Destinations a stage left out ("skipped": [{ id, reason }], flattened by the writer).
    SELECT i.source_id, date_trunc('hour', i.received_at), 'skipped', sk->>'r', sk->>'d', 1
      FROM input i JOIN stored s ON s.id = i.id
      CROSS JOIN LATERAL jsonb_array_elements(i.skipped) sk
     WHERE i.skipped <> '[]'::jsonb
    UNION ALL
    SELECT source_id, date_trunc('hour', at), 'rejected', reason, '', n
      FROM jsonb_to_recordset($3::jsonb) AS x(source_id uuid, at timestamptz, reason text, n int)
  ) c
  GROUP BY source_id, hour, outcome, reason, destination_id
  ON CONFLICT (source_id, hour, outcome, reason, destination_id, slot) DO UPDATE SET count = r.count + excluded.count
  RETURNING 1
),
${insertJobsSql({
  name: 'new_jobs',
  // One per (stored event, destination), created when the event was received (search finds
  // ingest's jobs by created_at = the event's received_at).
  rows: `SELECT uuidv7(), i.received_at, i.workspace_id, i.source_id, j.destination_id, i.id, i.received_at,
         i.received_at + make_interval(secs => j.retry_window_s), j.payload
    FROM input i JOIN stored s ON s.id = i.id
    CROSS JOIN LATERAL jsonb_to_recordset(i.jobs) AS j(destination_id uuid, retry_window_s int, payload jsonb)`,
})},
violated AS (
  INSERT INTO violations (workspace_id, tracking_plan_id, plan_version, source_id, event_id, event_received_at, event_type, event_name, kind, path, rule, message, is_blocked)
  SELECT v.workspace_id, v.tracking_plan_id, v.plan_version, v.source_id, v.event_id, v.event_received_at, v.event_type, v.event_name, v.kind, v.path, v.rule, v.message, v.is_blocked
    FROM jsonb_to_recordset($2::jsonb) AS v(
      workspace_id uuid, tracking_plan_id uuid, plan_version int, source_id uuid, event_id uuid, event_received_at timestamptz,
      event_type text, event_name text, kind text, path text, rule text, message text, is_blocked boolean)
    JOIN stored s ON s.id = v.event_id
  RETURNING 1
)
SELECT i.id AS duplicate_event_id
  FROM input i
 WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.source_id = i.source_id AND f.message_id = i.message_id)
`;

/** Each argument is the JSON text of an array (writer.ts builds them by hand, on the hot path). */
export async function insertEvents(
  pool: pg.Pool,
  { events, violations, rejected, slot }: {
    /** Event rows (the `input` recordset above); `jobs`: [{ destination_id, retry_window_s, payload? }]. */
    events: string;
    /** Violation rows (the `violated` recordset). */
    violations: string;
    /** Refused-event counts: { source_id, at, reason, n }. */
    rejected: string;
    /** This flush's ingest_rollups counter slot; concurrent flushes never share one. */
    slot: number;
  },
): Promise<Array<{ duplicate_event_id: string }>> {
  return (await pool.query<{ duplicate_event_id: string }>(INSERT_EVENTS, [events, violations, rejected, slot])).rows;
}
