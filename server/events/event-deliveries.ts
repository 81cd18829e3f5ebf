/**
 * Where one event stands at each destination it was routed to: the newest job per
 * destination (a replay makes a new one) and that job's latest transition, or its place in
 * the queue when it has not been attempted yet. The debugger shows this next to the
 * routing decision, so "routed" is never mistaken for "delivered".
 *
 * A small read of its own until the traces read model (server/traces) serves it.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';
import type { TJobState } from '../queue/job-states.ts';

export const ZDeliveryStatus = z.enum(['delivered', 'retrying', 'queued', 'failed', 'archived', 'none']);
export type TDeliveryStatus = z.infer<typeof ZDeliveryStatus>;

export const ZEventDelivery = z.object({
  destinationId: z.string(),
  status: ZDeliveryStatus,
  /** Attempts made so far. */
  attempts: z.number(),
  statusCode: z.number().nullable(),
  errorCode: z.string().nullable(),
  /** When the latest attempt (or archive) happened. */
  at: z.date().nullable(),
  /** When the next attempt is due, for queued and retrying deliveries. */
  nextAttemptAt: z.date().nullable(),
});
export type TEventDelivery = z.infer<typeof ZEventDelivery>;

interface TRow {
  destinationId: string;
  state: TJobState | null;
  attempt: number | null;
  statusCode: number | null;
  errorCode: string | null;
  at: Date | null;
  retryAt: Date | null;
  queuedRunAt: Date | null;
  queuedAttempt: number | null;
}

function statusOf(row: TRow): TDeliveryStatus {
  if (row.queuedRunAt) return row.state === 'awaiting_retry' ? 'retrying' : 'queued';
  switch (row.state) {
    case 'succeeded': return 'delivered';
    case 'awaiting_retry': return 'retrying';
    case 'discarded': return 'failed';
    case 'archived': return 'archived';
    default: return 'none';
  }
}

export async function listEventDeliveries({ db, workspaceId, eventId }: { db: Db; workspaceId: string; eventId: string }): Promise<TEventDelivery[]> {
  const event = await db.event.findFirst({ where: { id: eventId, workspaceId }, select: { receivedAt: true } });
  if (!event) throw notFound('event');
  // Jobs are created with (or after) their event: created_at >= received_at prunes partitions.
  const rows = await db.$queryRaw<TRow[]>`
    SELECT DISTINCT ON (j.destination_id)
      j.destination_id::text AS "destinationId", t.state, t.attempt, t.status_code AS "statusCode", t.error_code AS "errorCode",
      t.at, t.retry_at AS "retryAt", q.run_at AS "queuedRunAt", q.attempt AS "queuedAttempt"
    FROM jobs j
    LEFT JOIN LATERAL (
      SELECT tt.state, tt.attempt, tt.status_code, tt.error_code, tt.at, tt.retry_at
      FROM job_transitions tt
      WHERE tt.job_id = j.id AND tt.state <> ${'replayed' satisfies TJobState}
      ORDER BY tt.at DESC, tt.attempt DESC
      LIMIT 1
    ) t ON true
    LEFT JOIN job_queue q ON q.job_id = j.id
    WHERE j.workspace_id = ${workspaceId}::uuid AND j.event_id = ${eventId}::uuid AND j.created_at >= ${event.receivedAt}
    ORDER BY j.destination_id, j.created_at DESC`;
  return rows.map((row) => ({
    destinationId: row.destinationId,
    status: statusOf(row),
    attempts: row.attempt ?? row.queuedAttempt ?? 0,
    statusCode: row.statusCode,
    errorCode: row.errorCode,
    at: row.at,
    nextAttemptAt: row.queuedRunAt ?? null,
  }));
}
