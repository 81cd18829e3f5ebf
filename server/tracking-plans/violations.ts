/**
 * The violations page's read: a plan's violations over the last 7 days grouped by event and
 * kind, with counts over 1 h / 24 h / 7 d, the paths involved, whether they were blocked,
 * and the latest example events (to open in the trace).
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';

export const ZViolationGroup = z.object({
  event: z.string(),
  kind: z.string(),
  lastHour: z.number(),
  lastDay: z.number(),
  lastWeek: z.number(),
  paths: z.array(z.string()),
  message: z.string(),
  isBlocked: z.boolean(),
  lastSeen: z.date(),
  exampleEventIds: z.array(z.string()),
});
export type TViolationGroup = z.infer<typeof ZViolationGroup>;

interface TRow {
  event: string;
  kind: string;
  last_hour: number;
  last_day: number;
  last_week: number;
  paths: string[];
  message: string;
  is_blocked: boolean;
  last_seen: Date;
  examples: string[];
}

export async function listViolations({ db, workspaceId, trackingPlanId, sourceId }: { db: Db; workspaceId: string; trackingPlanId: string; sourceId?: string }): Promise<{ data: TViolationGroup[]; nextCursor: null }> {
  const plan = await db.trackingPlan.findFirst({ where: { id: trackingPlanId, workspaceId }, select: { id: true } });
  if (!plan) throw notFound('tracking plan');
  const rows = await db.$queryRaw<TRow[]>`
    SELECT coalesce(event_name, event_type) AS event, kind,
           (count(*) FILTER (WHERE event_received_at > now() - interval '1 hour'))::int AS last_hour,
           (count(*) FILTER (WHERE event_received_at > now() - interval '24 hours'))::int AS last_day,
           count(*)::int AS last_week,
           (array_agg(DISTINCT path))[1:10] AS paths,
           (array_agg(message ORDER BY event_received_at DESC))[1] AS message,
           bool_or(is_blocked) AS is_blocked,
           max(event_received_at) AS last_seen,
           (array_agg(event_id::text ORDER BY event_received_at DESC))[1:3] AS examples
      FROM violations
     WHERE workspace_id = ${workspaceId}::uuid AND tracking_plan_id = ${trackingPlanId}::uuid
       AND event_received_at > now() - interval '7 days'
       AND (${sourceId ?? null}::uuid IS NULL OR source_id = ${sourceId ?? null}::uuid)
     GROUP BY 1, 2
     ORDER BY last_week DESC, event, kind
     LIMIT 500`;
  return {
    data: rows.map((row) => ({
      event: row.event,
      kind: row.kind,
      lastHour: row.last_hour,
      lastDay: row.last_day,
      lastWeek: row.last_week,
      paths: row.paths,
      message: row.message,
      isBlocked: row.is_blocked,
      lastSeen: row.last_seen,
      exampleEventIds: row.examples,
    })),
    nextCursor: null,
  };
}
