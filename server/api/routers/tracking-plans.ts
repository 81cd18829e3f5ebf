import { z } from 'zod';
import {
  createTrackingPlan,
  deleteTrackingPlan,
  getTrackingPlan,
  listTrackingPlans,
  replaceTrackingPlan,
  setSourceTrackingPlan,
  ZEnforcement,
  ZPlanInput,
  ZPlanView,
} from '../../tracking-plans/plans.ts';
import { replayBlockedEvents, ZBlockedReplay, ZBlockedReplayInput } from '../../ingest/blocked-replay.ts';
import { draftPlanFromTraffic } from '../../tracking-plans/draft.ts';
import { clientFilename, generateClient, TYPESCRIPT_MEDIA_TYPE } from '../../tracking-plans/typed-client.ts';
import { ZPlanRules } from '../../tracking-plans/validate.ts';
import { listViolations, ZViolationGroup } from '../../tracking-plans/violations.ts';
import { ZFile } from '../rules.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const ZPlanId = z.object({ trackingPlanId: z.uuid() });
const TAGS = ['Tracking plans'];

export const trackingPlansRouter = router({
  list: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/tracking-plans', summary: 'List tracking plans', tags: TAGS } })
    .output(z.object({ data: z.array(ZPlanView), nextCursor: z.null() }))
    .query(({ ctx }) => listTrackingPlans({ db: ctx.db, workspaceId: ctx.workspace.id })),
  /** Also the import: the body is a plan's export (name + rules). */
  create: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/tracking-plans', summary: 'Create (or import) a tracking plan; every schema is compiled first', tags: TAGS, status: 201 } })
    .input(ZPlanInput)
    .output(ZPlanView)
    .mutation(({ ctx, input: { workspaceId: _workspaceId, ...input } }) => createTrackingPlan({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, input })),
  /** Also the export: name and rules are the import body. */
  get: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/tracking-plans/{trackingPlanId}', summary: 'Read (export) a tracking plan', tags: TAGS } })
    .input(ZPlanId)
    .output(ZPlanView)
    .query(({ ctx, input }) => getTrackingPlan({ db: ctx.db, workspaceId: ctx.workspace.id, trackingPlanId: input.trackingPlanId })),
  replace: workspaceProcedure('editor')
    .meta({ rest: { method: 'PUT', path: '/tracking-plans/{trackingPlanId}', summary: 'Replace a tracking plan (name and rules); the version grows', tags: TAGS } })
    .input(ZPlanId.extend(ZPlanInput.shape))
    .output(ZPlanView)
    .mutation(({ ctx, input: { workspaceId: _workspaceId, trackingPlanId, ...input } }) =>
      replaceTrackingPlan({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, trackingPlanId, input }),
    ),
  delete: workspaceProcedure('editor')
    .meta({ rest: { method: 'DELETE', path: '/tracking-plans/{trackingPlanId}', summary: 'Delete a tracking plan (its sources stop following it)', tags: TAGS, status: 204 } })
    .input(ZPlanId)
    .mutation(({ ctx, input }) => deleteTrackingPlan({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, trackingPlanId: input.trackingPlanId })),
  connectSource: workspaceProcedure('editor')
    .meta({ rest: { method: 'PUT', path: '/sources/{sourceId}/tracking-plan', summary: 'Connect a source to a plan with its enforcement (trackingPlanId null disconnects)', tags: TAGS } })
    .input(z.object({ sourceId: z.uuid() }).extend(ZEnforcement.shape))
    .output(ZEnforcement)
    .mutation(({ ctx, input: { workspaceId: _workspaceId, sourceId, ...input } }) =>
      setSourceTrackingPlan({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId, input }),
    ),
  violations: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/tracking-plans/{trackingPlanId}/violations', summary: "A plan's violations of the last 7 days by event and kind", tags: TAGS } })
    .input(ZPlanId.extend({ sourceId: z.uuid().optional() }))
    .output(z.object({ data: z.array(ZViolationGroup), nextCursor: z.null() }))
    .query(({ ctx, input }) => listViolations({ db: ctx.db, workspaceId: ctx.workspace.id, trackingPlanId: input.trackingPlanId, sourceId: input.sourceId })),
  /**
   * Runs a source's blocked events of a time range through the pipeline again (current plan,
   * destinations, filters) and delivers those that pass now; at most 1000 per call (`hasMore`).
   */
  replayBlocked: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/sources/{sourceId}/blocked-events/replays', status: 201, tags: TAGS, summary: "Replay a source's blocked events after the plan is fixed: those that pass now are delivered (at most 1000 per call; call again with nextCursor while hasMore)" } })
    .input(z.object({ sourceId: z.uuid() }))
    .input(ZBlockedReplayInput)
    .output(ZBlockedReplay)
    .mutation(({ ctx, input: { workspaceId: _workspaceId, sourceId, ...input } }) =>
      replayBlockedEvents({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId, input }),
    ),
  /** Rules inferred from a source's recent events, for a person to edit and save. */
  draft: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/sources/{sourceId}/tracking-plan/draft', summary: "Draft a plan from a source's events of the last days", tags: TAGS } })
    .input(z.object({ sourceId: z.uuid(), days: z.coerce.number().int().min(1).max(90).default(7) }))
    .output(z.object({ name: z.string(), rules: ZPlanRules, basedOn: z.number() }))
    .query(({ ctx, input }) => draftPlanFromTraffic({ db: ctx.db, workspaceId: ctx.workspace.id, sourceId: input.sourceId, days: input.days })),
  /** A TypeScript module with one typed function per event, wrapping @segment/analytics-node; REST sends it as a .ts file. */
  client: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/tracking-plans/{trackingPlanId}/client.ts', summary: 'A typed TypeScript client generated from the plan, as a .ts file to save', tags: TAGS, file: { contentType: TYPESCRIPT_MEDIA_TYPE } } })
    .input(ZPlanId)
    .output(ZFile)
    .query(async ({ ctx, input }) => {
      const plan = await getTrackingPlan({ db: ctx.db, workspaceId: ctx.workspace.id, trackingPlanId: input.trackingPlanId });
      return { filename: clientFilename(plan.name), content: generateClient(plan) };
    }),
});
