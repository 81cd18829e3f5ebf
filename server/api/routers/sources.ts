import { z } from 'zod';
import { addWriteKey, createSource, deleteSource, getSource, listSources, revokeWriteKey, updateSource } from '../../sources/sources.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const ZWriteKeyView = z.object({ id: z.string(), key: z.string(), createdAt: z.date(), revokedAt: z.date().nullable() });
export const ZSourceView = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  writeKeys: z.array(ZWriteKeyView),
  destinationCount: z.number(),
});

const ZName = z.string().trim().min(1, 'Name is required').max(80);
const ZSourceId = z.object({ sourceId: z.uuid() });

export const sourcesRouter = router({
  list: workspaceProcedure('support')
    .output(z.array(ZSourceView))
    .query(({ ctx }) => listSources({ db: ctx.db, workspaceId: ctx.workspace.id })),
  get: workspaceProcedure('support')
    .input(ZSourceId)
    .output(ZSourceView)
    .query(({ ctx, input }) => getSource({ db: ctx.db, workspaceId: ctx.workspace.id, sourceId: input.sourceId })),
  create: workspaceProcedure('editor')
    .input(z.object({ name: ZName }))
    .output(ZSourceView)
    .mutation(({ ctx, input }) => createSource({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, name: input.name })),
  update: workspaceProcedure('editor')
    .input(ZSourceId.extend({ name: ZName.optional(), enabled: z.boolean().optional() }))
    .output(ZSourceView)
    .mutation(({ ctx, input }) =>
      updateSource({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId, name: input.name, enabled: input.enabled }),
    ),
  delete: workspaceProcedure('editor')
    .input(ZSourceId)
    .mutation(({ ctx, input }) => deleteSource({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId })),
  addWriteKey: workspaceProcedure('editor')
    .input(ZSourceId)
    .output(ZWriteKeyView)
    .mutation(({ ctx, input }) => addWriteKey({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId })),
  revokeWriteKey: workspaceProcedure('editor')
    .input(ZSourceId.extend({ writeKeyId: z.string().min(1) }))
    .output(ZWriteKeyView)
    .mutation(({ ctx, input }) =>
      revokeWriteKey({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId, keyIdOrValue: input.writeKeyId }),
    ),
});
