import { z } from 'zod';
import { createFilter, deleteFilter, getFilter, listFilters, reorderFilters, updateFilter, ZFilterInput, ZFilterOrder, ZFilterPatch, ZFilterView } from '../../filters/filters.ts';
import { previewFilter, ZFilterPreview, ZFilterPreviewInput } from '../../filters/preview.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const ZDestinationId = z.object({ destinationId: z.uuid() });
const ZFilterId = z.object({ filterId: z.uuid() });
const TAGS = ['Destination filters'];

export const filtersRouter = router({
  list: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/destinations/{destinationId}/filters', summary: "List a destination's filters in the order they run", tags: TAGS } })
    .input(ZDestinationId)
    .output(z.object({ data: z.array(ZFilterView), nextCursor: z.null() }))
    .query(({ ctx, input }) => listFilters({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId: input.destinationId })),
  create: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/destinations/{destinationId}/filters', summary: 'Add a filter to a destination (an invalid condition is refused with its position)', tags: TAGS, status: 201 } })
    .input(ZDestinationId.extend(ZFilterInput.shape))
    .output(ZFilterView)
    .mutation(({ ctx, input: { workspaceId: _workspaceId, destinationId, ...input } }) =>
      createFilter({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId, input }),
    ),
  /** The whole order at once (every filter of the destination, once); positions become 0, 1, …. */
  reorder: workspaceProcedure('editor')
    .meta({ rest: { method: 'PUT', path: '/destinations/{destinationId}/filters/order', summary: "Put a destination's filters in a new order (list every filter id once, first to run first)", tags: TAGS } })
    .input(ZDestinationId.extend(ZFilterOrder.shape))
    .output(z.object({ data: z.array(ZFilterView), nextCursor: z.null() }))
    .mutation(({ ctx, input: { workspaceId: _workspaceId, destinationId, ...input } }) =>
      reorderFilters({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, destinationId, input }),
    ),
  /** Runs a draft filter over the source's last 100 events: which would be dropped, sampled out or changed. */
  preview: workspaceProcedure('support')
    .meta({ rest: { method: 'POST', path: '/destinations/{destinationId}/filters/preview', summary: "Preview a draft filter against the source's last 100 events", tags: TAGS } })
    .input(ZDestinationId.extend(ZFilterPreviewInput.shape))
    .output(ZFilterPreview)
    .mutation(({ ctx, input: { workspaceId: _workspaceId, destinationId, ...input } }) =>
      previewFilter({ db: ctx.db, workspaceId: ctx.workspace.id, destinationId, input }),
    ),
  get: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/filters/{filterId}', summary: 'Read a filter', tags: TAGS } })
    .input(ZFilterId)
    .output(ZFilterView)
    .query(({ ctx, input }) => getFilter({ db: ctx.db, workspaceId: ctx.workspace.id, filterId: input.filterId })),
  update: workspaceProcedure('editor')
    .meta({ rest: { method: 'PATCH', path: '/filters/{filterId}', summary: 'Change a filter (title, enabled, if, action, position)', tags: TAGS } })
    .input(ZFilterId.extend(ZFilterPatch.shape))
    .output(ZFilterView)
    .mutation(({ ctx, input: { workspaceId: _workspaceId, filterId, ...patch } }) =>
      updateFilter({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, filterId, patch }),
    ),
  delete: workspaceProcedure('editor')
    .meta({ rest: { method: 'DELETE', path: '/filters/{filterId}', summary: 'Delete a filter', tags: TAGS, status: 204 } })
    .input(ZFilterId)
    .mutation(({ ctx, input }) => deleteFilter({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, filterId: input.filterId })),
});
