import { z } from 'zod';
import { listEventDeliveries, ZEventDelivery } from '../../events/event-deliveries.ts';
import { listEvents, listNewerEvents, ZEventFilter, ZEventPageInput, ZEventView } from '../../events/list-events.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const eventsRouter = router({
  /** A page of stored events, newest first. */
  list: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/events', tags: ['Events'], summary: 'Stored events, newest first: filter by userId, anonymousId, email, messageId or any identifier (q), and by receivedAt (from, to); keyset pagination: pass nextCursor as cursor' } })
    .input(ZEventPageInput)
    .output(z.object({ data: z.array(ZEventView), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input: { workspaceId: _workspaceId, limit, cursor, ...filter } }) => {
      const { events, nextCursor } = await listEvents({ db: ctx.db, workspaceId: ctx.workspace.id, filter, limit, cursor });
      return { data: events, nextCursor };
    }),
  /** Events that arrived after `since` (a cursor), oldest first: the live tail of the debugger. */
  newer: workspaceProcedure('support')
    .input(z.object({ filter: ZEventFilter.default({}), since: z.string().max(200) }))
    .output(z.array(ZEventView))
    .query(({ ctx, input }) => listNewerEvents({ db: ctx.db, workspaceId: ctx.workspace.id, filter: input.filter, since: input.since })),
  /** Where the event stands at each destination it was routed to (delivered, retrying, failed…). */
  deliveries: workspaceProcedure('support')
    .input(z.object({ eventId: z.uuid() }))
    .output(z.array(ZEventDelivery))
    .query(({ ctx, input }) => listEventDeliveries({ db: ctx.db, workspaceId: ctx.workspace.id, eventId: input.eventId })),
});
