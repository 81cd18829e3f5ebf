/**
 * Status-code charts (Segment's "day of HTTP responses" for one destination or a whole
 * workspace): codes and network-error classes over time, first-attempt against eventual
 * success, successes by attempt number, latency percentiles from the rollups' histograms,
 * and the most common answers per failing code with example events.
 */
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';
import { addHistograms, LATENCY_BUCKETS, percentileMs } from './latency-buckets.ts';
import type { TRange, TStats } from './schemas.ts';
import { RECENT_FAILURES, rollupSeriesSql } from './sql/stats.ts';

interface TRangePlan {
  ms: number;
  table: 'delivery_rollups' | 'delivery_rollups_hourly';
  bucketSeconds: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const RANGE_PLANS: Record<TRange, TRangePlan> = {
  '1h': { ms: HOUR, table: 'delivery_rollups', bucketSeconds: 60 },
  '24h': { ms: 24 * HOUR, table: 'delivery_rollups', bucketSeconds: 15 * 60 },
  '7d': { ms: 7 * 24 * HOUR, table: 'delivery_rollups_hourly', bucketSeconds: 3 * 3600 },
  '30d': { ms: 30 * 24 * HOUR, table: 'delivery_rollups_hourly', bucketSeconds: 12 * 3600 },
};

interface TSeriesRow {
  t: Date;
  outcome: string;
  status_code: number;
  error_code: string;
  attempt: number;
  count: number;
  [bucket: `b${number}`]: number;
}

/** The first bucket's start: `from` aligned down to the bucket width (UTC). */
export function rangeStart(range: TRange, now: Date): Date {
  const plan = RANGE_PLANS[range];
  const width = plan.bucketSeconds * 1000;
  return new Date(Math.floor((now.getTime() - plan.ms) / width) * width + width);
}

function keyOf(row: { status_code: number; error_code: string }): string {
  return row.status_code > 0 ? String(row.status_code) : row.error_code || 'unknown';
}

function keyOrder(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  if (Number.isFinite(na)) return -1;
  if (Number.isFinite(nb)) return 1;
  return a.localeCompare(b);
}

export async function destinationIdsFor(db: Db, workspaceId: string, destinationId?: string): Promise<string[]> {
  const destinations = await db.destination.findMany({ where: { workspaceId, ...(destinationId ? { id: destinationId } : {}) }, select: { id: true } });
  if (destinationId && destinations.length === 0) throw notFound('destination');
  return destinations.map((d) => d.id);
}

export async function deliveryStats({ db, workspaceId, destinationId, range, now = new Date() }: { db: Db; workspaceId: string; destinationId?: string; range: TRange; now?: Date }): Promise<TStats> {
  const ids = await destinationIdsFor(db, workspaceId, destinationId);
  const plan = RANGE_PLANS[range];
  const from = rangeStart(range, now);
  const [rows, failures] = ids.length === 0
    ? [[], []]
    : await Promise.all([
        db.$queryRawUnsafe<TSeriesRow[]>(rollupSeriesSql(plan.table), ids, from, `${plan.bucketSeconds} seconds`, from),
        db.$queryRawUnsafe<Array<{ status_code: number | null; error_code: string | null; response_excerpt: string | null; event_id: string | null }>>(RECENT_FAILURES, ids, from, Math.max(50, Math.floor(1000 / ids.length))),
      ]);

  const buckets = new Map<number, { counts: Record<string, number>; total: number; histogram: number[] }>();
  for (let t = from.getTime(); t <= now.getTime(); t += plan.bucketSeconds * 1000) buckets.set(t, { counts: {}, total: 0, histogram: [] });
  const keys = new Set<string>();
  const totals = { attempts: 0, delivered: 0, retried: 0, discarded: 0, archived: 0 };
  let firstAttempts = 0;
  let firstSucceeded = 0;
  const byAttempt = new Map<number, number>();
  const overall: number[] = [];
  for (const row of rows) {
    if (row.outcome === 'replayed' || row.outcome === 'skipped' || row.error_code === 'NOT_SENT') {
      if (row.outcome === 'archived') totals.archived += row.count;
      if (row.outcome === 'discarded') totals.discarded += row.count;
      continue;
    }
    const key = keyOf(row);
    keys.add(key);
    const bucket = buckets.get(row.t.getTime()) ?? { counts: {}, total: 0, histogram: [] };
    buckets.set(row.t.getTime(), bucket);
    bucket.counts[key] = (bucket.counts[key] ?? 0) + row.count;
    bucket.total += row.count;
    const histogram = Array.from({ length: LATENCY_BUCKETS }, (_, i) => row[`b${i}`] ?? 0);
    addHistograms(bucket.histogram, histogram);
    addHistograms(overall, histogram);
    totals.attempts += row.count;
    if (row.outcome === 'succeeded') {
      totals.delivered += row.count;
      byAttempt.set(row.attempt, (byAttempt.get(row.attempt) ?? 0) + row.count);
    } else if (row.outcome === 'awaiting_retry') totals.retried += row.count;
    else if (row.outcome === 'discarded') totals.discarded += row.count;
    else if (row.outcome === 'archived') totals.archived += row.count;
    if (row.attempt === 1) {
      firstAttempts += row.count;
      if (row.outcome === 'succeeded') firstSucceeded += row.count;
    }
  }
  const ended = totals.delivered + totals.discarded + totals.archived;
  const series = [...buckets.entries()].sort(([a], [b]) => a - b);

  const grouped = new Map<string, Map<string, { count: number; eventIds: string[] }>>();
  for (const f of failures) {
    const code = f.status_code && f.status_code > 0 ? String(f.status_code) : (f.error_code ?? 'unknown');
    const excerpt = (f.response_excerpt ?? '').slice(0, 300);
    const byExcerpt = grouped.get(code) ?? new Map();
    grouped.set(code, byExcerpt);
    const entry = byExcerpt.get(excerpt) ?? { count: 0, eventIds: [] };
    entry.count++;
    if (f.event_id && entry.eventIds.length < 3 && !entry.eventIds.includes(f.event_id)) entry.eventIds.push(f.event_id);
    byExcerpt.set(excerpt, entry);
  }
  const topResponses = [...grouped.entries()]
    .map(([code, byExcerpt]) => {
      const excerpts = [...byExcerpt.entries()].map(([excerpt, e]) => ({ excerpt, count: e.count, eventIds: e.eventIds })).sort((a, b) => b.count - a.count);
      return { code, count: excerpts.reduce((sum, e) => sum + e.count, 0), excerpts: excerpts.slice(0, 3) };
    })
    .sort((a, b) => b.count - a.count);

  return {
    range,
    from,
    to: now,
    bucketSeconds: plan.bucketSeconds,
    keys: [...keys].sort(keyOrder),
    series: series.map(([t, b]) => ({ t: new Date(t), counts: b.counts, total: b.total })),
    totals,
    firstAttemptSuccessRate: firstAttempts > 0 ? firstSucceeded / firstAttempts : null,
    eventualSuccessRate: ended > 0 ? totals.delivered / ended : null,
    successByAttempt: [...byAttempt.entries()].sort(([a], [b]) => a - b).map(([attempt, count]) => ({ attempt, count })),
    latency: { p50: percentileMs(overall, 0.5), p95: percentileMs(overall, 0.95), p99: percentileMs(overall, 0.99) },
    latencySeries: series.map(([t, b]) => ({ t: new Date(t), p50: percentileMs(b.histogram, 0.5), p95: percentileMs(b.histogram, 0.95), p99: percentileMs(b.histogram, 0.99) })),
    topResponses,
  };
}
