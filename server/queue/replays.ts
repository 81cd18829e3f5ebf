/**
 * Replays re-deliver a destination's archived and/or discarded events from a time range
 * as new jobs (the old ones keep their history and get a `replayed` transition). Each
 * replay is audited.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TActor } from '../audit/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import type { Db } from '../db/client.ts';
import { resolveDeliveryTuning } from '../destinations/delivery-tuning.ts';
import { AppError, notFound } from '../errors/app-error.ts';
import { notifyJobsDue } from './jobs-due.ts';
import { FAILED_STATES } from './job-states.ts';
import { replayJobs } from './sql/replay-jobs.ts';

export const MAX_REPLAY_JOBS = 100_000;

export const ZReplayInput = z
  .object({
    from: z.coerce.date().describe('Start of the range (job creation time), ISO-8601'),
    to: z.coerce.date().describe('End of the range, ISO-8601'),
    states: z.array(z.enum(FAILED_STATES)).min(1).default(['archived']).describe('Which ended jobs to re-deliver'),
  })
  .refine((input) => input.from <= input.to, { message: 'from must not be after to', path: ['from'] });

export async function createReplay({ db, workspaceId, actor, destinationId, input }: { db: Db; workspaceId: string; actor: TActor; destinationId: string; input: z.infer<typeof ZReplayInput> }): Promise<{ replayId: string; queued: number }> {
  const destination = await db.destination.findFirst({ where: { id: destinationId, workspaceId } });
  if (!destination) throw notFound('destination');
  if (!destination.enabled) throw new AppError('CONFLICT', 'Enable the destination before replaying events into it.');
  const replayId = randomUUID();
  const window = resolveDeliveryTuning(destination.delivery).retryWindowSeconds;
  const replay = await db.$transaction(async (tx) => {
    const queued = await replayJobs(tx, { destinationId, from: input.from, to: input.to, states: input.states, retryWindowSeconds: window, replayId, limit: MAX_REPLAY_JOBS });
    await recordAudit({ tx, workspaceId, actor, action: 'destination.replay', targetType: 'destination', targetId: destinationId, after: { replayId, from: input.from, to: input.to, states: input.states, queued } });
    return { replayId, queued };
  });
  // After the commit (see server/queue/jobs-due.ts); workers poll anyway if this fails.
  if (replay.queued > 0) await notifyJobsDue({ db });
  return replay;
}
