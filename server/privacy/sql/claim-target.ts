/**
 * The worker claims one regulation target whose lease is free (never leased, or its worker
 * died: the lease ran out), oldest request first, suppression before deletions (it cancels
 * the subject's queued jobs first), and counts the attempt. $1 the worker,
 * $2 the lease in seconds, $3 the most attempts before a target is failed, $4 the same for
 * targets that talk to others (destinations: partners; the archive: the S3 bucket), whose
 * outages can last an hour where our own database's cannot; $5 the lease of a destination's
 * target (at least a deletion call's timeout and a margin: privacy-runner.ts).
 */
export const CLAIM_TARGET = /* sql */ `
UPDATE regulation_targets t
   SET status = 'running', lease_owner = $1,
       -- A destination's target waits on a partner's answers: leased for longer ($5: the call's timeout and a margin).
       lease_expires_at = now() + make_interval(secs => CASE WHEN t.kind = 'destination' THEN $5::float8 ELSE $2::float8 END),
       attempts = t.attempts + 1, started_at = coalesce(t.started_at, now())
 WHERE t.id = (
   SELECT id FROM regulation_targets
    WHERE status IN ('pending', 'running') AND (lease_expires_at IS NULL OR lease_expires_at < now())
      AND attempts < CASE WHEN kind IN ('destination', 'archive') THEN $4::int ELSE $3::int END
    ORDER BY regulation_id, CASE kind WHEN 'suppression' THEN 0 WHEN 'event_store' THEN 1 WHEN 'archive' THEN 2 ELSE 3 END, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING t.id, t.regulation_id, t.kind, t.destination_id, t.attempts, t.receipt`;

/** Targets that ran out of attempts (their last worker kept failing or dying) are failed. $1 and $2 as $3 and $4 above. */
export const FAIL_EXHAUSTED = /* sql */ `
UPDATE regulation_targets SET status = 'failed', finished_at = now(), lease_owner = NULL,
       error = 'gave up after ' || attempts || ' attempts' || coalesce(': ' || error, '')
 WHERE status IN ('pending', 'running') AND attempts >= CASE WHEN kind IN ('destination', 'archive') THEN $2::int ELSE $1::int END
   AND (lease_expires_at IS NULL OR lease_expires_at < now())
RETURNING regulation_id`;

/** A regulation's status follows its targets'; the identifiers resolved for the work are dropped at the end. */
export const SETTLE_REGULATION = /* sql */ `
WITH counts AS (
  SELECT count(*) FILTER (WHERE status IN ('pending', 'running')) AS open,
         count(*) FILTER (WHERE status = 'failed') AS failed,
         count(*) FILTER (WHERE status IN ('finished', 'not_supported')) AS done,
         count(*) FILTER (WHERE status <> 'pending') AS started
    FROM regulation_targets WHERE regulation_id = $1
)
UPDATE regulations r
   SET status = CASE WHEN c.open > 0 THEN (CASE WHEN c.started > 0 THEN 'running' ELSE r.status END)
                     WHEN c.failed = 0 THEN 'finished'
                     WHEN c.done > 0 THEN 'partial_success'
                     ELSE 'failed' END,
       finished_at = CASE WHEN c.open = 0 THEN coalesce(r.finished_at, now()) END,
       resolved_identities = CASE WHEN c.open = 0 THEN NULL ELSE r.resolved_identities END
  FROM counts c
 WHERE r.id = $1`;
