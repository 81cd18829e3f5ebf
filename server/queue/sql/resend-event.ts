/**
 * Re-sends one event to one destination as a new job (the trace shows it as a replay): the
 * previous job of that pair, if any, gets a `replayed` transition, and the hour is marked in
 * the destination's hourly rollups (replay-marks.ts). Nothing happens while the previous job
 * is still queued (it will be tried anyway).
 */
import type { Prisma } from '../../db/generated/client.ts';
import { sqlStates } from '../job-states.ts';
import { insertJobsSql } from './insert-jobs.ts';
import { replayMarkSql } from './replay-marks.ts';

/** $1 event id, $2 destination, $3 event receivedAt, $4 workspace, $5 source, $6 retry window (s), $7 note. */
const RESEND_EVENT = /* sql */ `
WITH prev AS (
  SELECT j.id, j.created_at, j.destination_id, j.source_id
    FROM jobs j
   WHERE j.event_id = $1 AND j.destination_id = $2 AND j.created_at >= $3
   ORDER BY j.created_at DESC
   LIMIT 1
),
busy AS (
  SELECT 1 FROM prev JOIN job_queue q ON q.job_id = prev.id
),
${insertJobsSql({
  name: 'fresh',
  rows: `SELECT gen_random_uuid(), now(), $4::uuid, $5::uuid, $2::uuid, $1::uuid, $3::timestamptz, now() + make_interval(secs => $6), NULL::jsonb
   WHERE NOT EXISTS (SELECT 1 FROM busy)`,
})},
traced AS (
  INSERT INTO job_transitions (job_id, job_created_at, destination_id, source_id, attempt, state, at, response_excerpt)
  SELECT prev.id, prev.created_at, prev.destination_id, prev.source_id,
         COALESCE((SELECT max(t.attempt) FROM job_transitions t WHERE t.job_id = prev.id AND t.at >= $3), 0),
         ${sqlStates('replayed')}, now(), $7
    FROM prev, fresh
  ON CONFLICT DO NOTHING
  RETURNING 1
),
${replayMarkSql({ name: 'marked', rows: 'SELECT destination_id FROM fresh' })}
SELECT (SELECT job_id FROM fresh_queued) AS job_id, EXISTS (SELECT 1 FROM busy) AS is_busy
`;

/** In `tx`: the new job's id, or null and whether the previous job is still queued. */
export async function resendEventJob(
  tx: Prisma.TransactionClient,
  { eventId, eventReceivedAt, destinationId, workspaceId, sourceId, retryWindowSeconds, note }: {
    eventId: string;
    eventReceivedAt: Date;
    destinationId: string;
    workspaceId: string;
    sourceId: string;
    retryWindowSeconds: number;
    /** The `replayed` transition's text, e.g. "re-sent by …". */
    note: string;
  },
): Promise<{ jobId: string | null; isBusy: boolean }> {
  const [row] = await tx.$queryRawUnsafe<Array<{ job_id: string | null; is_busy: boolean }>>(RESEND_EVENT, eventId, destinationId, eventReceivedAt, workspaceId, sourceId, retryWindowSeconds, note);
  return { jobId: row?.job_id ?? null, isBusy: row?.is_busy ?? false };
}
