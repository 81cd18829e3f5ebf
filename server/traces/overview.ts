/**
 * The delivery overview for a range, per source (received → rejected / dropped → stored; of
 * the events a stage blocked, those a replay of blocked events released since are counted as
 * released, not dropped: blocked-events.ts moves them in the counters) and
 * per destination (left out by a stage → first attempts → delivered / discarded / archived,
 * and what is queued now), from the ingest and hourly delivery rollups.
 */
import type { Db } from '../db/client.ts';
import type { TOverview, TRange } from './schemas.ts';
import { RANGE_PLANS } from './stats.ts';
import { DELIVERY_COUNTS, INGEST_COUNTS, QUEUED_NOW } from './sql/stats.ts';

const HOUR = 3_600_000;

function add(list: Array<{ reason: string; count: number }>, reason: string, count: number) {
  const entry = list.find((e) => e.reason === reason);
  if (entry) entry.count += count;
  else list.push({ reason, count });
}

export async function deliveryOverview({ db, workspaceId, range, now = new Date() }: { db: Db; workspaceId: string; range: TRange; now?: Date }): Promise<TOverview> {
  // Counters are hourly: the range starts at the hour that contains its start.
  const from = new Date(Math.floor((now.getTime() - RANGE_PLANS[range].ms) / HOUR) * HOUR);
  const [sources, destinations] = await Promise.all([
    db.source.findMany({ where: { workspaceId }, select: { id: true, name: true }, orderBy: { createdAt: 'asc' } }),
    db.destination.findMany({ where: { workspaceId }, select: { id: true, name: true, sourceId: true }, orderBy: { createdAt: 'asc' } }),
  ]);
  const sourceIds = sources.map((s) => s.id);
  const destinationIds = destinations.map((d) => d.id);
  const [ingest, delivery, queued] = await Promise.all([
    sourceIds.length ? db.$queryRawUnsafe<Array<{ source_id: string; outcome: string; reason: string; destination_id: string; count: number }>>(INGEST_COUNTS, sourceIds, from) : [],
    destinationIds.length ? db.$queryRawUnsafe<Array<{ destination_id: string; outcome: string; first_attempts: number | null; count: number }>>(DELIVERY_COUNTS, destinationIds, from) : [],
    destinationIds.length ? db.$queryRawUnsafe<Array<{ destination_id: string; pending: number; retrying: number }>>(QUEUED_NOW, destinationIds) : [],
  ]);
  const sourceRows = sources.map((s) => ({ sourceId: s.id, name: s.name, received: 0, stored: 0, rejected: [] as Array<{ reason: string; count: number }>, dropped: [] as Array<{ reason: string; count: number }>, released: 0 }));
  const destinationRows = destinations.map((d) => ({ destinationId: d.id, name: d.name, sourceId: d.sourceId, filtered: [] as Array<{ reason: string; count: number }>, firstAttempts: 0, delivered: 0, discarded: 0, archived: 0, retriedAttempts: 0, pendingNow: 0, retryingNow: 0 }));
  for (const row of ingest) {
    const source = sourceRows.find((s) => s.sourceId === row.source_id);
    if (!source) continue;
    if (row.outcome === 'stored') {
      source.stored += row.count;
      source.received += row.count;
    } else if (row.outcome === 'dropped') {
      source.stored += row.count;
      source.received += row.count;
      add(source.dropped, row.reason, row.count);
    } else if (row.outcome === 'released') {
      // Blocked at ingest, released by a replay (its "dropped" count went down by as many).
      source.stored += row.count;
      source.received += row.count;
      source.released += row.count;
    } else if (row.outcome === 'rejected') {
      source.received += row.count;
      add(source.rejected, row.reason, row.count);
    } else if (row.outcome === 'skipped') {
      const destination = destinationRows.find((d) => d.destinationId === row.destination_id);
      if (destination) add(destination.filtered, row.reason, row.count);
    }
  }
  for (const row of delivery) {
    const destination = destinationRows.find((d) => d.destinationId === row.destination_id);
    if (!destination) continue;
    if (row.outcome !== 'replayed') destination.firstAttempts += row.first_attempts ?? 0;
    if (row.outcome === 'succeeded') destination.delivered += row.count;
    else if (row.outcome === 'discarded') destination.discarded += row.count;
    else if (row.outcome === 'archived') destination.archived += row.count;
    else if (row.outcome === 'awaiting_retry') destination.retriedAttempts += row.count;
  }
  for (const row of queued) {
    const destination = destinationRows.find((d) => d.destinationId === row.destination_id);
    if (destination) Object.assign(destination, { pendingNow: row.pending, retryingNow: row.retrying });
  }
  // A reason whose events were all released since nets to zero: not a reason any more.
  for (const source of sourceRows) source.dropped = source.dropped.filter((entry) => entry.count !== 0);
  return { range, from, sources: sourceRows, destinations: destinationRows };
}
