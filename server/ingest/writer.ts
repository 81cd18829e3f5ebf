/**
 * Group commit for accepted events. Requests hand their events to `write()`; while a
 * flush is in flight, new events wait and then go together in the next one, so under load
 * one commit (one fsync) carries many requests and throughput does not depend on one
 * fsync per request, while an idle system flushes at once with no added delay.
 * A request's promise resolves only after its events and jobs are committed.
 */
import type pg from 'pg';
import { JobsDueNotifier } from '../queue/jobs-due.ts';
import { uuid7 } from '../lib/uuid7.ts';
import { identitiesOf, identityKey } from '../traces/identity.ts';
import type { TNormalizedEvent } from './normalize.ts';
import type { TViolationRecord } from './pipeline.ts';
import type { TRoutableDestination } from './source-config.ts';
import { insertEvents } from './sql/insert-events.ts';

export interface TWriteItem {
  event: TNormalizedEvent;
  workspaceId: string;
  sourceId: string;
  destinations: TRoutableDestination[];
  pipeline: Record<string, unknown>;
  /** Per destination id: the payload (JSON) its job sends instead of the event's, when a filter changed it. */
  payloads?: Map<string, string>;
  /** Tracking-plan violations, stored with the event (none when it is a duplicate). */
  violations?: TViolationRecord[];
  /** The client as the web server saw it (shown in the trace). */
  client?: { ip: string | null; userAgent: string | null };
}

/** Events of one source the tracking API refused (counted for the delivery overview, not stored). */
export interface TRejectedCount {
  sourceId: string;
  at: Date;
  reason: string;
  count: number;
}

export interface TWriteResult {
  /** Per item: true when its messageId was seen before (not stored, not delivered again). */
  isDuplicate: boolean[];
}

interface TPending {
  items: TWriteItem[];
  rejected: TRejectedCount[];
  resolve: (result: TWriteResult) => void;
  reject: (error: unknown) => void;
}

export interface TWriterStats {
  flushes: number;
  events: number;
}

export class IngestWriter {
  private queue: TPending[] = [];
  private active = 0;
  /** Counter rows of ingest_rollups this process's flushes use; concurrent flushes never share one. */
  private readonly slotBase = Math.floor(Math.random() * 1_000_000) * 16;
  private readonly busySlots = new Set<number>();
  private readonly jobsDue: JobsDueNotifier;
  readonly stats: TWriterStats = { flushes: 0, events: 0 };

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: { maxConcurrentFlushes?: number; maxEventsPerFlush?: number } = {},
  ) {
    this.jobsDue = new JobsDueNotifier(pool);
  }

  write(items: TWriteItem[], rejected: TRejectedCount[] = []): Promise<TWriteResult> {
    if (items.length === 0 && rejected.length === 0) return Promise.resolve({ isDuplicate: [] });
    return new Promise((resolve, reject) => {
      this.queue.push({ items, rejected, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.active < (this.options.maxConcurrentFlushes ?? 2)) {
      const max = this.options.maxEventsPerFlush ?? 5000;
      const group: TPending[] = [];
      let count = 0;
      while (this.queue.length > 0 && (group.length === 0 || count + this.queue[0].items.length <= max)) {
        const next = this.queue.shift()!;
        group.push(next);
        count += next.items.length;
      }
      this.active++;
      this.flush(group).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async flush(group: TPending[]): Promise<void> {
    const eventRows: string[] = [];
    const violationRows: string[] = [];
    const ids: string[][] = [];
    const rejectedRows: string[] = [];
    const firstSeen = new Map<string, string>();
    let jobCount = 0;
    for (const pending of group) {
      const itemIds: string[] = [];
      for (const item of pending.items) {
        const key = `${item.sourceId}\u0000${item.event.messageId}`;
        const earlier = firstSeen.get(key);
        if (earlier) {
          // The same message twice in one flush: the later one is a duplicate of the first.
          itemIds.push(`dup:${earlier}`);
          continue;
        }
        const id = uuid7(item.event.receivedAt.getTime());
        firstSeen.set(key, id);
        itemIds.push(id);
        eventRows.push(eventRow(id, item));
        jobCount += item.destinations.length;
        if (item.violations) for (const violation of item.violations) violationRows.push(violationRow(id, item, violation));
      }
      ids.push(itemIds);
      for (const r of pending.rejected) rejectedRows.push(JSON.stringify({ source_id: r.sourceId, at: r.at.toISOString(), reason: r.reason, n: r.count }));
    }
    let slot = 0;
    while (this.busySlots.has(slot)) slot++;
    this.busySlots.add(slot);
    try {
      const rows = await insertEvents(this.pool, { events: `[${eventRows.join(',')}]`, violations: `[${violationRows.join(',')}]`, rejected: `[${rejectedRows.join(',')}]`, slot: this.slotBase + slot });
      const duplicates = new Set(rows.map((row) => row.duplicate_event_id));
      if (jobCount > 0 && duplicates.size < eventRows.length) this.jobsDue.notify();
      this.stats.flushes++;
      this.stats.events += eventRows.length - duplicates.size;
      group.forEach((pending, i) => pending.resolve({ isDuplicate: ids[i].map((id) => id.startsWith('dup:') || duplicates.has(id)) }));
    } catch (error) {
      // A value Postgres refuses (SQLSTATE class 22) fails the whole statement. Retry each
      // request alone so one bad request cannot fail the others that shared its flush.
      if (group.length > 1 && String((error as { code?: string }).code ?? '').startsWith('22')) {
        await Promise.all(group.map((pending) => this.flush([pending])));
        return;
      }
      for (const pending of group) pending.reject(error);
    } finally {
      this.busySlots.delete(slot);
    }
  }
}

const q = JSON.stringify;

/** Destinations any stage left out, as JSON text of [{ d: id, r: "<stage>: <reason>" }] (stages record `skipped: [{ id, reason }]`), for the hourly counters (ingest and a replay of blocked events). */
export function skippedCounterRows(pipeline: Record<string, unknown>): string {
  const out: string[] = [];
  for (const [stage, decision] of Object.entries(pipeline)) {
    const skipped = (decision as { skipped?: unknown } | null)?.skipped;
    if (!Array.isArray(skipped)) continue;
    for (const entry of skipped as Array<{ id?: unknown; reason?: unknown }>) {
      if (typeof entry?.id === 'string') out.push(`{"d":${q(entry.id)},"r":${q(`${stage}: ${typeof entry.reason === 'string' ? entry.reason : ''}`)}}`);
    }
  }
  return `[${out.join(',')}]`;
}

function eventRow(id: string, item: TWriteItem): string {
  const { event, workspaceId, sourceId, pipeline, client } = item;
  // Each key once (the identity insert has no ON CONFLICT): identitiesOf never repeats an
  // identifier, and two different ones sharing a 64-bit digest would only lose a duplicate row.
  const identities = [...new Set(identitiesOf(event).map((identity) => `"${identityKey(workspaceId, identity)}"`))];
  return `{"id":"${id}","workspace_id":"${workspaceId}","source_id":"${sourceId}","message_id":${q(event.messageId)},"type":"${event.type}","name":${q(event.name)},"user_id":${q(event.userId)},"anonymous_id":${q(event.anonymousId)},"received_at":"${event.receivedAt.toISOString()}","sent_at":${q(event.sentAt?.toISOString() ?? null)},"original_timestamp":${q(event.originalTimestamp?.toISOString() ?? null)},"timestamp":"${event.timestamp.toISOString()}","payload":${event.json},"pipeline":${q(pipeline)},"client_ip":${q(client?.ip ?? null)},"user_agent":${q(client?.userAgent ?? null)},"as_sent":${q(event.asSent)},"identities":[${identities.join(',')}],"skipped":${skippedCounterRows(pipeline)},"jobs":${jobsOf(item)}}`;
}

/** The event's jobs, one per destination (the flush statement makes the job rows from them). */
function jobsOf({ destinations, payloads }: TWriteItem): string {
  let out = '';
  for (const destination of destinations) {
    const payload = payloads?.get(destination.id);
    out += `${out ? ',' : ''}{"destination_id":"${destination.id}","retry_window_s":${destination.retryWindowSeconds}${payload === undefined ? '' : `,"payload":${payload}`}}`;
  }
  return `[${out}]`;
}

function violationRow(eventId: string, { event, workspaceId, sourceId }: TWriteItem, v: TViolationRecord): string {
  return q({
    workspace_id: workspaceId, tracking_plan_id: v.trackingPlanId, plan_version: v.planVersion, source_id: sourceId, event_id: eventId,
    event_received_at: event.receivedAt.toISOString(), event_type: event.type, event_name: event.name,
    kind: v.kind, path: v.path, rule: v.rule, message: v.message, is_blocked: v.isBlocked,
  });
}
