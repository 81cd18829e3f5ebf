import { z } from 'zod';
import { getDestinationActivity, ZDestinationActivity } from '../../queue/activity.ts';
import { createReplay, ZReplayInput } from '../../queue/replays.ts';
import { describeCatalog, ZDestinationTypeView } from '../../destinations/catalog/describe.ts';
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
import { DELIVERY_DEFAULTS, ZDeliveryTuning } from '../../destinations/delivery-tuning.ts';
import { sendTestEvent, ZTestEventInput, ZTestEventResult } from '../../destinations/send-test-event.ts';
import { env } from '../../env.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const tags = ['Destinations'];
const id = { id: 'destinationId' };

export const destinationsRouter = router({
  /** The catalog: every destination type with its settings schema as JSON Schema. */
  types: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destination-types', tags, summary: 'The destination catalog: each type, the calls it takes, and its settings as JSON Schema' } })
    .output(z.object({ data: z.array(ZDestinationTypeView), nextCursor: z.null() }))
    .query(() => ({ data: describeCatalog(), nextCursor: null })),
  /** What a destination's delivery settings are while left unset (the forms show them). */
  deliveryDefaults: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destination-defaults', tags, summary: 'The delivery settings a destination has while they are left unset' } })
    .output(ZDeliveryTuning)
    .query(() => DELIVERY_DEFAULTS),
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
  /** Any catalog type; returns a webhook's signing secret, the only time it is ever sent whole (null for other types). */
  create: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/destinations', status: 201, tags, summary: 'Create a destination of any catalog type (GET /destination-types); a webhook\'s signing secret is returned by this response only' } })
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
    .meta({ rest: { method: 'GET', path: '/destinations/{id}/activity', params: id, tags, summary: 'What is happening now (held, rate limited, paused by the breaker, the current limits and why they changed), deliveries of the last hour by outcome, the queue, and the latest attempts' } })
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
  /** Sends a sample (or a recent real) event the way deliveries do; records nothing. */
  test: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/destinations/{destinationId}/test', tags, summary: 'Send a test event: the exact request (secrets masked) and the partner\'s answer in words; stores nothing' } })
    .input(ZDestinationId)
    .input(ZTestEventInput)
    .output(ZTestEventResult)
    .mutation(({ ctx, input: { destinationId, callType, eventId } }) =>
      sendTestEvent({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId, input: { callType, eventId }, allowPrivate: env().SWITCHYARD_ALLOW_PRIVATE_DESTINATIONS }),
    ),
  delete: workspaceProcedure('editor')
    .meta({ rest: { method: 'DELETE', path: '/destinations/{id}', params: id, status: 204, tags, summary: 'Delete a destination' } })
    .input(ZDestinationId)
    .mutation(({ ctx, input }) => deleteDestination({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId: input.destinationId })),
});
