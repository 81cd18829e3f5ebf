/**
 * Keeps destination_held_spans (migration 0015) in step with destination_flow: written by
 * the flow tracker in the transaction that changes the flow rows, under their row locks.
 * For each destination whose state was or is held: a span still running at `at` (the time
 * of the change, the flow row's db_now) is given its new end (the pause's end, null until
 * further notice, or `at` when it is no longer held); a destination held with no running
 * span starts one at `at`, its running sum carried on.
 * $1 JSON array of { destination_id, at, is_held, until, reason }.
 */
export const WRITE_HELD_SPANS = /* sql */ `
WITH x AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(destination_id uuid, at timestamptz, is_held boolean, until timestamptz, reason text)
),
latest AS (
  SELECT x.*, s.started_at, s.ended_at, s.held_before_ms
    FROM x
    LEFT JOIN LATERAL (
      SELECT started_at, ended_at, held_before_ms FROM destination_held_spans s
       WHERE s.destination_id = x.destination_id
       ORDER BY s.started_at DESC
       LIMIT 1
    ) s ON true
),
running AS (
  UPDATE destination_held_spans s
     SET ended_at = CASE WHEN l.is_held THEN l.until ELSE l.at END
    FROM latest l
   WHERE s.destination_id = l.destination_id AND s.started_at = l.started_at
     AND (l.ended_at IS NULL OR l.ended_at > l.at)
  RETURNING 1
)
INSERT INTO destination_held_spans (destination_id, started_at, ended_at, held_before_ms, reason)
SELECT l.destination_id, l.at, l.until,
       COALESCE(l.held_before_ms + extract(epoch FROM l.ended_at - l.started_at) * 1000, 0), l.reason
  FROM latest l
 WHERE l.is_held AND (l.started_at IS NULL OR (l.ended_at IS NOT NULL AND l.ended_at <= l.at))
ON CONFLICT (destination_id, started_at) DO UPDATE SET ended_at = excluded.ended_at
`;
