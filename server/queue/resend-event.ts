/**
 * An editor re-sends one event to one destination from its trace: a new job, audited, whose
 * attempts the trace shows as a replay.
 */
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { resolveDeliveryTuning } from '../destinations/delivery-tuning.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { notifyJobsDue } from './jobs-due.ts';
import { resendEventJob } from './sql/resend-event.ts';

export async function resendEvent({ db, workspaceId, actor, event, destinationId }: { db: Db; workspaceId: string; actor: TActor; event: { id: string; receivedAt: Date; sourceId: string }; destinationId: string }): Promise<{ jobId: string }> {
  const destination = await db.destination.findFirst({ where: { id: destinationId, workspaceId } });
  if (!destination) throw notFound('destination');
  if (destination.sourceId !== event.sourceId) throw new AppError('BAD_REQUEST', 'This destination is not connected to the event’s source.');
  if (!destination.enabled) throw new AppError('CONFLICT', 'Enable the destination before re-sending events to it.');
  const window = resolveDeliveryTuning(destination.delivery).retryWindowSeconds;
  const jobId = await db.$transaction(async (tx) => {
    const { jobId: created, isBusy } = await resendEventJob(tx, { eventId: event.id, eventReceivedAt: event.receivedAt, destinationId, workspaceId, sourceId: event.sourceId, retryWindowSeconds: window, note: `re-sent by ${actor.label}` });
    if (!created) throw new AppError('CONFLICT', isBusy ? 'This event is still queued for this destination; it will be tried again anyway.' : 'The event could not be queued.');
    await recordAudit({ tx, workspaceId, actor, action: 'event.resend', targetType: 'destination', targetId: destinationId, after: { eventId: event.id, jobId: created } });
    return created;
  });
  await notifyJobsDue({ db });
  return { jobId };
}
