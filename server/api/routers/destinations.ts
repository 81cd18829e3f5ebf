import { z } from 'zod';
import { getDestinationActivity, ZDestinationActivity } from '../../delivery/activity.ts';
import { createReplay, ZReplayInput } from '../../delivery/replays.ts';
import { DESTINATION_TYPES, ZDestinationType } from '../../destinations/catalog.ts';
import { ZDeliveryTuningInput } from '../../destinations/delivery-tuning.ts';
import {
  createDestination,
  deleteDestination,
  getDestination,
  rotateSigningSecret,
  listDestinations,
  updateDestination,
  ZDestinationView,
} from '../../destinations/destinations.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const ZName = z.string().trim().min(1, 'Name is required').max(80);
const ZDestinationId = z.object({ destinationId: z.uuid() });

export const destinationsRouter = router({
  catalog: workspaceProcedure('support')
    .output(z.array(z.object({ type: z.string(), label: z.string(), description: z.string() })))
    .query(() => Object.values(DESTINATION_TYPES).map(({ type, label, description }) => ({ type, label, description }))),
  list: workspaceProcedure('support')
    .input(z.object({ sourceId: z.uuid().optional() }))
    .output(z.array(ZDestinationView))
    .query(({ ctx, input }) => listDestinations({ db: ctx.db, workspaceId: ctx.workspace.id, sourceId: input.sourceId })),
  get: workspaceProcedure('support')
    .input(ZDestinationId)
    .output(ZDestinationView)
    .query(({ ctx, input }) => getDestination({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId: input.destinationId })),
  /** Returns the signing secret: the only time it is ever sent whole. */
  create: workspaceProcedure('editor')
    .input(
      z.object({
        sourceId: z.uuid(),
        type: ZDestinationType,
        name: ZName,
        settings: z.unknown(),
        enabled: z.boolean().optional(),
        delivery: ZDeliveryTuningInput.optional(),
      }),
    )
    .output(z.object({ destination: ZDestinationView, signingSecret: z.string() }))
    .mutation(({ ctx, input }) => createDestination({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, input })),
  update: workspaceProcedure('editor')
    .input(
      ZDestinationId.extend({
        name: ZName.optional(),
        enabled: z.boolean().optional(),
        settings: z.unknown().optional(),
        delivery: ZDeliveryTuningInput.optional(),
      }),
    )
    .output(ZDestinationView)
    .mutation(({ ctx, input: { destinationId, workspaceId: _workspaceId, ...patch } }) =>
      updateDestination({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId, patch }),
    ),
  /** Delivered / retried / discarded / archived in the last hour, the queue, the latest attempts. */
  activity: workspaceProcedure('support')
    .input(ZDestinationId)
    .output(ZDestinationActivity)
    .query(({ ctx, input }) => getDestinationActivity({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId: input.destinationId })),
  /** Re-delivers archived and/or discarded events of a time range. */
  replay: workspaceProcedure('editor')
    .input(ZDestinationId.extend({ range: ZReplayInput }))
    .output(z.object({ replayId: z.string(), queued: z.number() }))
    .mutation(({ ctx, input }) => createReplay({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId: input.destinationId, input: input.range })),
  /** Returns the new signing secret (once); the old one keeps signing for 24 hours. */
  rotateSecret: workspaceProcedure('editor')
    .input(ZDestinationId)
    .output(z.object({ destination: ZDestinationView, signingSecret: z.string(), previousValidUntil: z.date() }))
    .mutation(({ ctx, input }) => rotateSigningSecret({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId: input.destinationId })),
  delete: workspaceProcedure('editor')
    .input(ZDestinationId)
    .mutation(({ ctx, input }) => deleteDestination({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId: input.destinationId })),
});
