import { z } from 'zod';
import {
  addWriteKey,
  createSource,
  deleteSource,
  getSource,
  listSources,
  revokeWriteKey,
  updateSource,
  ZSourceCreate,
  ZSourceId,
  ZSourceUpdate,
  ZSourceView,
  ZWriteKeyView,
} from '../../sources/sources.ts';
import { router, workspaceProcedure } from '../trpc.ts';

const tags = ['Sources'];
const id = { id: 'sourceId' };

export const sourcesRouter = router({
  list: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/sources', tags, summary: 'List sources with their write keys' } })
    .output(z.array(ZSourceView))
    .query(({ ctx }) => listSources({ db: ctx.db, workspaceId: ctx.workspace.id })),
  get: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/sources/{id}', params: id, tags, summary: 'Get a source' } })
    .input(ZSourceId)
    .output(ZSourceView)
    .query(({ ctx, input }) => getSource({ db: ctx.db, workspaceId: ctx.workspace.id, sourceId: input.sourceId })),
  create: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/sources', status: 201, tags, summary: 'Create a source (it gets one write key)' } })
    .input(ZSourceCreate)
    .output(ZSourceView)
    .mutation(({ ctx, input }) => createSource({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, name: input.name })),
  update: workspaceProcedure('editor')
    .meta({ rest: { method: 'PATCH', path: '/sources/{id}', params: id, tags, summary: 'Rename, enable or disable a source' } })
    .input(ZSourceId)
    .input(ZSourceUpdate)
    .output(ZSourceView)
    .mutation(({ ctx, input }) =>
      updateSource({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId, name: input.name, enabled: input.enabled }),
    ),
  delete: workspaceProcedure('editor')
    .meta({ rest: { method: 'DELETE', path: '/sources/{id}', params: id, status: 204, tags, summary: 'Delete a source and its destinations' } })
    .input(ZSourceId)
    .mutation(({ ctx, input }) => deleteSource({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId })),
  addWriteKey: workspaceProcedure('editor')
    .meta({ rest: { method: 'POST', path: '/sources/{id}/write-keys', params: id, status: 201, tags, summary: 'Add a write key (rotate without downtime: add, deploy, revoke the old one)' } })
    .input(ZSourceId)
    .output(ZWriteKeyView)
    .mutation(({ ctx, input }) => addWriteKey({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId })),
  revokeWriteKey: workspaceProcedure('editor')
    .meta({
      rest: {
        method: 'DELETE',
        path: '/sources/{id}/write-keys/{key}',
        params: { ...id, key: 'writeKeyId' },
        tags,
        summary: 'Revoke a write key (by its value or id); the last active key cannot be revoked',
      },
    })
    .input(ZSourceId.extend({ writeKeyId: z.string().min(1).describe('The key itself or its id') }))
    .output(ZWriteKeyView)
    .mutation(({ ctx, input }) =>
      revokeWriteKey({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, sourceId: input.sourceId, keyIdOrValue: input.writeKeyId }),
    ),
});
