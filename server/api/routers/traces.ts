/** Support's read model (server/traces) and the one action on it: re-send an event to a destination. */
import { z } from 'zod';
import { resendEvent } from '../../queue/resend-event.ts';
import { deliveryOverview } from '../../traces/overview.ts';
import { ZOverview, ZRange, ZSearchInput, ZSearchPage, ZStats, ZTrace } from '../../traces/schemas.ts';
import { searchEvents } from '../../traces/search.ts';
import { deliveryStats } from '../../traces/stats.ts';
import { findEvent, findEventOfJob, getTrace } from '../../traces/trace.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const ZEventId = z.object({ eventId: z.uuid() });
const ZRangeInput = z.object({ range: ZRange.default('24h') });

export const tracesRouter = router({
  /** The search page (with a badge per destination). REST's GET /events is events.list, which takes the same identifiers. */
  search: workspaceProcedure('support')
    .input(ZSearchInput)
    .output(ZSearchPage)
    .query(({ ctx, input }) => searchEvents({ db: ctx.db, workspaceId: ctx.workspace.id, input })),
  /** The overview's steps over REST: a destination's events by their delivery state there (the search page takes the same fields). */
  destinationEvents: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destinations/{destinationId}/events', summary: 'Events of one destination, newest first, optionally only those in one delivery state there (delivered, retrying, pending, discarded, archived, filtered, blocked; retrying ones by their next attempt, latest first), with a badge per destination; keyset pagination: pass nextCursor as cursor', tags: ['Destinations'] } })
    .input(ZSearchInput.pick({ state: true, from: true, to: true, limit: true, cursor: true }).extend({ destinationId: z.uuid() }))
    .output(ZSearchPage)
    .query(({ ctx, input }) => searchEvents({ db: ctx.db, workspaceId: ctx.workspace.id, input })),
  get: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/events/{eventId}/trace', summary: 'One event’s whole path: as received, pipeline decisions, and every attempt at every destination', tags: ['Events'] } })
    .input(ZEventId)
    .output(ZTrace)
    .query(({ ctx, input }) => getTrace({ db: ctx.db, workspaceId: ctx.workspace.id, eventId: input.eventId })),
  /** The event a delivery job belongs to (the destination page's attempts link to traces by job). */
  eventOfJob: workspaceProcedure('support')
    .input(z.object({ jobId: z.uuid() }))
    .output(z.object({ eventId: z.string() }))
    .query(async ({ ctx, input }) => ({ eventId: await findEventOfJob({ db: ctx.db, workspaceId: ctx.workspace.id, jobId: input.jobId }) })),
  destinationStats: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destinations/{destinationId}/stats', summary: 'Status codes, success rates and latency of one destination over a range (1h, 24h, 7d, 30d)', tags: ['Destinations'] } })
    .input(ZRangeInput.extend({ destinationId: z.uuid() }))
    .output(ZStats)
    .query(({ ctx, input }) => deliveryStats({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId: input.destinationId, range: input.range })),
  workspaceStats: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/stats', summary: 'Status codes, success rates and latency of every destination of the workspace over a range', tags: ['Events'] } })
    .input(ZRangeInput)
    .output(ZStats)
    .query(({ ctx, input }) => deliveryStats({ db: ctx.db, workspaceId: ctx.workspace.id, range: input.range })),
  overview: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/overview', summary: 'Per source and destination: received, rejected, dropped, filtered, delivered, discarded, archived over a range', tags: ['Events'] } })
    .input(ZRangeInput)
    .output(ZOverview)
    .query(({ ctx, input }) => deliveryOverview({ db: ctx.db, workspaceId: ctx.workspace.id, range: input.range })),
  resend: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/events/{eventId}/resend', summary: 'Re-send one event to one destination (traced as a replay)', tags: ['Events'], status: 202 } })
    .input(ZEventId.extend({ destinationId: z.uuid() }))
    .output(z.object({ jobId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const event = await findEvent({ db: ctx.db, workspaceId: ctx.workspace.id, eventId: input.eventId });
      return resendEvent({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, event, destinationId: input.destinationId });
    }),
});
