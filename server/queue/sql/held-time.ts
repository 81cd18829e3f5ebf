/**
 * How long a destination was held (destination_held_spans, migration 0015) up to a moment,
 * as SQL: the running sum before the latest span started at or before it, plus the part of
 * that span before it. A job's retry window is credited with H(now) − H(its created_at)
 * (the time its destination was held since the job was created), so a hold or a Retry-After
 * pause never uses up the window of the jobs waiting behind it.
 * Null when the destination was never held.
 */
export function heldMsAtSql(destinationId: string, at: string): string {
  return /* sql */ `(
    SELECT hs.held_before_ms + GREATEST(0, extract(epoch FROM LEAST(${at}, COALESCE(hs.ended_at, ${at})) - hs.started_at) * 1000)
      FROM destination_held_spans hs
     WHERE hs.destination_id = ${destinationId} AND hs.started_at <= ${at}
     ORDER BY hs.started_at DESC
     LIMIT 1
  )`;
}

/**
 * The credit (ms) of a job created at `createdAt`, given `heldNowMs` = heldMsAtSql(destination,
 * now()): nothing for a destination never held (no lookup per job then).
 */
export function heldCreditMsSql({ heldNowMs, destinationId, createdAt }: { heldNowMs: string; destinationId: string; createdAt: string }): string {
  return /* sql */ `CASE WHEN ${heldNowMs} IS NULL THEN 0 ELSE ${heldNowMs} - COALESCE(${heldMsAtSql(destinationId, createdAt)}, 0) END`;
}

/**
 * How long a destination was held between `from` (a job's created_at) and `to` (now for a
 * job still queued, else when it ended), in ms: what its retry window was extended by. Null
 * when no longer known: spans from before `from` were pruned (held-spans.ts keeps those any
 * queued job or any job of the last 7 days can need), which the earliest span kept shows by
 * carrying a running sum from before it.
 */
export function heldCreditBetweenSql({ destinationId, from, to }: { destinationId: string; from: string; to: string }): string {
  return /* sql */ `(
    SELECT CASE WHEN f.held_ms IS NULL AND COALESCE(first.held_before_ms, 0) > 0 THEN NULL
                ELSE GREATEST(0, COALESCE(${heldMsAtSql(destinationId, to)}, 0) - COALESCE(f.held_ms, 0)) END
      FROM (SELECT ${heldMsAtSql(destinationId, from)} AS held_ms) f
      LEFT JOIN LATERAL (
        SELECT hs.held_before_ms FROM destination_held_spans hs WHERE hs.destination_id = ${destinationId} ORDER BY hs.started_at LIMIT 1
      ) first ON true
  )`;
}
