/**
 * A destination's recent delivery activity, for its page: counts per outcome over the last
 * hour (from the per-minute rollups, never from raw attempts), what waits in its queue,
 * its latest attempts with status codes (from the transition log), and what is happening
 * to its deliveries right now (flow-status.ts: held, paused, probing, the current limits).
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { resolveDeliveryTuning } from '../destinations/delivery-tuning.ts';
import { notFound } from '../errors/app-error.ts';
import { describeDeliveryStatus, ZDeliveryStatus } from './flow-status.ts';
import type { TJobState } from './job-states.ts';

export const ZDestinationActivity = z.object({
  status: ZDeliveryStatus,
  lastHour: z.object({ delivered: z.number(), retried: z.number(), discarded: z.number(), archived: z.number(), avgLatencyMs: z.number().nullable() }),
  queue: z.object({ pending: z.number(), retrying: z.number() }),
  recentAttempts: z.array(
    z.object({
      jobId: z.string(),
      attempt: z.number(),
      state: z.string(),
      at: z.date(),
      statusCode: z.number().nullable(),
      errorCode: z.string().nullable(),
      latencyMs: z.number().nullable(),
      responseExcerpt: z.string().nullable(),
      /** The answer in words, as the destination type read it. */
      explanation: z.string().nullable(),
      retryAt: z.date().nullable(),
    }),
  ),
});

export type TDestinationActivity = z.infer<typeof ZDestinationActivity>;

export async function getDestinationActivity({ db, workspaceId, destinationId, now = new Date() }: { db: Db; workspaceId: string; destinationId: string; now?: Date }): Promise<TDestinationActivity> {
  const destination = await db.destination.findFirst({ where: { id: destinationId, workspaceId }, select: { id: true, delivery: true, updatedAt: true, flow: true } });
  if (!destination) throw notFound('destination');
  const since = new Date(now.getTime() - 3_600_000);
  const [rollups, pending, retrying, recent, nextDue] = await Promise.all([
    db.deliveryRollup.groupBy({ by: ['outcome'], where: { destinationId, minute: { gte: since } }, _sum: { count: true, latencySumMs: true } }),
    db.jobQueue.count({ where: { destinationId, attempt: 0 } }),
    db.jobQueue.count({ where: { destinationId, attempt: { gt: 0 } } }),
    db.jobTransition.findMany({ where: { destinationId }, orderBy: { at: 'desc' }, take: 20 }),
    db.jobQueue.findFirst({ where: { destinationId, leaseOwner: null }, orderBy: { runAt: 'asc' }, select: { runAt: true } }),
  ]);
  const count = (outcome: TJobState) => rollups.find((r) => r.outcome === outcome)?._sum.count ?? 0;
  const attempts = rollups.reduce((sum, r) => sum + (r._sum.count ?? 0), 0);
  const latency = rollups.reduce((sum, r) => sum + Number(r._sum.latencySumMs ?? 0), 0);
  return {
    status: describeDeliveryStatus({ flow: destination.flow, tuning: resolveDeliveryTuning(destination.delivery), settingsAt: destination.updatedAt, nextDueAt: nextDue?.runAt ?? null, now }),
    lastHour: { delivered: count('succeeded'), retried: count('awaiting_retry'), discarded: count('discarded'), archived: count('archived'), avgLatencyMs: attempts ? Math.round(latency / attempts) : null },
    queue: { pending, retrying },
    recentAttempts: recent.map((t) => ({
      jobId: t.jobId,
      attempt: t.attempt,
      state: t.state,
      at: t.at,
      statusCode: t.statusCode,
      errorCode: t.errorCode,
      latencyMs: t.latencyMs,
      responseExcerpt: t.responseExcerpt,
      explanation: t.explanation,
      retryAt: t.retryAt,
    })),
  };
}
