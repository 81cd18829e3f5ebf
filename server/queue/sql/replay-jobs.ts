/**
 * A replay: for each job of one destination created in [from, to] whose latest state is one
 * of `states` (archived, discarded) and that is not queued any more, a new job for the same
 * event (and, when a filter changed it for this destination, the same changed payload) goes
 * into the queue, and the old job gets a `replayed` transition naming the replay — so the
 * trace shows both, and the hour is marked in the destination's hourly rollups (replay-marks.ts)
 * so the support search finds the new jobs however late the replay. Events of suppressed
 * subjects are skipped.
 */
import type { Prisma } from '../../db/generated/client.ts';
import { sqlStates, type TJobState } from '../job-states.ts';
import { insertJobsSql } from './insert-jobs.ts';
import { replayMarkSql } from './replay-marks.ts';

const REPLAY_JOBS = /* sql */ `
WITH latest AS (
  SELECT DISTINCT ON (t.job_id) t.job_id, t.job_created_at, t.state, t.attempt
    FROM job_transitions t
   WHERE t.destination_id = $1 AND t.job_created_at >= $2 AND t.job_created_at <= $3
   ORDER BY t.job_id, t.at DESC
),
chosen AS (
  SELECT j.*, l.attempt AS last_attempt
    -- By the jobs' primary key (created_at, id): jobs has no index by destination.
    FROM latest l JOIN jobs j ON j.created_at = l.job_created_at AND j.id = l.job_id
   WHERE l.state = ANY($4::text[]) AND j.destination_id = $1 AND j.created_at >= $2 AND j.created_at <= $3
     AND NOT EXISTS (SELECT 1 FROM job_queue q WHERE q.job_id = j.id)
     -- Never re-send an event of a suppressed subject (privacy requests, issue 11); deleted
     -- subjects' jobs are gone with their events.
     AND NOT EXISTS (
       SELECT 1 FROM events e JOIN suppressions s ON s.workspace_id = e.workspace_id
        WHERE e.id = j.event_id AND e.received_at = j.event_received_at
          AND ((s.subject_type = 'USER_ID' AND s.subject_id = e.user_id) OR (s.subject_type = 'ANONYMOUS_ID' AND s.subject_id = e.anonymous_id)))
   LIMIT $7
),
${insertJobsSql({
  name: 'fresh',
  rows: `SELECT gen_random_uuid(), now(), workspace_id, source_id, destination_id, event_id, event_received_at, now() + make_interval(secs => $5), payload
    FROM chosen`,
})},
traced AS (
  INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, response_excerpt)
  SELECT id, created_at, destination_id, source_id, last_attempt, ${sqlStates('replayed')}, now(), 'replay ' || $6
    FROM chosen
  ON CONFLICT DO NOTHING
  RETURNING 1
),
${replayMarkSql({ name: 'marked', rows: 'SELECT destination_id FROM fresh' })}
SELECT (SELECT count(*) FROM fresh_queued)::int AS queued
`;

/** Queues the replay's jobs in `tx` (the caller audits in the same transaction); returns how many. */
export async function replayJobs(
  tx: Prisma.TransactionClient,
  { destinationId, from, to, states, retryWindowSeconds, replayId, limit }: {
    destinationId: string;
    /** Job creation time range, inclusive. */
    from: Date;
    to: Date;
    /** Latest states of the jobs to re-send. */
    states: readonly TJobState[];
    /** The new jobs' retry window. */
    retryWindowSeconds: number;
    /** Named in the old jobs' `replayed` transitions. */
    replayId: string;
    /** The most jobs one replay takes. */
    limit: number;
  },
): Promise<number> {
  const rows = await tx.$queryRawUnsafe<Array<{ queued: number }>>(REPLAY_JOBS, destinationId, from, to, states, retryWindowSeconds, replayId, limit);
  return rows[0]?.queued ?? 0;
}
