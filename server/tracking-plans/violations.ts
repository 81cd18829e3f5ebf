/**
 * The violations page's read: a plan's violations over the last 7 days grouped by event and
 * kind, with counts over 1 h / 24 h / 7 d, a sparkline of counts per 6 hours, the paths
 * involved, how many of their events are still blocked and how many a replay of blocked
 * events released since, and the latest example events (to open in the trace).
 * One pass over the plan's violation rows of the week (index on plan and time); events are
 * never read.
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
  /** True while some of the group's events are still blocked (there is something to replay). */
  isBlocked: z.boolean(),
  /** Events of the group still blocked (stored, not delivered). */
  blocked: z.number(),
  /** Events of the group the tracking plan blocked at ingest that a replay of blocked events released since. */
  released: z.number(),
  /** When the latest of them was released; null when none was. */
  lastReleasedAt: z.date().nullable(),
  lastSeen: z.date(),
  exampleEventIds: z.array(z.string()),
  /** Counts per 6-hour bucket over the 7 days, oldest first (SERIES_BUCKETS of them; the last ends now). */
  series: z.array(z.number()),
});
export type TViolationGroup = z.infer<typeof ZViolationGroup>;

/** The sparkline: 28 buckets of 6 hours = the 7 days the page shows. */
export const SERIES_BUCKETS = 28;
const BUCKET_SECONDS = 6 * 3600;

interface TRow {
  event: string;
  kind: string;
  last_hour: number;
  last_day: number;
  last_week: number;
  paths: string[];
  message: string;
  is_blocked: boolean;
  blocked: number;
  released: number;
  last_released_at: Date | null;
  last_seen: Date;
  examples: string[];
  /** Bucket (0 = the latest 6 hours) → count. */
  buckets: Record<string, number> | null;
}

function seriesOf(buckets: Record<string, number> | null): number[] {
  const series = new Array<number>(SERIES_BUCKETS).fill(0);
  for (const [bucket, count] of Object.entries(buckets ?? {})) series[SERIES_BUCKETS - 1 - Number(bucket)] = count;
  return series;
}

export async function listViolations({ db, workspaceId, trackingPlanId, sourceId }: { db: Db; workspaceId: string; trackingPlanId: string; sourceId?: string }): Promise<{ data: TViolationGroup[]; nextCursor: null }> {
  const plan = await db.trackingPlan.findFirst({ where: { id: trackingPlanId, workspaceId }, select: { id: true } });
  if (!plan) throw notFound('tracking plan');
  const rows = await db.$queryRaw<TRow[]>`
    WITH week AS (
      SELECT coalesce(event_name, event_type) AS event, kind, path, message, event_received_at, event_id, released_at,
             is_blocked AND released_at IS NULL AS is_blocked_now,
             greatest(0, least(${SERIES_BUCKETS - 1}, floor(extract(epoch FROM now() - event_received_at) / ${BUCKET_SECONDS})))::int AS bucket
        FROM violations
       WHERE workspace_id = ${workspaceId}::uuid AND tracking_plan_id = ${trackingPlanId}::uuid
         AND event_received_at > now() - interval '7 days'
         AND (${sourceId ?? null}::uuid IS NULL OR source_id = ${sourceId ?? null}::uuid)
    ),
    per_bucket AS (
      SELECT event, kind, json_object_agg(bucket, n) AS buckets
        FROM (SELECT event, kind, bucket, count(*)::int AS n FROM week GROUP BY 1, 2, 3) b
       GROUP BY 1, 2
    ),
    groups AS (
      SELECT event, kind,
             (count(*) FILTER (WHERE event_received_at > now() - interval '1 hour'))::int AS last_hour,
             (count(*) FILTER (WHERE event_received_at > now() - interval '24 hours'))::int AS last_day,
             count(*)::int AS last_week,
             (array_agg(DISTINCT path))[1:10] AS paths,
             (array_agg(message ORDER BY event_received_at DESC))[1] AS message,
             bool_or(is_blocked_now) AS is_blocked,
             (count(DISTINCT event_id) FILTER (WHERE is_blocked_now))::int AS blocked,
             (count(DISTINCT event_id) FILTER (WHERE released_at IS NOT NULL))::int AS released,
             max(released_at) AS last_released_at,
             max(event_received_at) AS last_seen,
             (array_agg(event_id::text ORDER BY event_received_at DESC))[1:3] AS examples
        FROM week
       GROUP BY 1, 2
       ORDER BY last_week DESC, event, kind
       LIMIT 500
    )
    SELECT g.*, b.buckets
      FROM groups g JOIN per_bucket b ON b.event = g.event AND b.kind = g.kind
     ORDER BY g.last_week DESC, g.event, g.kind`;
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
      blocked: row.blocked,
      released: row.released,
      lastReleasedAt: row.last_released_at,
      lastSeen: row.last_seen,
      exampleEventIds: row.examples,
      series: seriesOf(row.buckets),
    })),
    nextCursor: null,
  };
}
