/**
 * The workspace home page's reads: events received and delivered per hour over the last
 * 24 hours, and the destinations that need a person's attention. Delivery figures come from
 * the per-minute rollups (never from raw attempts), received counts from the events' source
 * index, the queue from its small due-work table. Kept to this one function so it can move
 * onto the traces read model (server/traces) when that serves the same figures.
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { describeDeliveryStatus } from '../queue/flow-status.ts';
import { FAILED_STATES, type TJobState } from '../queue/job-states.ts';
import { resolveDeliveryTuning } from '../destinations/delivery-tuning.ts';

const HOUR_MS = 3_600_000;
/** A queue whose oldest due work waits longer than this is falling behind. */
export const QUEUE_BEHIND_MS = 5 * 60_000;

export const ZAttentionReason = z.object({
  kind: z.enum(['paused', 'held', 'rate_limited', 'probing', 'failing', 'retrying', 'queue_behind']),
  text: z.string(),
});

export const ZWorkspaceOverview = z.object({
  since: z.date(),
  hours: z.array(z.object({ hour: z.date(), received: z.number(), delivered: z.number(), failed: z.number() })),
  totals: z.object({ received: z.number(), delivered: z.number(), failed: z.number() }),
  sourceCount: z.number(),
  destinationCount: z.number(),
  attention: z.array(z.object({ destinationId: z.string(), name: z.string(), sourceName: z.string(), reasons: z.array(ZAttentionReason) })),
});
export type TWorkspaceOverview = z.infer<typeof ZWorkspaceOverview>;
type TReason = z.infer<typeof ZAttentionReason>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export async function getWorkspaceOverview({ db, workspaceId, now = new Date() }: { db: Db; workspaceId: string; now?: Date }): Promise<TWorkspaceOverview> {
  const firstHour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - 23 * HOUR_MS);
  const lastHour = new Date(now.getTime() - HOUR_MS);
  const [sources, destinations] = await Promise.all([
    db.source.findMany({ where: { workspaceId }, select: { id: true } }),
    db.destination.findMany({ where: { workspaceId }, select: { id: true, name: true, enabled: true, delivery: true, updatedAt: true, flow: true, source: { select: { name: true } } }, orderBy: { createdAt: 'asc' } }),
  ]);
  const sourceIds = sources.map((s) => s.id);
  const destinationIds = destinations.map((d) => d.id);
  const [received, delivered, recent, queues] = await Promise.all([
    sourceIds.length === 0
      ? []
      : db.$queryRaw<Array<{ hour: Date; count: bigint }>>`
          SELECT date_trunc('hour', received_at) AS hour, count(*) AS count
          FROM events WHERE source_id = ANY(${sourceIds}::uuid[]) AND received_at >= ${firstHour}
          GROUP BY 1`,
    destinationIds.length === 0
      ? []
      : db.$queryRaw<Array<{ hour: Date; delivered: bigint; failed: bigint }>>`
          SELECT date_trunc('hour', minute) AS hour,
            coalesce(sum(count) FILTER (WHERE outcome = ${'succeeded' satisfies TJobState}), 0) AS delivered,
            coalesce(sum(count) FILTER (WHERE outcome = ANY(${FAILED_STATES}::text[])), 0) AS failed
          FROM delivery_rollups WHERE destination_id = ANY(${destinationIds}::uuid[]) AND minute >= ${firstHour}
          GROUP BY 1`,
    destinationIds.length === 0
      ? []
      : db.$queryRaw<Array<{ destinationId: string; delivered: bigint; retried: bigint; failed: bigint }>>`
          SELECT destination_id::text AS "destinationId",
            coalesce(sum(count) FILTER (WHERE outcome = ${'succeeded' satisfies TJobState}), 0) AS delivered,
            coalesce(sum(count) FILTER (WHERE outcome = ${'awaiting_retry' satisfies TJobState}), 0) AS retried,
            coalesce(sum(count) FILTER (WHERE outcome = ANY(${FAILED_STATES}::text[])), 0) AS failed
          FROM delivery_rollups WHERE destination_id = ANY(${destinationIds}::uuid[]) AND minute >= ${lastHour}
          GROUP BY 1`,
    destinationIds.length === 0
      ? []
      : db.$queryRaw<Array<{ destinationId: string; waiting: bigint; oldestDue: Date }>>`
          SELECT destination_id::text AS "destinationId", count(*) AS waiting, min(run_at) AS "oldestDue"
          FROM job_queue WHERE destination_id = ANY(${destinationIds}::uuid[])
          GROUP BY 1`,
  ]);

  const byHour = new Map<number, { received: number; delivered: number; failed: number }>();
  for (let i = 0; i < 24; i += 1) byHour.set(firstHour.getTime() + i * HOUR_MS, { received: 0, delivered: 0, failed: 0 });
  for (const row of received) {
    const bucket = byHour.get(row.hour.getTime());
    if (bucket) bucket.received = Number(row.count);
  }
  for (const row of delivered) {
    const bucket = byHour.get(row.hour.getTime());
    if (bucket) Object.assign(bucket, { delivered: Number(row.delivered), failed: Number(row.failed) });
  }
  const hours = [...byHour].map(([hour, counts]) => ({ hour: new Date(hour), ...counts }));

  const recentBy = new Map(recent.map((r) => [r.destinationId, r]));
  const queueBy = new Map(queues.map((q) => [q.destinationId, q]));
  const attention = destinations.flatMap((destination) => {
    const reasons: TReason[] = [];
    const last = recentBy.get(destination.id);
    const queue = queueBy.get(destination.id);
    if (!destination.enabled) reasons.push({ kind: 'paused', text: 'Paused: disabled, events for it are not delivered' });
    // What the worker is doing to it right now (held settings, a partner's Retry-After, an open breaker), in the words of its page.
    const status = describeDeliveryStatus({ flow: destination.flow, tuning: resolveDeliveryTuning(destination.delivery), settingsAt: destination.updatedAt, now });
    if (status.state === 'held') reasons.push({ kind: 'held', text: status.message });
    else if (status.state === 'paused') reasons.push({ kind: 'rate_limited', text: status.message });
    else if (status.state === 'probing') reasons.push({ kind: 'probing', text: status.message });
    const failed = Number(last?.failed ?? 0);
    const retried = Number(last?.retried ?? 0);
    const ok = Number(last?.delivered ?? 0);
    if (failed > 0) reasons.push({ kind: 'failing', text: `${plural(failed, 'delivery', 'deliveries')} failed in the last hour` });
    if (retried > 0 && retried >= ok) reasons.push({ kind: 'retrying', text: `${plural(retried, 'attempt')} to retry and ${ok} delivered in the last hour` });
    if (queue && now.getTime() - queue.oldestDue.getTime() > QUEUE_BEHIND_MS) {
      const minutes = Math.round((now.getTime() - queue.oldestDue.getTime()) / 60_000);
      reasons.push({ kind: 'queue_behind', text: `Queue falling behind: ${plural(Number(queue.waiting), 'event')} waiting, the oldest due ${minutes} min ago` });
    }
    return reasons.length ? [{ destinationId: destination.id, name: destination.name, sourceName: destination.source.name, reasons }] : [];
  });

  return {
    since: firstHour,
    hours,
    totals: hours.reduce((sum, h) => ({ received: sum.received + h.received, delivered: sum.delivered + h.delivered, failed: sum.failed + h.failed }), { received: 0, delivered: 0, failed: 0 }),
    sourceCount: sources.length,
    destinationCount: destinations.length,
    attention,
  };
}
