/**
 * Preview: a draft filter run over the destination's source's most recent real events,
 * through the same `applyFilters` ingest uses, so people see before saving which events
 * would be dropped, sampled out or changed (with the removed properties and their values).
 */
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { notFound } from '../errors/app-error.ts';
import { applyFilters, compileFilter, ZFilterAction } from './actions.ts';
import { parsePath, readPath } from './expression.ts';
import { checkFilter, ZFilterCondition } from './filters.ts';

export const PREVIEW_EVENTS = 100;

export const ZFilterPreviewInput = z.object({
  if: ZFilterCondition,
  action: ZFilterAction,
  /** How many recent events (default and most: 100). */
  limit: z.coerce.number().int().min(1).max(PREVIEW_EVENTS).optional(),
});
export type TFilterPreviewInput = z.infer<typeof ZFilterPreviewInput>;

const ZDecision = z.enum(['kept', 'dropped', 'sampled_out', 'changed']);

export const ZFilterPreview = z.object({
  total: z.number(),
  counts: z.object({ kept: z.number(), dropped: z.number(), sampled_out: z.number(), changed: z.number() }),
  data: z.array(
    z.object({
      eventId: z.string(),
      messageId: z.string(),
      type: z.string(),
      name: z.string().nullable(),
      userId: z.string().nullable(),
      anonymousId: z.string().nullable(),
      receivedAt: z.date(),
      decision: ZDecision,
      reason: z.string(),
      /** Properties the filter removes, with the value they had. */
      removed: z.array(z.object({ path: z.string(), value: z.unknown() })),
    }),
  ),
});
export type TFilterPreview = z.infer<typeof ZFilterPreview>;

export async function previewFilter({ db, workspaceId, destinationId, input }: { db: Db; workspaceId: string; destinationId: string; input: TFilterPreviewInput }): Promise<TFilterPreview> {
  const destination = await db.destination.findFirst({ where: { id: destinationId, workspaceId }, select: { sourceId: true } });
  if (!destination) throw notFound('destination');
  checkFilter(input.if, input.action);
  const filter = compileFilter({ id: 'preview', title: 'Preview', version: 0, condition: input.if, action: input.action });
  const events = await db.event.findMany({
    where: { workspaceId, sourceId: destination.sourceId },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: input.limit ?? PREVIEW_EVENTS,
    select: { id: true, messageId: true, type: true, name: true, userId: true, anonymousId: true, receivedAt: true, payload: true },
  });
  const counts = { kept: 0, dropped: 0, sampled_out: 0, changed: 0 };
  const data = events.map((event) => {
    const payload = event.payload as Record<string, unknown>;
    const outcome = applyFilters([filter], payload);
    counts[outcome.decision]++;
    return {
      eventId: event.id,
      messageId: event.messageId,
      type: event.type,
      name: event.name,
      userId: event.userId,
      anonymousId: event.anonymousId,
      receivedAt: event.receivedAt,
      decision: outcome.decision,
      reason: outcome.reason,
      removed: outcome.removed.map((path) => ({ path, value: readPath(payload, parsePath(path)) })),
    };
  });
  return { total: events.length, counts, data };
}
