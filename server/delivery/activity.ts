/**
 * A destination's recent delivery activity, for its page: counts per outcome over the last
 * hour (from the per-minute rollups, never from raw attempts), what waits in its queue,
 * and its latest attempts with status codes (from the transition log).
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';

export const ZDestinationActivity = z.object({
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
  const destination = await db.destination.findFirst({ where: { id: destinationId, workspaceId }, select: { id: true } });
  if (!destination) throw notFound('destination');
  const since = new Date(now.getTime() - 3_600_000);
  const [rollups, pending, retrying, recent] = await Promise.all([
    db.deliveryRollup.groupBy({ by: ['outcome'], where: { destinationId, minute: { gte: since } }, _sum: { count: true, latencySumMs: true } }),
    db.jobQueue.count({ where: { destinationId, attempt: 0 } }),
    db.jobQueue.count({ where: { destinationId, attempt: { gt: 0 } } }),
    db.jobTransition.findMany({ where: { destinationId }, orderBy: { at: 'desc' }, take: 20 }),
  ]);
  const count = (outcome: string) => rollups.find((r) => r.outcome === outcome)?._sum.count ?? 0;
  const attempts = rollups.reduce((sum, r) => sum + (r._sum.count ?? 0), 0);
  const latency = rollups.reduce((sum, r) => sum + Number(r._sum.latencySumMs ?? 0), 0);
  return {
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
