import { z } from 'zod';
import { listEvents, listNewerEvents, ZEventFilter, ZEventView } from '../../events/list-events.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const eventsRouter = router({
  /** A page of stored events, newest first. */
  list: workspaceProcedure('support')
    .input(z.object({ filter: ZEventFilter.default({}), limit: z.number().int().min(1).max(200).default(50), cursor: z.string().max(200).nullish() }))
    .output(z.object({ events: z.array(ZEventView), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listEvents({ db: ctx.db, workspaceId: ctx.workspace.id, filter: input.filter, limit: input.limit, cursor: input.cursor })),
  /** Events that arrived after `since` (a cursor), oldest first: the live tail of the debugger. */
  newer: workspaceProcedure('support')
    .input(z.object({ filter: ZEventFilter.default({}), since: z.string().max(200) }))
    .output(z.array(ZEventView))
    .query(({ ctx, input }) => listNewerEvents({ db: ctx.db, workspaceId: ctx.workspace.id, filter: input.filter, since: input.since })),
});
