import { z } from 'zod';
import { ZName } from '../../lib/names.ts';
import { getWorkspaceOverview, ZWorkspaceOverview } from '../../overview/workspace-overview.ts';
import { createWorkspace, getWorkspaceInfo, listMyWorkspaces, renameWorkspace, ZWorkspaceInfo, ZWorkspaceView } from '../../workspaces/workspaces.ts';
import { router, signedInProcedure, workspaceProcedure } from '../trpc.ts';

export const workspacesRouter = router({
  /** The signed-in person and the workspaces they belong to. */
  me: signedInProcedure
    .output(z.object({ user: z.object({ id: z.string(), email: z.string(), name: z.string() }), workspaces: z.array(ZWorkspaceView) }))
    .query(async ({ ctx }) => ({
      user: { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name },
      workspaces: await listMyWorkspaces({ db: ctx.db, userId: ctx.user.id }),
    })),
  /** The workspace called, and the API token calling (null for a signed-in person). */
  current: workspaceProcedure('support')
    .meta({ rest: { method: 'GET', path: '/workspace', tags: ['Workspace'], summary: 'The workspace and role of the calling token' } })
    .output(ZWorkspaceInfo)
    .query(({ ctx }) =>
      getWorkspaceInfo({ db: ctx.db, workspaceId: ctx.workspace.id, token: ctx.token ? { name: ctx.token.name, role: ctx.token.role } : null }),
    ),
  create: signedInProcedure
    .input(z.object({ name: ZName }))
    .output(ZWorkspaceView)
    .mutation(({ ctx, input }) => createWorkspace({ db: ctx.db, actor: ctx.actor, userId: ctx.user.id, name: input.name })),
  /** The home page: events received and delivered over 24 h, destinations needing attention. */
  overview: workspaceProcedure('support')
    .output(ZWorkspaceOverview)
    .query(({ ctx }) => getWorkspaceOverview({ db: ctx.db, workspaceId: ctx.workspace.id })),
  rename: workspaceProcedure('admin')
    .input(z.object({ name: ZName }))
    .mutation(({ ctx, input }) => renameWorkspace({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, name: input.name })),
});
