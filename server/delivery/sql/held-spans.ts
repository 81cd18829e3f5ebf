import type { Db } from '../../db/client.ts';

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

/**
 * The spans no job can still need, dropped (run by the worker's maintenance, main.ts): a
 * partner that answers with Retry-After all the time adds a span per pause, so they would
 * grow without end. A job created at `c` is credited H(now) − H(c), and H(c) reads only the
 * latest span started at or before `c` (its running sum carries everything before it). So
 * for each destination the spans before the latest one started at or before the cutoff
 * can go, where the cutoff is the oldest of: its oldest job still queued (a held
 * destination keeps jobs longer than their windows), and now less `keepSeconds` (the
 * longest retry window: the trace shows how far ended jobs' windows were extended, and a
 * job being inserted now may be stamped a little in the past). The spans kept are not
 * rewritten, so every credit they give stays exactly what it was; the trace reads an
 * older job's credit as unknown (held-time.ts heldCreditOfEndedSql).
 * $1 keepSeconds. Returns the number of spans dropped.
 */
const PRUNE_HELD_SPANS = /* sql */ `
WITH candidates AS (
  -- Only destinations with a span older than what is kept anyway (nothing else can go).
  SELECT DISTINCT destination_id FROM destination_held_spans WHERE started_at < now() - make_interval(secs => $1::float8)
),
cut AS (
  -- LEAST ignores the NULL of a destination with nothing queued.
  SELECT c.destination_id,
         LEAST(now() - make_interval(secs => $1::float8), (SELECT min(q.job_created_at) FROM job_queue q WHERE q.destination_id = c.destination_id)) AS cutoff
    FROM candidates c
),
boundary AS (
  SELECT k.destination_id,
         (SELECT max(s.started_at) FROM destination_held_spans s WHERE s.destination_id = k.destination_id AND s.started_at <= k.cutoff) AS keep_from
    FROM cut k
),
dropped AS (
  DELETE FROM destination_held_spans s USING boundary b
   WHERE s.destination_id = b.destination_id AND s.started_at < b.keep_from
  RETURNING 1
)
SELECT count(*)::int AS n FROM dropped
`;

export async function pruneHeldSpans(db: Db, { keepSeconds }: { keepSeconds: number }): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ n: number }>>(PRUNE_HELD_SPANS, keepSeconds);
  return row.n;
}
