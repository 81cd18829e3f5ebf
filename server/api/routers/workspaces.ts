import { z } from 'zod';
import { createWorkspace, listMyWorkspaces, renameWorkspace } from '../../workspaces/workspaces.ts';
import { router, signedInProcedure, workspaceProcedure } from '../trpc.ts';

const ZWorkspaceView = z.object({ id: z.string(), name: z.string(), slug: z.string(), role: z.enum(['admin', 'editor', 'support']) });

export const workspacesRouter = router({
  /** The signed-in person and the workspaces they belong to. */
  me: signedInProcedure
    .output(z.object({ user: z.object({ id: z.string(), email: z.string(), name: z.string() }), workspaces: z.array(ZWorkspaceView) }))
    .query(async ({ ctx }) => ({
      user: { id: ctx.user.id, email: ctx.user.email, name: ctx.user.name },
      workspaces: await listMyWorkspaces({ db: ctx.db, userId: ctx.user.id }),
    })),
  create: signedInProcedure
    .input(z.object({ name: z.string().trim().min(1).max(80) }))
    .output(ZWorkspaceView)
    .mutation(({ ctx, input }) => createWorkspace({ db: ctx.db, actor: ctx.actor, userId: ctx.user.id, name: input.name })),
  rename: workspaceProcedure('admin')
    .input(z.object({ name: z.string().trim().min(1).max(80) }))
    .mutation(({ ctx, input }) => renameWorkspace({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, name: input.name })),
});
