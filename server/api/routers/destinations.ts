import { z } from 'zod';
import { getDestinationActivity, ZDestinationActivity } from '../../delivery/activity.ts';
import { createReplay, ZReplayInput } from '../../delivery/replays.ts';
import { DESTINATION_TYPES } from '../../destinations/catalog.ts';
import { ZDestinationCreate, ZDestinationCreated, ZDestinationId, ZDestinationUpdate, ZSecretRotated } from '../../destinations/destination-input.ts';
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

const tags = ['Destinations'];
const id = { id: 'destinationId' };

export const destinationsRouter = router({
  catalog: workspaceProcedure('support')
    .output(z.array(z.object({ type: z.string(), label: z.string(), description: z.string() })))
    .query(() => Object.values(DESTINATION_TYPES).map(({ type, label, description }) => ({ type, label, description }))),
  list: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destinations', tags, summary: 'List destinations (secrets masked)' } })
    .input(z.object({ sourceId: z.uuid().optional() }))
    .output(z.array(ZDestinationView))
    .query(({ ctx, input }) => listDestinations({ db: ctx.db, workspaceId: ctx.workspace.id, sourceId: input.sourceId })),
  get: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destinations/{id}', params: id, tags, summary: 'Get a destination (secrets masked)' } })
    .input(ZDestinationId)
    .output(ZDestinationView)
    .query(({ ctx, input }) => getDestination({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId: input.destinationId })),
  /** Returns the signing secret: the only time it is ever sent whole. */
  create: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/destinations', status: 201, tags, summary: 'Create a destination; a webhook\'s signing secret is returned by this response only' } })
    .input(ZDestinationCreate)
    .output(ZDestinationCreated)
    .mutation(async ({ ctx, input: { workspaceId: _workspaceId, ...input } }) => {
      const { destination, signingSecret } = await createDestination({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, input });
      return { ...destination, signingSecret };
    }),
  update: workspaceProcedure('editor')
    .meta({ rest: { method: 'PATCH', path: '/destinations/{id}', params: id, tags, summary: 'Update a destination; omitted fields keep their values, a header set to null keeps its stored value' } })
    .input(ZDestinationId)
    .input(ZDestinationUpdate)
    .output(ZDestinationView)
    .mutation(({ ctx, input: { destinationId, workspaceId: _workspaceId, ...patch } }) =>
      updateDestination({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId, patch }),
    ),
  /** Delivered / retried / discarded / archived in the last hour, the queue, the latest attempts. */
  activity: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destinations/{id}/activity', params: id, tags, summary: 'Deliveries of the last hour by outcome, the queue, and the latest attempts' } })
    .input(ZDestinationId)
    .output(ZDestinationActivity)
    .query(({ ctx, input }) => getDestinationActivity({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId: input.destinationId })),
  /** Re-delivers archived and/or discarded events of a time range. */
  replay: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/destinations/{id}/replays', params: id, status: 201, tags, summary: 'Re-deliver archived and/or discarded events created in a time range' } })
    .input(ZDestinationId)
    .input(ZReplayInput)
    .output(z.object({ replayId: z.string(), queued: z.number().int() }))
    .mutation(({ ctx, input: { destinationId, from, to, states } }) =>
      createReplay({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId, input: { from, to, states } }),
    ),
  /** Returns the new signing secret (once); the old one keeps signing for 24 hours. */
  rotateSecret: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/destinations/{id}/signing-secret', params: id, status: 201, tags, summary: 'Rotate the signing secret: the new one is returned once; the old one keeps signing for 24 h' } })
    .input(ZDestinationId)
    .output(ZSecretRotated)
    .mutation(({ ctx, input }) => rotateSigningSecret({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId: input.destinationId })),
  delete: workspaceProcedure('editor')
    .meta({ rest: { method: 'DELETE', path: '/destinations/{id}', params: id, status: 204, tags, summary: 'Delete a destination' } })
    .input(ZDestinationId)
    .mutation(({ ctx, input }) => deleteDestination({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId: input.destinationId })),
});
