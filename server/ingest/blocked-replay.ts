/**
 * Replaying blocked events: the tracking plan blocked them at ingest (stored with their
 * violations, no jobs), someone fixed the plan (or its enforcement), and now they should go
 * out. Each chosen event runs through the pipeline again exactly as ingest runs it, with the
 * source's current plan, destinations and filters (suppression first: a subject suppressed
 * since is never sent). An event that now passes is released: its pipeline record becomes
 * the new run's (plus a `replay` entry saying when, by which replay, and what the plan
 * said before, which the trace shows), and it gets one job per routed destination, with the
 * payload a filter or "omit" changed; its violations are marked released and the hourly
 * ingest counters move it from blocked to released (sql/blocked-events.ts). An event still
 * blocked stays as it was.
 *
 * Bounded: one call looks at most MAX_BLOCKED_REPLAY_EVENTS events (oldest first) and says
 * `hasMore` with a `nextCursor` to pass to the next call; events still blocked are behind the
 * cursor, so a series of calls always ends. Each call is audited.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';
import { uuid7 } from '../lib/uuid7.ts';
import type { TSuppressionRules } from '../privacy/suppression-rules.ts';
import { notifyJobsDue } from '../queue/jobs-due.ts';
import { jobRowJson } from '../queue/sql/insert-jobs.ts';
import { decodeCursor, encodeCursor } from '../traces/cursor.ts';
import { compilePlan } from '../tracking-plans/validate.ts';
import type { TNormalizedEvent, TEventType } from './normalize.ts';
import { runPipeline } from './pipeline.ts';
import { sourceConfigOf, type TSourceConfig, type TSourceConfigRow } from './source-config.ts';
import { releaseBlockedEvents, selectBlockedEvents, type TBlockedEventRow } from './sql/blocked-events.ts';
import { SELECT_SOURCE_BY_ID } from './sql/select-source-by-write-key.ts';
import { skippedCounterRows } from './writer.ts';

/** The most blocked events one call looks at; more are left for the next call (`hasMore`). */
export const MAX_BLOCKED_REPLAY_EVENTS = 1000;

export const VIOLATION_KINDS = ['unplanned_event', 'missing_required', 'wrong_type', 'unplanned_property', 'other'] as const;

export const ZBlockedReplayInput = z
  .object({
    from: z.coerce.date().describe('Start of the range (when the events were received), ISO-8601'),
    to: z.coerce.date().describe('End of the range, ISO-8601'),
    eventName: z.string().trim().min(1).max(512).optional().describe('Only events of this name'),
    kind: z.enum(VIOLATION_KINDS).optional().describe('Only events with a violation of this kind'),
    limit: z.coerce.number().int().min(1).max(MAX_BLOCKED_REPLAY_EVENTS).optional().describe(`How many blocked events to look at (at most and by default ${MAX_BLOCKED_REPLAY_EVENTS})`),
    cursor: z.string().max(200).optional().describe('nextCursor of the previous call, to go on where it stopped'),
  })
  .refine((input) => input.from <= input.to, { message: 'from must not be after to', path: ['from'] });
export type TBlockedReplayInput = z.infer<typeof ZBlockedReplayInput>;

export const ZBlockedReplay = z.object({
  replayId: z.string(),
  /** Blocked events looked at by this call. */
  examined: z.number().int(),
  /** Of those, events that pass now: released and queued for their destinations. */
  replayed: z.number().int(),
  /** Jobs queued (one per routed destination of each replayed event). */
  queued: z.number().int(),
  /** Events the current plan still blocks (left as they are). */
  stillBlocked: z.number().int(),
  /** Events of subjects suppressed since (never sent). */
  suppressed: z.number().int(),
  /** True when more blocked events match: call again with nextCursor. */
  hasMore: z.boolean(),
  nextCursor: z.string().nullable(),
});
export type TBlockedReplay = z.infer<typeof ZBlockedReplay>;

const START = '00000000-0000-0000-0000-000000000000';

async function loadSourceConfig(db: Db, workspaceId: string, sourceId: string): Promise<TSourceConfig | null> {
  const [row] = await db.$queryRawUnsafe<TSourceConfigRow[]>(SELECT_SOURCE_BY_ID, sourceId, workspaceId);
  if (!row) return null;
  const planRef = row.tracking_plan;
  const stored = planRef ? await db.trackingPlan.findFirst({ where: { id: planRef.id, workspaceId }, select: { id: true, version: true, rules: true } }) : null;
  return sourceConfigOf(row, stored ? compilePlan(stored) : null);
}

async function loadSuppressionRules(db: Db, workspaceId: string): Promise<TSuppressionRules> {
  const rows = await db.suppression.findMany({ where: { workspaceId }, select: { subjectType: true, subjectId: true } });
  const of = (type: string) => new Set(rows.filter((r) => r.subjectType === type).map((r) => r.subjectId));
  return { userIds: of('USER_ID'), anonymousIds: of('ANONYMOUS_ID'), emails: of('EMAIL') };
}

/** The stored event as the pipeline saw it at ingest (payload, ids, timestamps, integrations). */
function normalizedOf(row: TBlockedEventRow): TNormalizedEvent {
  const payload = JSON.parse(row.json) as Record<string, unknown>;
  const integrations = payload.integrations && typeof payload.integrations === 'object' && !Array.isArray(payload.integrations) ? (payload.integrations as Record<string, unknown>) : {};
  return {
    messageId: row.message_id,
    type: row.type as TEventType,
    name: row.name,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    receivedAt: row.received_at,
    sentAt: row.sent_at,
    originalTimestamp: row.original_timestamp,
    timestamp: row.timestamp,
    integrations,
    json: row.json,
    payload,
    emails: [],
    asSent: { added: [], was: {} },
  };
}

export async function replayBlockedEvents({ db, workspaceId, actor, sourceId, input }: { db: Db; workspaceId: string; actor: TActor; sourceId: string; input: TBlockedReplayInput }): Promise<TBlockedReplay> {
  const source = await loadSourceConfig(db, workspaceId, sourceId);
  if (!source) throw notFound('source');
  const rules = { suppression: await loadSuppressionRules(db, workspaceId) };
  const limit = input.limit ?? MAX_BLOCKED_REPLAY_EVENTS;
  const after = input.cursor ? decodeCursor(input.cursor) : { receivedAt: input.from, id: START };
  const rows = await selectBlockedEvents(db, { sourceId, workspaceId, from: input.from, to: input.to, after, eventName: input.eventName ?? null, kind: input.kind ?? null, limit: limit + 1 });
  const hasMore = rows.length > limit;
  const examined = rows.slice(0, limit);
  const replayId = randomUUID();
  const now = new Date();
  const released: string[] = [];
  const jobs: string[] = [];
  let stillBlocked = 0;
  let suppressed = 0;
  for (const row of examined) {
    const event = normalizedOf(row);
    const outcome = runPipeline(event, source, rules);
    if (!outcome.isStored) {
      suppressed++;
      continue;
    }
    if ('droppedBy' in outcome.record) {
      stillBlocked++;
      continue;
    }
    const was = (row.pipeline.trackingPlan ?? null) as { reason?: unknown; planVersion?: unknown } | null;
    const wasReason = typeof was?.reason === 'string' ? was.reason : 'blocked by the tracking plan';
    const pipeline = {
      ...outcome.record,
      replay: {
        decision: 'replayed',
        reason: `${wasReason} at ingest; replayed ${now.toISOString().slice(0, 19).replace('T', ' ')} UTC by ${actor.label} (replay ${replayId.slice(0, 8)})`,
        replayId,
        at: now.toISOString(),
        was,
      },
    };
    released.push(`{"id":"${row.id}","received_at":"${row.received_at.toISOString()}","pipeline":${JSON.stringify(pipeline)},"skipped":${skippedCounterRows(pipeline)}}`);
    for (const destination of outcome.destinations) {
      jobs.push(jobRowJson({
        id: uuid7(now.getTime()), createdAt: now, workspaceId, sourceId, destinationId: destination.id, eventId: row.id, eventReceivedAt: row.received_at,
        expireAt: new Date(now.getTime() + destination.retryWindowSeconds * 1000), payloadJson: outcome.payloads?.get(destination.id) ?? null,
      }));
    }
  }
  const last = examined.at(-1);
  const nextCursor = hasMore && last ? encodeCursor({ receivedAt: last.received_at, id: last.id }) : null;
  const result = await db.$transaction(async (tx) => {
    const written = released.length > 0 ? await releaseBlockedEvents(tx, { events: `[${released.join(',')}]`, jobs: `[${jobs.join(',')}]`, at: now }) : { released: 0, queued: 0 };
    const summary: TBlockedReplay = {
      replayId, examined: examined.length, replayed: written.released, queued: written.queued,
      // Events another replay released meanwhile are neither replayed here nor still blocked.
      stillBlocked, suppressed, hasMore, nextCursor,
    };
    await recordAudit({
      tx, workspaceId, actor, action: 'source.blocked_events_replay', targetType: 'source', targetId: sourceId,
      after: { from: input.from, to: input.to, eventName: input.eventName ?? null, kind: input.kind ?? null, cursor: input.cursor ?? null, ...summary },
    });
    return summary;
  });
  // After the commit (see server/queue/jobs-due.ts); workers poll anyway if this fails.
  if (result.queued > 0) await notifyJobsDue({ db });
  return result;
}
