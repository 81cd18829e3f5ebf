import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken, ZApiTokenCreate, ZApiTokenView } from '../../tokens/api-tokens.ts';
import { router, workspaceProcedure } from '../trpc.ts';

export const tokensRouter = router({
  list: workspaceProcedure('admin')
    .output(z.array(ZApiTokenView))
    .query(({ ctx }) => listApiTokens({ db: ctx.db, workspaceId: ctx.workspace.id })),
  /** Returns the token itself: shown once, stored hashed. */
  create: workspaceProcedure('admin')
    .input(ZApiTokenCreate)
    .output(z.object({ token: z.string(), apiToken: ZApiTokenView }))
    .mutation(({ ctx, input }) => createApiToken({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, name: input.name, role: input.role })),
  revoke: workspaceProcedure('admin')
    .input(z.object({ tokenId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiToken({ db: ctx.db, workspaceId: ctx.workspace.id, actor: ctx.actor, tokenId: input.tokenId })),
});
